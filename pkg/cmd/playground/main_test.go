package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

// runAsCommand makes the test binary act as the playground command, so the test can signal a real process.
const runAsCommand = "PLAYGROUND_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsCommand) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var pidPattern = regexp.MustCompile(`pid (\d+)`)

// TestCommandServesAndStopsOnSIGTERM starts the command as its own process, waits for its Playground line, loads
// the page and its bundle, Grafana's icons and fonts, then sends SIGTERM and checks that the command exits
// cleanly and that every process it reported (Prometheus and the plugins) is gone.
func TestCommandServesAndStopsOnSIGTERM(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0])
	cmd.Env = append(os.Environ(), runAsCommand+"=1")
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var url string
	var pids []int
	for url == "" {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "the command exited before printing its Playground line; stderr:\n%s", stderr.String())
			for _, m := range pidPattern.FindAllStringSubmatch(line, -1) {
				pid, err := strconv.Atoi(m[1])
				require.NoError(t, err)
				pids = append(pids, pid)
			}
			if rest, ok := strings.CutPrefix(line, "Playground: "); ok {
				url = rest
			}
		case <-ctx.Done():
			t.Fatalf("no Playground line; stderr:\n%s", stderr.String())
		}
	}
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/$`, url)
	require.Len(t, pids, 3, "Prometheus and two plugin processes")
	for _, pid := range pids {
		require.NoError(t, syscall.Kill(pid, 0), "pid %d runs", pid)
	}

	page := get(t, url)
	assert.Contains(t, page, `<script src="/build/harness.js">`)
	assert.Contains(t, page, `window.grafanaBootData`)
	assert.True(t, strings.Contains(get(t, url+"build/harness.js"), "AMP playground"), "the bundle is the playground")
	assert.True(t, strings.HasPrefix(get(t, url+"public/build/img/icons/unicons/search.svg"), "<svg"), "a Grafana icon")
	assert.True(t, strings.HasPrefix(get(t, url+"public/img/icons/unicons/search.svg"), "<svg"), "a Grafana icon where Grafana 11's @grafana/ui looks for it")
	assert.True(t, strings.HasPrefix(get(t, url+"public/fonts/inter/Inter-Regular.woff2"), "wOF2"), "the Inter font")
	assert.True(t, strings.HasPrefix(get(t, url+"public/fonts/roboto/any-name.woff2"), "wOF2"), "the Roboto Mono font")

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for range lines {
	}
	require.NoError(t, cmd.Wait(), "exit status after SIGTERM; stderr:\n%s", stderr.String())
	for _, pid := range pids {
		assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "pid %d still exists after the command stopped", pid)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url) //nolint:gosec // the playground's own loopback address
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s: %s", url, body)
	return string(body)
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:0", "localhost:3000", "[::1]:8080"} {
		assert.NoError(t, checkLoopback(ok), ok)
	}
	for addr, want := range map[string]string{
		"0.0.0.0:3000":  "only listens on a loopback address",
		"10.0.0.1:3000": "only listens on a loopback address",
		"3000":          "use host:port",
	} {
		err := checkLoopback(addr)
		require.Error(t, err, addr)
		assert.Contains(t, err.Error(), want)
	}
}
