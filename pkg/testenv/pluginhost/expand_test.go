package pluginhost

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpand(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secretFile, []byte("  from-file\n"), 0o600))
	lookup := mapLookup(map[string]string{"REGION": "us-west-2", "EMPTY": "", "HOST": "aps.example"})

	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "$REGION", want: "us-west-2"},
		{in: "${REGION}", want: "us-west-2"},
		{in: "https://$HOST/ws/${REGION}/", want: "https://aps.example/ws/us-west-2/"},
		{in: "$$", want: "$"},
		{in: "$$REGION", want: "$REGION"},
		{in: "a$$$REGION", want: "a$us-west-2"},
		{in: "$UNSET", want: ""},
		{in: "x${UNSET}y", want: "xy"},
		{in: "$EMPTY", want: ""},
		{in: "no variables", want: "no variables"},
		{in: "cost $ 5", want: "cost $ 5"},
		{in: "$__env{REGION}", want: "us-west-2"},
		{in: "$__env{UNSET}", want: ""},
		{in: "$__file{" + secretFile + "}", want: "from-file"},
		{in: "$__file{" + secretFile + ".missing}", wantErr: "$__file"},
		{in: "$__vault{secret/path}", wantErr: "unsupported expander $__vault"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Expand(tt.in, lookup)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestExpandDefaultsToProcessEnvironment(t *testing.T) {
	t.Setenv("PLUGINHOST_EXPAND_TEST", "from-env")
	got, err := Expand("${PLUGINHOST_EXPAND_TEST}", nil)
	require.NoError(t, err)
	assert.Equal(t, "from-env", got)
}
