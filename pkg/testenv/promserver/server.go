// Package promserver runs a real Prometheus server over deterministic fixture
// data for tests. The server is a child process on 127.0.0.1 with a free
// port, backfilled from an OpenMetrics file with promtool, and is always
// stopped by PID.
package promserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

// Options configures Start.
type Options struct {
	// Fixture is the path of an OpenMetrics file (timestamps in seconds,
	// ending with "# EOF"). Required.
	Fixture string
	// WorkDir holds the config and data directory. Default: a new temporary
	// directory that Stop removes.
	WorkDir string
	// StartupTimeout bounds the wait for /-/ready. Default 30s.
	StartupTimeout time.Duration
	// PrometheusPath and PromtoolPath override the binaries; by default they
	// are looked up on PATH.
	PrometheusPath string
	PromtoolPath   string
	// NativeHistograms starts Prometheus with the native-histograms feature and the remote-write receiver
	// (POST /api/v1/write). The fixture format cannot hold native histograms, so tests write them at run time.
	NativeHistograms bool
}

// Server is a running Prometheus.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234 (no trailing slash).
	URL string

	cmd         *exec.Cmd
	done        chan struct{}
	logs        *syncbuf.Buffer
	workDir     string
	ownsWorkDir bool

	stopOnce sync.Once
	stopErr  error
}

const (
	defaultStartupTimeout = 30 * time.Second
	// stopGrace is how long Stop waits after SIGTERM before SIGKILL.
	stopGrace = 5 * time.Second
	// bindAttempts covers the small window in which another process can take
	// the port between our probe listener closing and Prometheus binding it.
	bindAttempts = 3
)

const configYAML = "scrape_configs: []\n"

// Start backfills opts.Fixture and starts Prometheus on it. ctx bounds the
// start-up only; the server runs until Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Fixture == "" {
		return nil, errors.New("promserver: Options.Fixture is required")
	}
	prometheus, err := lookBinary(opts.PrometheusPath, PrometheusBinary)
	if err != nil {
		return nil, err
	}
	promtool, err := lookBinary(opts.PromtoolPath, PromtoolBinary)
	if err != nil {
		return nil, err
	}
	if opts.StartupTimeout <= 0 {
		opts.StartupTimeout = defaultStartupTimeout
	}
	fixture, err := filepath.Abs(opts.Fixture)
	if err != nil {
		return nil, err
	}

	workDir, owns := opts.WorkDir, false
	if workDir == "" {
		if workDir, err = os.MkdirTemp("", "promserver-"); err != nil {
			return nil, fmt.Errorf("create work dir: %w", err)
		}
		owns = true
	}
	srv, err := prepareAndLaunch(ctx, opts, prometheus, promtool, fixture, workDir)
	if err != nil {
		if owns {
			_ = os.RemoveAll(workDir)
		}
		return nil, err
	}
	srv.workDir, srv.ownsWorkDir = workDir, owns
	return srv, nil
}

func prepareAndLaunch(ctx context.Context, opts Options, prometheus, promtool, fixture, workDir string) (*Server, error) {
	dataDir := filepath.Join(workDir, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if err := backfill(ctx, promtool, fixture, dataDir); err != nil {
		return nil, err
	}
	configFile := filepath.Join(workDir, "prometheus.yml")
	if err := os.WriteFile(configFile, []byte(configYAML), 0o644); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, opts.StartupTimeout)
	defer cancel()
	var lastErr error
	for attempt := 0; attempt < bindAttempts; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		srv, err := launch(ctx, prometheus, addr, launchFlags(opts, configFile, dataDir, addr))
		if err == nil {
			return srv, nil
		}
		lastErr = err
		if !errors.Is(err, errAddressInUse) {
			break
		}
	}
	return nil, lastErr
}

var errAddressInUse = errors.New("listen address already in use")

// launchFlags are Prometheus' command-line flags.
func launchFlags(opts Options, configFile, dataDir, addr string) []string {
	flags := []string{
		"--config.file=" + configFile,
		"--storage.tsdb.path=" + dataDir,
		"--storage.tsdb.retention.time=100y",
	}
	if opts.NativeHistograms {
		// Flag names as Prometheus 2.42 (the Debian package the tests use) spells them.
		flags = append(flags, "--enable-feature=native-histograms", "--web.enable-remote-write-receiver")
	}
	return append(flags, "--web.listen-address="+addr)
}

func launch(ctx context.Context, prometheus, addr string, flags []string) (*Server, error) {
	logs := &syncbuf.Buffer{}
	cmd := exec.Command(prometheus, flags...)
	cmd.Stdout = logs
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start prometheus: %w", err)
	}
	srv := &Server{URL: "http://" + addr, cmd: cmd, done: make(chan struct{}), logs: logs}
	go func() {
		_ = cmd.Wait()
		close(srv.done)
	}()

	if err := waitReady(ctx, srv); err != nil {
		srv.terminate()
		if strings.Contains(logs.String(), "address already in use") {
			err = fmt.Errorf("%w: %s", errAddressInUse, addr)
		}
		return nil, fmt.Errorf("prometheus on %s did not become ready: %w\nprometheus logs:\n%s", addr, err, logs.String())
	}
	return srv, nil
}

// Pid returns the Prometheus process id.
func (s *Server) Pid() int {
	return s.cmd.Process.Pid
}

// Logs returns everything Prometheus wrote to stdout and stderr so far.
func (s *Server) Logs() string {
	return s.logs.String()
}

// Stop sends SIGTERM, waits, escalates to SIGKILL after a few seconds and
// always waits for the process to be reaped. It removes the work dir if Start
// created it. Safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.terminate()
		if s.ownsWorkDir {
			s.stopErr = os.RemoveAll(s.workDir)
		}
	})
	return s.stopErr
}

func (s *Server) terminate() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(stopGrace):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}
