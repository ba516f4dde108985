// Command playground serves the plugin's real editors in a browser against the local stack: a real Prometheus
// over the fixture data, the AMP emulator with SigV4 verification, the built plugin over gRPC, and the Grafana
// stand-in page (pkg/testenv/harness) with its #/config, #/explore, #/variables, #/annotations, #/dashboard and
// #/retargeted routes, and Grafana's data source and dashboard API for ampmigrate. It prints "Playground: <url>" on a line of its own and runs until SIGINT or SIGTERM, then stops every
// process it started.
//
// Run it with `go run github.com/magefile/mage playground`, which builds the plugin and the page first.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/harness"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// startTimeout bounds starting Prometheus (with its backfill) and the plugin processes.
const startTimeout = 2 * time.Minute

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "playground:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	flags := flag.NewFlagSet("playground", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:0", "loopback `host:port` the page is served on (port 0 picks a free one)")
	verbose := flags.Bool("v", false, "copy the plugin processes' logs to stderr")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	pluginLog := io.Discard
	if *verbose {
		pluginLog = stderr
	}

	startCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	st, err := stack.Start(startCtx, stack.Options{PluginStderr: pluginLog})
	if err != nil {
		return fmt.Errorf("starting the local stack: %w", err)
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	srv, err := harness.Start(startCtx, harness.Options{
		Stack: st, Addr: *addr, AssumeRoleEnabled: true, PluginStderr: pluginLog,
	})
	if err != nil {
		return fmt.Errorf("starting the page server: %w", err)
	}
	defer func() { err = errors.Join(err, srv.Close()) }()

	fmt.Fprintf(stdout, "Prometheus (fixture data): %s (pid %d)\n", st.Prometheus.URL, st.Prometheus.Pid())
	fmt.Fprintf(stdout, "AMP emulator workspace:    %s (region %s)\n", st.WorkspaceURL(), st.Region)
	fmt.Fprintf(stdout, "AMP control plane:         %s\n", srv.ControlPlane.URL())
	fmt.Fprintf(stdout, "Plugin processes:          pid %d (stack), pid %d (page)\n", st.Plugin.Pid(), srv.PluginPid())
	fmt.Fprintf(stdout, "Emulator credentials:      access key %s, secret key %s (AWS's documented example keys)\n",
		stack.AccessKeyID, stack.SecretAccessKey)
	fmt.Fprintf(stdout, "Grafana API for ampmigrate: GRAFANA_URL=%s GRAFANA_TOKEN=%s\n", strings.TrimSuffix(srv.URL, "/"), harness.AdminToken)
	fmt.Fprintf(stdout, "Routes: #/explore #/variables #/annotations #/config #/dashboard #/retargeted; stop with Ctrl+C\n")
	fmt.Fprintf(stdout, "Playground: %s\n", srv.URL)

	<-ctx.Done()
	fmt.Fprintln(stdout, "Stopping the playground")
	return nil
}

// checkLoopback refuses addresses other engineers' machines or the network could reach: the page drives a
// plugin that holds credentials.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w (use host:port, e.g. 127.0.0.1:3000)", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: the playground only listens on a loopback address such as 127.0.0.1", addr)
	}
	return nil
}
