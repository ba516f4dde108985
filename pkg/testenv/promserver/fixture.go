package promserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The fixture covers a fixed six-hour window so that every query answer is
// deterministic: Prometheus counts retention from the newest block, not from
// the wall clock, so old data stays queryable.
var (
	// FixtureStart is the timestamp of the first sample in the default fixture.
	FixtureStart = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	// FixtureEnd is the timestamp of the last sample in the default fixture.
	FixtureEnd = FixtureStart.Add(6 * time.Hour)
)

// FixtureStep is the base scrape interval of the default fixture.
const FixtureStep = 15 * time.Second

// DefaultFixture is the default fixture's path relative to the module root.
const DefaultFixture = "testdata/prometheus/fixture.om"

// ModuleRoot walks up from the working directory to the directory holding
// go.mod. Tests run in their package directory, so this finds the module root
// from any package.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("get working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("look for go.mod in %s: %w", dir, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found in the working directory or any parent")
		}
		dir = parent
	}
}

// DefaultFixturePath returns the absolute path of the default fixture.
func DefaultFixturePath() (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, filepath.FromSlash(DefaultFixture)), nil
}
