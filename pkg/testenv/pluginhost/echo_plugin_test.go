package pluginhost

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The echo plugin is built once per test binary; the Go build cache makes
// rebuilding it in later runs cheap.
var echoBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if echoBuild.dir != "" {
		_ = os.RemoveAll(echoBuild.dir)
	}
	os.Exit(code)
}

// echoPlugin returns the path of the built testdata/echoplugin executable.
func echoPlugin(t *testing.T) string {
	t.Helper()
	echoBuild.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			echoBuild.err = err
			return
		}
		if echoBuild.dir, err = os.MkdirTemp("", "pluginhost-echo-"); err != nil {
			echoBuild.err = err
			return
		}
		echoBuild.path = filepath.Join(echoBuild.dir, "gpx_echo")
		var out bytes.Buffer
		cmd := exec.Command(goBin, "build", "-o", echoBuild.path, "./testdata/echoplugin")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			echoBuild.err = &buildError{err: err, output: out.String()}
		}
	})
	require.NoError(t, echoBuild.err, "build the echo plugin")
	return echoBuild.path
}

type buildError struct {
	err    error
	output string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.output }
