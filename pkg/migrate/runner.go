package migrate

import (
	"fmt"
	"io"
	"strings"
)

// Results an outcome can have besides the command's own verbs ("rolled back", "would migrate", ...).
const (
	ResultSkipped = "skipped"
	ResultFailed  = "failed"
)

// Outcome is what happened to one data source or dashboard.
type Outcome struct {
	UID, Name string
	Result    string
	Detail    string
}

// Report collects a command's outcomes.
type Report struct {
	command  string
	Outcomes []Outcome
}

// Failed returns the outcomes that failed.
func (r *Report) Failed() []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if o.Result == ResultFailed {
			out = append(out, o)
		}
	}
	return out
}

// Runner runs commands against one Grafana: it prints one line per item to Out and, when Log is set, appends
// one timestamped line per item to the log file.
type Runner struct {
	Client *Client
	Out    io.Writer
	Log    *LogFile
	// Apply makes changes; without it every command is a dry run.
	Apply bool
}

func (r *Runner) record(report *Report, o Outcome) {
	report.Outcomes = append(report.Outcomes, o)
	name := ""
	if o.Name != "" {
		name = fmt.Sprintf(" (%s)", o.Name)
	}
	fmt.Fprintf(r.Out, "%-16s %s%s: %s\n", o.Result, o.UID, name, o.Detail)
	if r.Log != nil {
		mode := "dry-run"
		if r.Apply {
			mode = "apply"
		}
		r.Log.Line(fmt.Sprintf("%s %s uid=%s name=%q result=%q detail=%q", report.command, mode, o.UID, o.Name,
			strings.ReplaceAll(o.Result, " ", "-"), o.Detail))
	}
}
