package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runBrowserScript runs src/browser/<script> with Node: it drives Chromium through the page at pageURL and leaves
// its screenshots in artifacts; env adds the script's own variables. It returns the script's standard output and
// fails the test with both outputs when the script fails.
func runBrowserScript(ctx context.Context, t *testing.T, script, pageURL, artifacts string, env ...string) []byte {
	t.Helper()
	chromium, node := browserTools(t)
	cmd := exec.CommandContext(ctx, node, filepath.Join(st.Root, "src", "browser", script))
	cmd.Dir = st.Root
	cmd.Env = append(os.Environ(),
		"HARNESS_URL="+pageURL,
		"ARTIFACTS_DIR="+artifacts,
		"USER_DATA_DIR="+t.TempDir(),
		"CHROMIUM_PATH="+chromium,
	)
	cmd.Env = append(cmd.Env, env...)
	// On timeout ask Node to stop first: playwright closes the browser it launched on SIGTERM.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	t.Logf("%s:\n%s%s", script, out.String(), errOut.String())
	require.NoError(t, err, "%s failed; see its output above and the screenshots in %s", script, artifacts)
	return out.Bytes()
}

// jsonLines decodes a script's output, one JSON object of type T per line.
func jsonLines[T any](t *testing.T, out []byte) []T {
	t.Helper()
	var all []T
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var v T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &v), sc.Text())
		all = append(all, v)
	}
	require.NoError(t, sc.Err())
	return all
}

// assertPNGs checks that each named file in dir is a PNG image.
func assertPNGs(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, name := range names {
		png, err := os.ReadFile(filepath.Join(dir, name))
		if assert.NoError(t, err) {
			assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "%s is a PNG", name)
		}
	}
}
