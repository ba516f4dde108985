package e2e

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// procStat is what /proc tells about a process: the plugin exposes no goroutine count, so threads, open file
// descriptors (sockets among them) and memory stand for it. A leaked goroutine that holds a connection shows up
// as a socket; one that holds memory, in the RSS.
type procStat struct {
	Threads, FDs, Sockets int
	// RSS and HWM are the resident set size and its peak (VmHWM), in bytes.
	RSS, HWM int64
}

func (p procStat) String() string {
	return fmt.Sprintf("threads %d, fds %d (sockets %d), RSS %d MiB, peak RSS %d MiB", p.Threads, p.FDs, p.Sockets, p.RSS>>20, p.HWM>>20)
}

func readProcStat(t *testing.T, pid int) procStat {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	defer f.Close()
	var out procStat
	kib := func(v string) int64 {
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		return n << 10
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		switch name {
		case "Threads":
			out.Threads, _ = strconv.Atoi(strings.TrimSpace(value))
		case "VmRSS":
			out.RSS = kib(value)
		case "VmHWM":
			out.HWM = kib(value)
		}
	}
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	require.NoError(t, err)
	out.FDs = len(entries)
	for _, e := range entries {
		if target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err == nil && strings.HasPrefix(target, "socket:") {
			out.Sockets++
		}
	}
	return out
}
