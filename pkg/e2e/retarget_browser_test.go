package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/migrate"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/harness"
)

// panelResult is one line of src/browser/retarget.mjs's output.
type panelResult struct {
	Dashboard, Panel, Datasource, Error string
}

// TestBrowserRetargetedDashboards imports the community dashboard fixtures into the page server with
// `ampmigrate dashboard retarget --file ... --apply`, then opens them in Chromium and runs every panel through
// the real DataSource class and the built plugin. Each panel must run without an error against this plugin's
// data source, and each query must reach /api/ds/query with the target data source and its expression as saved
// (variables interpolated, nothing else changed).
func TestBrowserRetargetedDashboards(t *testing.T) {
	browserTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := harness.Start(ctx, harness.Options{Stack: st, PluginStderr: pluginLog})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })

	// The Grafana the export came from has a core Prometheus data source named "Prometheus", which one panel of
	// the node exporter dashboard still names the legacy way.
	require.NoError(t, srv.Admin.AddDataSource(grafanaapi.DataSource{UID: "prometheus-core", Name: "Prometheus", Type: "prometheus"}))
	env := map[string]string{"GRAFANA_URL": srv.URL, "GRAFANA_TOKEN": harness.AdminToken}
	args := []string{"dashboard", "retarget", "--datasource", harness.QueryDataSourceUID, "--apply"}
	saved := map[string]savedDashboard{}
	for _, name := range communityDashboards {
		args = append(args, "--file", filepath.Join(st.Root, "testdata", "dashboards", name))
	}
	var stdout, stderr bytes.Buffer
	code := migrate.Main(ctx, args, func(k string) string { return env[k] }, &stdout, &stderr)
	require.Equal(t, migrate.ExitOK, code, stdout.String()+stderr.String())
	panels, targets := 0, 0
	for _, uid := range []string{"ksm-v2", "rYdddlPWk"} {
		versions, ok := srv.Admin.Dashboard(uid)
		require.True(t, ok, uid)
		var d savedDashboard
		require.NoError(t, json.Unmarshal(versions[0].JSON, &d))
		saved[uid] = d
		for _, p := range flattenPanels(d.Panels) {
			panels++
			targets += len(p.Targets)
		}
	}

	artifacts := filepath.Join(st.Root, "test-results", "browser-retarget")
	require.NoError(t, os.RemoveAll(artifacts))
	results := jsonLines[panelResult](t, runBrowserScript(ctx, t, "retarget.mjs", srv.URL, artifacts, "EXPECTED_PANELS="+strconv.Itoa(panels)))
	require.Len(t, results, panels)
	for _, r := range results {
		assert.Empty(t, r.Error, "%s / %s", r.Dashboard, r.Panel)
		assert.Equal(t, "grafana-amazonprometheus-datasource / "+harness.QueryDataSourceUID, r.Datasource, "%s / %s", r.Dashboard, r.Panel)
	}
	assertPNGs(t, artifacts, "retargeted-dashboards.png")

	// Every target reached Grafana's query API once, for the target data source, with its expression verbatim.
	want := map[string]string{}
	for uid, d := range saved {
		vars := map[string]string{}
		for _, v := range d.Templating.List {
			vars[v.Name] = currentValue(v.Current.Value)
		}
		for _, p := range flattenPanels(d.Panels) {
			for _, target := range p.Targets {
				expr, _ := target["expr"].(string)
				want[uid+"/"+strconv.Itoa(p.ID)+"/"+target["refId"].(string)] = interpolate(expr, vars)
			}
		}
	}
	got := map[string]string{}
	for _, q := range srv.QueryCalls() {
		var query struct {
			RefID      string            `json:"refId"`
			Expr       string            `json:"expr"`
			Datasource map[string]string `json:"datasource"`
		}
		require.NoError(t, json.Unmarshal(q.Query, &query))
		if _, ours := saved[q.DashboardUID]; !ours {
			continue
		}
		assert.Equal(t, map[string]string{"type": "grafana-amazonprometheus-datasource", "uid": harness.QueryDataSourceUID}, query.Datasource)
		got[q.DashboardUID+"/"+q.PanelID+"/"+query.RefID] = query.Expr
	}
	assert.Len(t, got, targets)
	assert.Equal(t, want, got)
	assert.False(t, strings.Contains(stdout.String(), harness.AdminToken))
}
