package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/plugin"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/harness"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// defaultChromium is where Debian's chromium package installs the browser.
const defaultChromium = "/usr/bin/chromium"

// screenshots the browser script must leave behind.
var screenshots = []string{
	"01-completion.png",
	"02-query-results.png",
	"03-variable.png",
	"04-config-unsaved.png",
	"05-workspace-picker.png",
	"06-config-saved-and-tested.png",
	"07-full-page.png",
	"08-migrated-dashboard.png",
	"09-annotations.png",
	"10-migrated-query-no-errors.png",
	"11-lint-error.png",
	"12-range-variable-completion.png",
	"13-variable-label-picker.png",
	"14-adhoc-filter-values.png",
	"15-group-by-and-scope.png",
	"16-filter-for-value.png",
	"17-variable-metric-picker.png",
}

// dashboardFixturePath is the dashboard saved by Grafana's core Prometheus data source that the harness page
// migrates, opens and runs.
var dashboardFixturePath = filepath.Join("src", "testing", "prometheus_dashboard.json")

// grafanaQueryKeys are the keys Grafana's frontend and the data source (utcOffsetSec, as Grafana's Prometheus data
// source does) add to each query of /api/ds/query; the rest is the target.
var grafanaQueryKeys = []string{"datasourceId", "intervalMs", "maxDataPoints", "utcOffsetSec"}

// dashboardFixture is the part of a saved dashboard the query check reads.
type dashboardFixture struct {
	UID    string `json:"uid"`
	Panels []struct {
		ID      int              `json:"id"`
		Targets []map[string]any `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name    string `json:"name"`
			Current struct {
				Value string `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
}

// migratedTarget is what a saved target must look like on the wire after Grafana's type migration and variable
// interpolation: the data source reference has this plugin's type and the same uid, the dashboard variables are
// replaced in expr, and every other key and value is the saved one.
func migratedTarget(t *testing.T, target map[string]any, variables map[string]string) map[string]any {
	t.Helper()
	want := make(map[string]any, len(target))
	for k, v := range target {
		want[k] = v
	}
	ref, ok := target["datasource"].(map[string]any)
	require.True(t, ok, "the saved target names its data source: %v", target)
	require.Equal(t, "prometheus", ref["type"], "the fixture is saved by the core Prometheus data source")
	want["datasource"] = map[string]any{"type": plugin.PluginID, "uid": ref["uid"]}
	expr, ok := target["expr"].(string)
	require.True(t, ok)
	for name, value := range variables {
		expr = strings.ReplaceAll(expr, "$"+name, value)
	}
	want["expr"] = expr
	return want
}

// browserTools returns the Chromium and Node executables, failing with what to install when one is missing.
func browserTools(t *testing.T) (chromium, node string) {
	t.Helper()
	chromium = os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = defaultChromium
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium is missing (%s): install it with `apt-get install -y --no-install-recommends chromium` "+
			"or set CHROMIUM_PATH", chromium)
	}
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js is missing; the browser test drives Chromium from Node")
	if _, err := os.Stat(filepath.Join(st.Root, "node_modules", "playwright-core", "package.json")); err != nil {
		t.Fatalf("node_modules/playwright-core is missing: run `npm install --no-audit --no-fund` first")
	}
	return chromium, node
}

// TestBrowser mounts the real editors in Chromium against the built plugin: PromQL completion from the test
// Prometheus, a query, a template variable, the config editor with the workspace picker, and a dashboard saved by
// the core Prometheus data source, migrated to this plugin and run panel by panel.
func TestBrowser(t *testing.T) {
	browserTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := harness.Start(ctx, harness.Options{Stack: st, AssumeRoleEnabled: true, PluginStderr: pluginLog})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })

	artifacts := filepath.Join(st.Root, "test-results", "browser")
	require.NoError(t, os.RemoveAll(artifacts))
	require.NoError(t, os.MkdirAll(artifacts, 0o755))
	workspaceURL := strings.TrimSuffix(st.WorkspaceURL(), "/") + "/"

	runBrowserScript(ctx, t, "run.mjs", srv.URL, artifacts, "EXPECTED_WORKSPACE_URL="+workspaceURL)

	t.Run("screenshots", func(t *testing.T) { assertPNGs(t, artifacts, screenshots...) })

	t.Run("completion asked the plugin for metric names in the dashboard range", func(t *testing.T) {
		var found bool
		for _, c := range srv.ResourceCalls() {
			if c.UID != harness.QueryDataSourceUID || c.Path != "api/v1/label/__name__/values" {
				continue
			}
			found = true
			q, err := url.ParseQuery(c.RawQuery)
			require.NoError(t, err)
			assert.Equal(t, "GET", c.Method)
			assert.Equal(t, []string{"1767225600"}, q["start"], "FixtureStart %d", promserver.FixtureStart.Unix())
			assert.Equal(t, []string{"1767247200"}, q["end"])
		}
		assert.True(t, found, "no metric-name request in %+v", srv.ResourceCalls())
	})

	t.Run("group-by keys, the scope and the ad-hoc filter reached the backend's PromQL", func(t *testing.T) {
		// The backend rewrites the PromQL with Prometheus' printer: matchers sorted, grouping keys appended.
		want := regexp.MustCompile(`^sum by \(status, instance\) \(rate\(fixture_http_requests_total\{job="api",status="500"\}\[[0-9a-z]+\]\)\)$`)
		var seen []string
		found := false
		for _, r := range st.AMP.Requests() {
			q := r.Form.Get("query")
			if r.Path != "/api/v1/query_range" || !strings.Contains(q, "fixture_http_requests_total") {
				continue
			}
			seen = append(seen, q)
			found = found || want.MatchString(q)
		}
		assert.True(t, found, "no query_range with the rewritten PromQL among %q", seen)
	})

	t.Run("the picker listed and described workspaces with the saved keys", func(t *testing.T) {
		var list, describe bool
		for _, r := range srv.ControlPlane.Requests() {
			assert.Equal(t, stack.AccessKeyID, r.AccessKeyID)
			list = list || r.Path == "/workspaces"
			describe = describe || r.Path == "/workspaces/"+stack.WorkspaceID
		}
		assert.True(t, list, "ListWorkspaces")
		assert.True(t, describe, "DescribeWorkspace")
	})

	t.Run("each migrated panel sent its saved query", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(st.Root, dashboardFixturePath))
		require.NoError(t, err)
		var saved dashboardFixture
		require.NoError(t, json.Unmarshal(raw, &saved))
		require.NotEmpty(t, saved.Panels)
		variables := map[string]string{}
		for _, v := range saved.Templating.List {
			variables[v.Name] = v.Current.Value
		}
		require.Equal(t, map[string]string{"job": "api"}, variables)

		sent := map[string][]map[string]any{}
		for _, c := range srv.QueryCalls() {
			if c.DashboardUID != saved.UID {
				continue
			}
			var q map[string]any
			require.NoError(t, json.Unmarshal(c.Query, &q))
			sent[c.PanelID] = append(sent[c.PanelID], q)
		}
		assert.Len(t, sent, len(saved.Panels), "one request per panel")
		for _, p := range saved.Panels {
			got := sent[strconv.Itoa(p.ID)]
			require.Len(t, got, len(p.Targets), "panel %d", p.ID)
			for i, target := range p.Targets {
				want := migratedTarget(t, target, variables)
				assert.Equal(t, harness.MigratedDataSourceUID, want["datasource"].(map[string]any)["uid"])
				assert.Equal(t, float64(0), got[i]["utcOffsetSec"], "the dashboard is in UTC")
				for _, k := range grafanaQueryKeys {
					assert.Contains(t, got[i], k, "panel %d", p.ID)
					delete(got[i], k)
				}
				assert.Equal(t, want, got[i], "panel %d target %d", p.ID, i)
			}
		}
	})

	t.Run("the config editor saved what the backend reads", func(t *testing.T) {
		settings, ok := srv.DataSource(harness.ConfigDataSourceUID)
		require.True(t, ok)
		assert.Equal(t, workspaceURL, settings.URL)
		var jsonData map[string]any
		require.NoError(t, json.Unmarshal(settings.JSONData, &jsonData))
		assert.Equal(t, map[string]any{
			"sigV4Auth": true, "sigV4AuthType": "keys", "sigV4Region": st.Region, "httpMethod": "POST", "timeInterval": "15s",
		}, jsonData)
		assert.Equal(t, map[string]string{"sigV4AccessKey": stack.AccessKeyID, "sigV4SecretKey": stack.SecretAccessKey}, settings.SecureJSONData)
		assert.Equal(t, int64(3), settings.Version, "saved once before and once after picking the workspace")
	})
}
