package release

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestToolNames(t *testing.T) {
	var names []string
	for _, p := range Platforms {
		names = append(names, ToolName(p))
	}
	assert.Equal(t, []string{
		"ampmigrate_linux_amd64", "ampmigrate_linux_arm64", "ampmigrate_linux_arm",
		"ampmigrate_darwin_amd64", "ampmigrate_darwin_arm64", "ampmigrate_windows_amd64.exe",
	}, names)
}

// TestBuildTools builds the host's binary (cross builds cost minutes on a cold cache; `mage package` does them)
// and runs it: a static executable without build paths that prints its usage.
func TestBuildTools(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	host := Platform{runtime.GOOS, runtime.GOARCH}
	out, err := BuildTools(ctx, moduleRoot(t), t.TempDir(), []Platform{host})
	require.NoError(t, err)
	require.Len(t, out, 1)
	info, err := os.Stat(out[0])
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&0o111)
	raw, err := os.ReadFile(out[0])
	require.NoError(t, err)
	assert.NotContains(t, string(raw), moduleRoot(t), "-trimpath keeps local paths out")
	if runtime.GOOS == "linux" {
		f, err := elf.Open(out[0])
		require.NoError(t, err)
		defer f.Close()
		for _, p := range f.Progs {
			assert.NotEqual(t, elf.PT_INTERP, p.Type, "CGO off: a static binary that runs on any distribution")
		}
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, out[0], "--help")
	cmd.Stderr = &stderr
	var exit *exec.ExitError
	require.True(t, errors.As(cmd.Run(), &exit))
	assert.Equal(t, 2, exit.ExitCode())
	assert.Contains(t, stderr.String(), "Usage: ampmigrate")
}
