// Command ampemulator serves an Amazon Managed Service for Prometheus workspace emulator: a SigV4-verifying
// gateway in front of a real Prometheus, for local and docker-compose test setups. It prints its base URL on
// stdout once it listens.
//
//	ampemulator -upstream http://127.0.0.1:9090 -region us-east-1 -workspace ws-test \
//	    -access-key AKIDEXAMPLE -secret-key secret
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

const (
	envAccessKey = "AMPEMU_ACCESS_KEY"
	envSecretKey = "AMPEMU_SECRET_KEY"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ampemulator:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	listen, cfg, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	emu, err := ampemu.Listen(listen, cfg)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, emu.URL()); err != nil {
		_ = emu.Close()
		return err
	}
	for _, id := range cfg.Workspaces {
		fmt.Fprintf(stderr, "workspace %s: %s -> %s\n", id, emu.WorkspaceURL(id), cfg.Upstream)
	}
	<-ctx.Done()
	return emu.Close()
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (string, ampemu.Config, error) {
	fs := flag.NewFlagSet("ampemulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		workspaces listFlag
		key        ampemu.Key
		cfg        ampemu.Config
	)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on; port 0 picks a free one (use 0.0.0.0:8080 in a container)")
	fs.StringVar(&cfg.Upstream, "upstream", "", "base URL of the Prometheus to forward to (required)")
	fs.StringVar(&cfg.Region, "region", "", "SigV4 region requests must be signed for (required)")
	fs.StringVar(&cfg.Service, "service", "aps", "SigV4 service requests must be signed for")
	fs.Var(&workspaces, "workspace", "known workspace id; repeat the flag or separate ids with commas (required)")
	fs.StringVar(&key.AccessKeyID, "access-key", "", "accepted access key id (default $"+envAccessKey+")")
	fs.StringVar(&key.SecretAccessKey, "secret-key", "", "secret of the access key (default $"+envSecretKey+")")
	fs.DurationVar(&cfg.MaxSkew, "max-skew", 5*time.Minute, "largest accepted distance between X-Amz-Date and now")
	if err := fs.Parse(args); err != nil {
		return "", cfg, err
	}
	if fs.NArg() > 0 {
		return "", cfg, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	// The secret is read from the environment after parsing so that -h never prints it as a default.
	if key.AccessKeyID == "" {
		key.AccessKeyID = getenv(envAccessKey)
	}
	if key.SecretAccessKey == "" {
		key.SecretAccessKey = getenv(envSecretKey)
	}
	var missing []string
	if cfg.Upstream == "" {
		missing = append(missing, "-upstream")
	}
	if cfg.Region == "" {
		missing = append(missing, "-region")
	}
	if len(workspaces) == 0 {
		missing = append(missing, "-workspace")
	}
	if key.AccessKeyID == "" {
		missing = append(missing, "-access-key (or $"+envAccessKey+")")
	}
	if key.SecretAccessKey == "" {
		missing = append(missing, "-secret-key (or $"+envSecretKey+")")
	}
	if len(missing) > 0 {
		return "", cfg, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	cfg.Workspaces = workspaces
	cfg.Keys = []ampemu.Key{key}
	return *listen, cfg, nil
}

// listFlag collects values of a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string {
	return strings.Join(*l, ",")
}

func (l *listFlag) Set(value string) error {
	for _, v := range strings.Split(value, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}
