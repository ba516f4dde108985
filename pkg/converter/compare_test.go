package converter

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir holds the seed corpus of FuzzReadResponse: recorded_* answers of the real test Prometheus (see
// internal/record), handmade_* native histogram, exemplar and odd-layout answers, and the fuzzer's findings.
const corpusDir = "testdata/fuzz/FuzzReadResponse"

// corpusEntry decodes one file of the Go fuzzing corpus format ("go test fuzz v1" then []byte("...")).
func corpusEntry(t testing.TB, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitN(strings.TrimSpace(string(raw)), "\n", 2)
	require.Len(t, lines, 2, path)
	require.Equal(t, "go test fuzz v1", lines[0], path)
	quoted, ok := strings.CutPrefix(lines[1], "[]byte(")
	require.True(t, ok, path)
	body, err := strconv.Unquote(strings.TrimSuffix(quoted, ")"))
	require.NoError(t, err, path)
	return []byte(body)
}

// corpusFiles lists the corpus entries whose names start with one of the prefixes.
func corpusFiles(t testing.TB, prefixes ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Name(), p) {
				files = append(files, filepath.Join(corpusDir, e.Name()))
			}
		}
	}
	return files
}

// frameJSON renders a frame with its schema and data; NaN and infinities travel as entities.
func frameJSON(t testing.TB, f *data.Frame) string {
	t.Helper()
	b, err := json.Marshal(f)
	require.NoError(t, err)
	return string(b)
}

// requireSameResult compares two results field by field; frames are compared both as JSON (readable diffs) and as
// Arrow (bit-exact values).
func requireSameResult(t testing.TB, want, got *Result) {
	t.Helper()
	assert.Equal(t, want.Error, got.Error)
	assert.Equal(t, want.ErrorType, got.ErrorType)
	assert.Equal(t, len(want.Warnings), len(got.Warnings))
	assert.Equal(t, len(want.Infos), len(got.Infos))
	if len(want.Warnings) > 0 {
		assert.Equal(t, want.Warnings, got.Warnings)
	}
	if len(want.Infos) > 0 {
		assert.Equal(t, want.Infos, got.Infos)
	}
	assert.Equal(t, want.Notices, got.Notices)
	assert.Equal(t, want.Stats, got.Stats)
	require.Equal(t, len(want.Frames), len(got.Frames), "frame count")
	for i := range want.Frames {
		require.Equal(t, frameJSON(t, want.Frames[i]), frameJSON(t, got.Frames[i]), "frame %d", i)
		wantArrow, err := want.Frames[i].MarshalArrow()
		require.NoError(t, err)
		gotArrow, err := got.Frames[i].MarshalArrow()
		require.NoError(t, err)
		require.Equal(t, wantArrow, gotArrow, "frame %d as Arrow", i)
	}
}
