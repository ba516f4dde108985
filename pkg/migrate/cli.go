package migrate

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Exit statuses of the ampmigrate command.
const (
	ExitOK     = 0
	ExitFailed = 1 // some items failed; each is named
	ExitFatal  = 2 // usage, connection or authentication error
)

const usage = `Usage: ampmigrate <command> [flags]

Moves Grafana data sources between the core Prometheus type and ` + PluginType + `,
and points dashboards at this plugin's data sources, through Grafana's HTTP API.

Commands:
  status [--json] [--all]                      list data sources and their migration state
  rollback [--uid UID]... [--apply]            migrated data sources back to type prometheus
  migrate [--uid UID]... [--apply]             SigV4 Prometheus data sources to this plugin's type
  dashboard retarget (--uid UID... | --all | --file FILE...) --datasource UID [--apply]
                   [--message TEXT] [--folder-uid UID]
                                               rewrite dashboards' Prometheus references to one data source
                                               of this plugin and save them (--file imports an export)

Every command except status is a dry run unless --apply is given.

Flags for every command:
  --token-file FILE   read the service account token from FILE instead of GRAFANA_TOKEN
  --log FILE          append one timestamped line per data source or dashboard to FILE
  --ca-file FILE      trust this PEM CA bundle in addition to the system's
  --timeout DURATION  per-request timeout (default 30s)

Environment:
  GRAFANA_URL     Grafana's root URL, e.g. https://grafana.example.com
  GRAFANA_TOKEN   a service account token (never pass a token as a flag value)

Exit status: 0 all done, 1 some items failed (each named), 2 usage, connection or authentication error.
`

// Main runs the ampmigrate command line and returns its exit status.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	code, err := run(ctx, args, getenv, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "ampmigrate:", err)
	}
	return code
}

type common struct {
	tokenFile, logFile, caFile string
	timeout                    time.Duration
	apply                      bool
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		return ExitFatal, nil
	}
	for _, a := range args {
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "token" {
			return ExitFatal, &UsageError{Msg: "tokens are not accepted as flag values (they would end up in shell " +
				"history and process lists): set GRAFANA_TOKEN or pass --token-file FILE"}
		}
	}
	cmd, rest := args[0], args[1:]
	if cmd == "dashboard" {
		if len(rest) == 0 || rest[0] != "retarget" {
			return ExitFatal, &UsageError{Msg: "unknown dashboard command; use `ampmigrate dashboard retarget`"}
		}
		cmd, rest = "dashboard retarget", rest[1:]
	}
	fs := flag.NewFlagSet("ampmigrate "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	var c common
	fs.StringVar(&c.tokenFile, "token-file", "", "")
	fs.StringVar(&c.logFile, "log", "", "")
	fs.StringVar(&c.caFile, "ca-file", "", "")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "")
	var uids, files stringList
	var jsonOut, all bool
	var retarget RetargetOptions
	switch cmd {
	case "status":
		fs.BoolVar(&jsonOut, "json", false, "")
		fs.BoolVar(&all, "all", false, "")
	case "rollback", "migrate":
		fs.BoolVar(&c.apply, "apply", false, "")
		fs.Var(&uids, "uid", "")
	case "dashboard retarget":
		fs.BoolVar(&c.apply, "apply", false, "")
		fs.Var(&uids, "uid", "")
		fs.Var(&files, "file", "")
		fs.BoolVar(&retarget.All, "all", false, "")
		fs.StringVar(&retarget.DataSource, "datasource", "", "")
		fs.StringVar(&retarget.FolderUID, "folder-uid", "", "")
		fs.StringVar(&retarget.Message, "message", "", "")
	default:
		fmt.Fprint(stderr, usage)
		return ExitFatal, &UsageError{Msg: fmt.Sprintf("unknown command %q", cmd)}
	}
	if err := fs.Parse(rest); err != nil {
		return ExitFatal, nil
	}
	if fs.NArg() > 0 {
		return ExitFatal, &UsageError{Msg: fmt.Sprintf("unexpected argument %q; see `ampmigrate --help`", fs.Arg(0))}
	}
	if cmd == "dashboard retarget" {
		retarget.UIDs, retarget.Files = uids, files
		if retarget.DataSource == "" || (len(uids) == 0 && len(files) == 0 && !retarget.All) {
			return ExitFatal, &UsageError{Msg: "dashboard retarget needs --datasource UID and one of --uid UID, --all or --file FILE"}
		}
	}
	runner, closeLog, err := newRunner(ctx, c, getenv, stdout)
	if err != nil {
		return ExitFatal, err
	}
	code, err := dispatch(ctx, runner, cmd, uids, jsonOut, all, retarget, stderr)
	if cerr := closeLog(); cerr != nil && err == nil {
		return ExitFatal, fmt.Errorf("--log: %w", cerr)
	}
	return code, err
}

func dispatch(ctx context.Context, r *Runner, cmd string, uids []string, jsonOut, all bool, retarget RetargetOptions, stderr io.Writer) (int, error) {
	if cmd == "status" {
		if err := r.Status(ctx, all, jsonOut); err != nil {
			return ExitFatal, err
		}
		return ExitOK, nil
	}
	if !r.Apply {
		fmt.Fprintln(r.Out, "Dry run: nothing is changed. Add --apply to make these changes.")
	}
	var report *Report
	var err error
	switch cmd {
	case "rollback":
		report, err = r.Rollback(ctx, uids)
	case "migrate":
		report, err = r.Migrate(ctx, uids)
	default:
		report, err = r.RetargetDashboards(ctx, retarget)
	}
	if err != nil {
		return ExitFatal, err
	}
	if cmd == "migrate" && r.Apply && len(report.Outcomes) > len(report.Failed()) {
		fmt.Fprintln(r.Out, "Note: Grafana must forward its [aws] settings to the plugin: make sure "+PluginType+
			" is listed in [aws] forward_settings_to_plugins, or migrated data sources answer 401.")
	}
	if failed := report.Failed(); len(failed) > 0 {
		names := make([]string, len(failed))
		for i, f := range failed {
			names[i] = f.UID
		}
		fmt.Fprintf(stderr, "ampmigrate: %d of %d failed: %s\n", len(failed), len(report.Outcomes), strings.Join(names, ", "))
		return ExitFailed, nil
	}
	return ExitOK, nil
}

func newRunner(ctx context.Context, c common, getenv func(string) string, stdout io.Writer) (*Runner, func() error, error) {
	token := getenv("GRAFANA_TOKEN")
	if c.tokenFile != "" {
		raw, err := os.ReadFile(c.tokenFile)
		if err != nil {
			return nil, nil, &UsageError{Msg: fmt.Sprintf("--token-file: %v", err)}
		}
		token = strings.TrimSpace(string(raw))
		if token == "" {
			return nil, nil, &UsageError{Msg: fmt.Sprintf("--token-file %s is empty", c.tokenFile)}
		}
	}
	if getenv("GRAFANA_URL") == "" {
		return nil, nil, &UsageError{Msg: "GRAFANA_URL is not set; set it to Grafana's root URL, e.g. https://grafana.example.com"}
	}
	client, err := NewClient(Config{URL: getenv("GRAFANA_URL"), Token: token, CAFile: c.caFile, Timeout: c.timeout})
	if err != nil {
		return nil, nil, err
	}
	if err := client.Health(ctx); err != nil {
		return nil, nil, err
	}
	r := &Runner{Client: client, Out: stdout, Apply: c.apply}
	closeLog := func() error { return nil }
	if c.logFile != "" {
		if r.Log, err = OpenLog(c.logFile); err != nil {
			return nil, nil, err
		}
		closeLog = r.Log.Close
	}
	return r, closeLog, nil
}
