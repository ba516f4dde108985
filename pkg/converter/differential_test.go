package converter

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDifferentialAgainstEncodingJSON decodes every recorded and handmade answer with ReadResponse and with the
// encoding/json baseline, and requires identical results.
func TestDifferentialAgainstEncodingJSON(t *testing.T) {
	files := corpusFiles(t, "recorded_", "handmade_")
	require.GreaterOrEqual(t, len(files), 25, "the seed corpus is missing")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			body := corpusEntry(t, file)
			want, err := baselineRead(bytes.NewReader(body))
			require.NoError(t, err)
			got, err := ReadResponse(bytes.NewReader(body))
			require.NoError(t, err)
			requireSameResult(t, want, got)
		})
	}
}
