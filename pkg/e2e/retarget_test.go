package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/migrate"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// communityDashboards are the grafana.com-export-shaped fixtures the retarget command is tested on.
var communityDashboards = []string{"kube-state-metrics.json", "node-exporter-full.json"}

// TestRetargetedCommunityDashboardsRun imports the community dashboard fixtures with `ampmigrate dashboard
// retarget --file --apply` into an emulated Grafana, then runs every target and annotation of the saved result
// through the built plugin against AMP (emulated, in front of a Prometheus holding kube-state-metrics and
// node_exporter series), the way Grafana runs a dashboard: each query with its data source reference resolved
// and its template variables interpolated. Every panel query must come back with data.
func TestRetargetedCommunityDashboardsRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ds := communityDataSource(t, ctx)

	g := grafanaapi.Start(grafanaapi.Token{Value: "glsa_e2e_retarget", Permissions: grafanaapi.AllPermissions})
	t.Cleanup(g.Close)
	require.NoError(t, g.AddDataSource(grafanaapi.DataSource{UID: ds.UID, Name: ds.Name, Type: ds.Type, URL: ds.URL, JSONData: ds.JSONData}))
	require.NoError(t, g.AddDataSource(grafanaapi.DataSource{UID: "prom", Name: "Prometheus", Type: "prometheus"}))
	client, err := migrate.NewClient(migrate.Config{URL: g.URL(), Token: "glsa_e2e_retarget"})
	require.NoError(t, err)
	var out strings.Builder
	files := make([]string, len(communityDashboards))
	for i, name := range communityDashboards {
		files[i] = filepath.Join(st.Root, "testdata", "dashboards", name)
	}
	runner := &migrate.Runner{Client: client, Out: &out, Apply: true}
	report, err := runner.RetargetDashboards(ctx, migrate.RetargetOptions{DataSource: ds.UID, Files: files})
	require.NoError(t, err)
	require.Empty(t, report.Failed(), out.String())

	for _, name := range communityDashboards {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(st.Root, "testdata", "dashboards", name))
			require.NoError(t, err)
			var export struct {
				UID string `json:"uid"`
			}
			require.NoError(t, json.Unmarshal(raw, &export))
			versions, ok := g.Dashboard(export.UID)
			require.True(t, ok, "the dashboard was imported")
			var saved savedDashboard
			require.NoError(t, json.Unmarshal(versions[len(versions)-1].JSON, &saved))
			runDashboard(t, ctx, ds, saved)
		})
	}
}

// communityDataSource starts Prometheus with the community fixture behind an AMP emulator and returns a data
// source of this plugin for it, signed with the stack's keys.
func communityDataSource(t *testing.T, ctx context.Context) pluginhost.DataSource {
	t.Helper()
	fixture, err := writeCommunityFixture(t.TempDir())
	require.NoError(t, err)
	_, amp := startOwnWorkspace(t, ctx, promserver.Options{Fixture: fixture})
	ds := dataSource(t, provisioning, nil)
	ds.URL, ds.Name = amp.WorkspaceURL(stack.WorkspaceID), "AMP community"
	return ds
}

// savedDashboard is the part of a dashboard model that decides what Grafana queries.
type savedDashboard struct {
	Panels      []savedPanel `json:"panels"`
	Annotations struct {
		List []map[string]any `json:"list"`
	} `json:"annotations"`
	Templating struct {
		List []struct {
			Name    string `json:"name"`
			Type    string `json:"type"`
			Query   any    `json:"query"`
			Current struct {
				Value any `json:"value"`
			} `json:"current"`
			Datasource any `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
}

type savedPanel struct {
	ID         int              `json:"id"`
	Type       string           `json:"type"`
	Title      string           `json:"title"`
	Datasource any              `json:"datasource"`
	Targets    []map[string]any `json:"targets"`
	Panels     []savedPanel     `json:"panels"`
}

// flattenPanels lists a dashboard's panels, those inside rows included, without the rows themselves.
func flattenPanels(ps []savedPanel) []savedPanel {
	var out []savedPanel
	for _, p := range ps {
		if p.Type != "row" {
			out = append(out, p)
		}
		out = append(out, flattenPanels(p.Panels)...)
	}
	return out
}

// runDashboard runs every query of a saved dashboard through the plugin.
func runDashboard(t *testing.T, ctx context.Context, ds pluginhost.DataSource, d savedDashboard) {
	vars := map[string]string{}
	for _, v := range d.Templating.List {
		if v.Type == "query" {
			assertPointsAt(t, ds.UID, "variable "+v.Name, v.Datasource, vars)
		}
		vars[v.Name] = currentValue(v.Current.Value)
	}
	if v, ok := vars["datasource"]; ok {
		require.Equal(t, ds.UID, v, "the data source variable defaults to the target")
	}
	ran := 0
	for _, p := range flattenPanels(d.Panels) {
		for _, target := range p.Targets {
			ref := target["datasource"]
			if ref == nil {
				ref = p.Datasource
			}
			assertPointsAt(t, ds.UID, p.Title, ref, vars)
			resp := runQuery(t, ctx, ds, target, vars)
			require.Empty(t, resp.Error, "%s / %v: %s", p.Title, target["refId"], target["expr"])
			require.NotEmpty(t, resp.Frames, "%s: no frames for %s", p.Title, target["expr"])
			assert.Positive(t, resp.Frames[0].Rows(), "%s: no data for %s", p.Title, target["expr"])
			ran++
		}
	}
	require.Positive(t, ran)
	t.Logf("%d panel queries returned data", ran)
	for _, a := range d.Annotations.List {
		if _, ok := a["expr"]; !ok {
			continue
		}
		assertPointsAt(t, ds.UID, "annotation "+a["name"].(string), a["datasource"], vars)
		resp := runQuery(t, ctx, ds, a, vars)
		require.Empty(t, resp.Error, "annotation %s", a["name"])
		if a["enable"] == true {
			require.NotEmpty(t, resp.Frames, "annotation %s found no events", a["name"])
		}
	}
}

// assertPointsAt checks that a data source reference resolves to the target data source, directly or through
// the dashboard's data source variable.
func assertPointsAt(t *testing.T, uid, what string, ref any, vars map[string]string) {
	t.Helper()
	var got string
	switch r := ref.(type) {
	case string:
		got = r
	case map[string]any:
		assert.Equal(t, "grafana-amazonprometheus-datasource", r["type"], what)
		got, _ = r["uid"].(string)
	}
	assert.Equal(t, uid, interpolate(got, vars), "%s refers to %v", what, ref)
}

// runQuery sends one target as Grafana would after interpolating the dashboard's variables; the queries' own
// macros ($__rate_interval, $__interval) are the plugin's to expand.
func runQuery(t *testing.T, ctx context.Context, ds pluginhost.DataSource, target map[string]any, vars map[string]string) stack.Response {
	t.Helper()
	model := map[string]any{}
	for k, v := range target {
		model[k] = v
	}
	expr, _ := target["expr"].(string)
	model["expr"] = interpolate(expr, vars)
	model["datasource"] = map[string]any{"type": ds.Type, "uid": ds.UID}
	refID, _ := target["refId"].(string)
	if refID == "" {
		refID = "Anno"
	}
	resps, err := st.QueryData(ctx, ds, nil, nil, stack.Query{
		RefID: refID, From: communityStart, To: communityStart.Add(communitySpan), IntervalMs: 60_000,
		MaxDataPoints: 60, Model: model,
	})
	require.NoError(t, err)
	return resps[refID]
}

// interpolate replaces $name and ${name} with the variables' current values, longest names first so that
// $node does not eat the start of $nodename.
func interpolate(s string, vars map[string]string) string {
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	for _, n := range names {
		s = strings.ReplaceAll(s, "${"+n+"}", vars[n])
		s = strings.ReplaceAll(s, "$"+n, vars[n])
	}
	return s
}

// currentValue is a variable's current value as a regex-safe string: All becomes .*, several values a|b.
func currentValue(v any) string {
	switch x := v.(type) {
	case string:
		if x == "$__all" {
			return ".*"
		}
		return x
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = currentValue(p)
		}
		return strings.Join(parts, "|")
	}
	return ""
}
