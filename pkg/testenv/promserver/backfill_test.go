package promserver

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackfillCacheIsSharedAndRaceSafe(t *testing.T) {
	promtool, err := exec.LookPath(PromtoolBinary)
	require.NoError(t, err, InstallHint)

	// A fixture unique to this run, so the first backfill really builds.
	fixture := filepath.Join(t.TempDir(), "race.om")
	unique := time.Now().UnixNano()
	content := fmt.Sprintf("# TYPE race_marker gauge\nrace_marker{run=\"%d\"} 1 %d\nrace_marker{run=\"%d\"} 2 %d\n# EOF\n",
		unique, FixtureStart.Unix(), unique, FixtureStart.Unix()+15)
	require.NoError(t, os.WriteFile(fixture, []byte(content), 0o644))
	key, err := cacheKey(promtool, fixture)
	require.NoError(t, err)
	root := filepath.Join(os.TempDir(), cacheDirName)
	t.Cleanup(func() { _ = os.RemoveAll(filepath.Join(root, key)) })

	const racers = 3
	dirs := make([]string, racers)
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		dirs[i] = t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = backfill(context.Background(), promtool, fixture, dirs[i])
		}()
	}
	wg.Wait()

	// promtool names blocks with fresh random ULIDs on every run, so equal
	// names prove that every data dir was copied from one cached build.
	want := blockNames(t, filepath.Join(root, key))
	require.NotEmpty(t, want)
	for i := range racers {
		require.NoError(t, errs[i])
		assert.Equal(t, want, blockNames(t, dirs[i]), "data dir %d", i)
		_, err := os.Stat(filepath.Join(dirs[i], want[0], "meta.json"))
		assert.NoError(t, err)
	}

	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), key+".tmp-"), "leftover temp dir %s", e.Name())
	}

	again := t.TempDir()
	require.NoError(t, backfill(context.Background(), promtool, fixture, again))
	assert.Equal(t, want, blockNames(t, again))
}

func blockNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}
