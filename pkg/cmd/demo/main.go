// Command demo runs the plugin's main job end to end on the local stack: it starts a real Prometheus over the
// fixture data and the AMP emulator, launches the built plugin the way Grafana does, provisions the data source
// from provisioning/, runs Save & test and an Explore-style range query, and prints what a user would see.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

const (
	provisioningFile = "provisioning/datasources/amazon-prometheus.yaml"
	demoExpr         = `sum by (status) (rate(fixture_http_requests_total{job="api"}[$__rate_interval]))`
	maxRows          = 13
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, stack.Options{})
	if err != nil {
		return err
	}
	defer func() { _ = st.Close() }()
	fmt.Printf("Prometheus (fixture data): %s\nAMP emulator workspace:    %s (region %s, SigV4 verified)\nPlugin process:            pid %d\n\n",
		st.Prometheus.URL, st.WorkspaceURL(), st.Region, st.Plugin.Pid())

	ds, err := st.LoadDataSource(provisioningFile)
	if err != nil {
		return err
	}
	cfg := pluginhost.GrafanaConfig(nil)
	health, err := st.CheckHealth(ctx, ds, cfg)
	if err != nil {
		return err
	}
	var details struct {
		VerboseMessage string `json:"verboseMessage"`
	}
	_ = json.Unmarshal(health.JsonDetails, &details)
	fmt.Printf("Save & test (%s): %s: %s\n  %s\n\n", ds.Name, health.Status, health.Message, strings.ReplaceAll(details.VerboseMessage, "\n", "\n  "))
	if health.Status.String() != "OK" {
		return fmt.Errorf("health check failed")
	}

	from := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	q := stack.Query{RefID: "A", From: from, To: from.Add(time.Hour), IntervalMs: 15000, MaxDataPoints: 1200,
		Model: map[string]any{"expr": demoExpr, "range": true, "instant": false, "legendFormat": "status {{status}}", "editorMode": "code"}}
	resp, err := st.QueryData(ctx, ds, cfg, nil, q)
	if err != nil {
		return err
	}
	r := resp["A"]
	if r.Error != "" {
		return fmt.Errorf("query failed: %s", r.Error)
	}
	fmt.Printf("Explore range query %s to %s\n  %s\n", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), demoExpr)
	if len(r.Frames) > 0 && r.Frames[0].Meta != nil {
		fmt.Printf("  %s\n", strings.ReplaceAll(r.Frames[0].Meta.ExecutedQueryString, "\n", " | "))
	}
	fmt.Printf("  %d series\n\n", len(r.Frames))
	printTable(r.Frames)

	records := st.AMP.Requests()
	fmt.Printf("\nThe emulator verified the SigV4 signature of all %d requests it received:\n", len(records))
	for _, rec := range records {
		fmt.Printf("  %s %-22s -> %d (access key %s, signed headers %s)\n", rec.Method, rec.Path, rec.Status, rec.AccessKeyID, strings.Join(rec.SignedHeaders, ";"))
	}
	return nil
}

// printTable prints one row per sampled timestamp and one column per series.
func printTable(frames data.Frames) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{"Time (UTC)"}
	for _, f := range frames {
		name := f.Fields[1].Name
		if f.Fields[1].Config != nil && f.Fields[1].Config.DisplayNameFromDS != "" {
			name = f.Fields[1].Config.DisplayNameFromDS
		}
		header = append(header, name)
	}
	fmt.Fprintln(w, strings.Join(header, "\t")+"\t")
	if len(frames) == 0 {
		_ = w.Flush()
		return
	}
	rows := frames[0].Rows()
	every := max(1, (rows+maxRows-2)/(maxRows-1))
	for i := 0; i < rows; i += every {
		line := []string{frames[0].Fields[0].At(i).(time.Time).Format("15:04:05")}
		for _, f := range frames {
			cell := "-"
			if i < f.Rows() {
				cell = fmt.Sprintf("%.4g", f.Fields[1].At(i))
			}
			line = append(line, cell)
		}
		fmt.Fprintln(w, strings.Join(line, "\t")+"\t")
	}
	_ = w.Flush()
}
