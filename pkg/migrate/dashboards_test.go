package migrate

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixturePath(name string) string {
	return filepath.Join("..", "..", "testdata", "dashboards", name)
}

func TestRetargetFileDryRunAndImport(t *testing.T) {
	g := grafana(t)
	logPath := filepath.Join(t.TempDir(), "retarget.log")
	args := []string{"dashboard", "retarget", "--datasource", "amp-native", "--log", logPath,
		"--file", fixturePath("kube-state-metrics.json"), "--file", fixturePath("node-exporter-full.json")}

	r := runCLI(t, g.URL(), adminToken, args...)
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Regexp(t, `would import\s+ksm-v2 \(kube-state-metrics.json\): 20 references -> amp-native`, r.stdout)
	assert.Regexp(t, `would import\s+rYdddlPWk \(node-exporter-full.json\)`, r.stdout)
	assert.Contains(t, r.stdout, `panels[3].datasource: "Prometheus" -> {"type":"grafana-amazonprometheus-datasource","uid":"amp-native"}`,
		"legacy names of the organisation's Prometheus data sources are recognised")
	_, imported := g.Dashboard("ksm-v2")
	assert.False(t, imported, "a dry run imports nothing")

	r = runCLI(t, g.URL(), adminToken, append(args, "--apply", "--folder-uid", "k8s")...)
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Regexp(t, `imported\s+ksm-v2 .*version 1 at /d/ksm-v2/kubernetes-kube-state-metrics`, r.stdout)
	for _, name := range communityDashboards {
		before, err := DecodeDashboard(fixture(t, name))
		require.NoError(t, err)
		versions, ok := g.Dashboard(before["uid"].(string))
		require.True(t, ok, name)
		require.Len(t, versions, 1)
		assert.Equal(t, "ampmigrate: Prometheus data source references retargeted to amp-native", versions[0].Message)
		saved, err := DecodeDashboard(versions[0].JSON)
		require.NoError(t, err)
		assert.Equal(t, queries(before, ""), queries(saved, ""), "queries saved verbatim")
		assert.NotContains(t, string(versions[0].JSON), `"type":"prometheus"`)
		assert.NotContains(t, string(versions[0].JSON), "DS_PROMETHEUS")
	}
	lines := logLines(t, logPath)
	require.Len(t, lines, 4)
	assert.Contains(t, lines[2], `dashboard-retarget apply uid=ksm-v2 name="kube-state-metrics.json" result="imported"`)

	r = runCLI(t, g.URL(), adminToken, append(args, "--apply")...)
	assert.Equal(t, ExitFailed, r.code, "importing again over the saved dashboards fails")
	assert.Contains(t, r.stdout, "retarget it there with --uid ksm-v2")
	assert.Contains(t, r.stderr, "2 of 2 failed: ksm-v2, rYdddlPWk")
}

func TestRetargetSavedDashboard(t *testing.T) {
	g := grafana(t)
	// As saved in Grafana: the export's inputs resolved to a concrete Prometheus data source.
	saved := strings.ReplaceAll(string(fixture(t, "kube-state-metrics.json")), "${DS_PROMETHEUS}", "prom-plain")
	var model map[string]any
	require.NoError(t, json.Unmarshal([]byte(saved), &model))
	delete(model, "__inputs")
	delete(model, "__requires")
	raw, err := json.Marshal(model)
	require.NoError(t, err)
	require.NoError(t, g.AddDashboard(raw, "k8s", false))
	require.NoError(t, g.AddDashboard(json.RawMessage(`{"uid":"logs","title":"Logs","panels":[{"id":1,"datasource":{"type":"loki","uid":"loki"}}]}`), "", false))
	require.NoError(t, g.AddDashboard(json.RawMessage(`{"uid":"prov","title":"Provisioned","panels":[{"id":1,"datasource":{"type":"prometheus","uid":"prom-plain"}}]}`), "", true))

	r := runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "amp-native", "--all")
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Regexp(t, `would retarget\s+ksm-v2 \(Kubernetes / kube-state-metrics\): 17 references -> amp-native`, r.stdout)
	assert.Regexp(t, `skipped\s+logs \(Logs\): no Prometheus data source reference`, r.stdout)
	assert.Regexp(t, `skipped\s+prov \(Provisioned\): provisioned dashboard`, r.stdout)
	versions, _ := g.Dashboard("ksm-v2")
	assert.Len(t, versions, 1)

	r = runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "amp-native", "--uid", "ksm-v2",
		"--message", "point at AMP", "--apply")
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Regexp(t, `retargeted\s+ksm-v2 .*saved as version 4`, r.stdout)
	versions, _ = g.Dashboard("ksm-v2")
	require.Len(t, versions, 2)
	assert.Equal(t, "point at AMP", versions[1].Message)
	before, err := DecodeDashboard(versions[0].JSON)
	require.NoError(t, err)
	after, err := DecodeDashboard(versions[1].JSON)
	require.NoError(t, err)
	assert.Equal(t, queries(before, ""), queries(after, ""))
	assert.NotContains(t, string(versions[1].JSON), "prom-plain")

	r = runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "amp-native", "--uid", "missing", "--apply")
	assert.Equal(t, ExitFailed, r.code)
	assert.Contains(t, r.stdout, "404 Not Found: Dashboard not found")

	r = runCLI(t, g.URL(), readerToken, "dashboard", "retarget", "--datasource", "amp-native", "--uid", "logs", "--uid", "ksm-v2", "--apply")
	assert.Equal(t, ExitOK, r.code, "nothing left to change in ksm-v2, so no save is attempted")
	assertDocumentedAPI(t, g)
}

func TestRetargetNeedsThisPluginsDataSource(t *testing.T) {
	g := grafana(t)
	r := runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "prom-sigv4", "--all")
	assert.Equal(t, ExitFatal, r.code)
	assert.Contains(t, r.stderr, "--datasource prom-sigv4 has type prometheus; pass a data source of type grafana-amazonprometheus-datasource")
	r = runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "nope", "--all")
	assert.Equal(t, ExitFatal, r.code)
	assert.Contains(t, r.stderr, "--datasource nope: no data source with this uid")
}

func TestRetargetWithoutSavePermission(t *testing.T) {
	g := grafana(t)
	r := runCLI(t, g.URL(), readerToken, "dashboard", "retarget", "--datasource", "amp-native", "--apply",
		"--file", fixturePath("node-exporter-full.json"))
	assert.Equal(t, ExitFailed, r.code)
	assert.Contains(t, r.stdout, "403 Forbidden: the service account lacks the permission dashboards:create")
}

func TestRetargetRereadsAfterAConcurrentSave(t *testing.T) {
	g := grafana(t)
	model := `{"uid":"d1","title":"One","version":1,"panels":[{"id":1,"datasource":{"type":"prometheus","uid":"prom-plain"},"targets":[{"refId":"A","expr":"up"}]}]}`
	require.NoError(t, g.AddDashboard(json.RawMessage(model), "", false))
	g.SaveConcurrently("d1", 1)
	r := runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "amp-native", "--uid", "d1", "--apply")
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Regexp(t, `retargeted\s+d1 \(One\): 1 references -> amp-native; saved as version 3`, r.stdout)
	versions, _ := g.Dashboard("d1")
	require.Len(t, versions, 3)
	assert.Equal(t, "concurrent edit", versions[1].Message)
	assert.Contains(t, string(versions[2].JSON), `"uid":"amp-native"`)

	require.NoError(t, g.AddDashboard(json.RawMessage(`{"uid":"d2","title":"Two","panels":[{"id":1,"datasource":"Prometheus"}]}`), "", false))
	g.SaveConcurrently("d2", 2)
	r = runCLI(t, g.URL(), adminToken, "dashboard", "retarget", "--datasource", "amp-native", "--uid", "d2", "--apply")
	assert.Equal(t, ExitFailed, r.code)
	assert.Regexp(t, `failed\s+d2 \(Two\): POST /api/dashboards/db: 412 Precondition Failed: The dashboard has been changed by someone else \(version-mismatch\)`, r.stdout)
}
