package migrate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatus(t *testing.T) {
	g := grafana(t)
	r := runCLI(t, g.URL(), readerToken, "status")
	require.Equal(t, ExitOK, r.code, r.stderr)
	for _, want := range []string{
		"amp-migrated", "migrated", "prom-sigv4", "not-migrated", "amp-provisioned", "prom-rolled-back", "prom-provisioned",
	} {
		assert.Contains(t, r.stdout, want)
	}
	for _, hidden := range []string{"loki", "prom-plain", "amp-native"} {
		assert.NotContains(t, r.stdout, hidden, "not-needed data sources are listed only with --all")
	}

	r = runCLI(t, g.URL(), readerToken, "status", "--json", "--all")
	require.Equal(t, ExitOK, r.code, r.stderr)
	var entries []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &entries))
	require.Len(t, entries, 8)
	states := map[string]string{}
	for _, e := range entries {
		keys := make([]string, 0, len(e))
		for k := range e {
			keys = append(keys, k)
		}
		assert.ElementsMatch(t, []string{"uid", "name", "type", "readOnly", "state"}, keys)
		states[e["uid"].(string)] = e["state"].(string)
	}
	assert.Equal(t, map[string]string{
		"amp-migrated": StateMigrated, "amp-provisioned": StateMigrated, "prom-sigv4": StateNotMigrated,
		"prom-rolled-back": StateNotMigrated, "prom-provisioned": StateNotMigrated, "prom-plain": StateNotNeeded,
		"amp-native": StateNotNeeded, "loki": StateNotNeeded,
	}, states)
	assert.Equal(t, []any{"AMP native", "AMP prod", "AMP provisioned"}, []any{entries[0]["name"], entries[1]["name"], entries[2]["name"]},
		"Grafana's order: by name")
	assert.Equal(t, true, entries[2]["readOnly"])
}

func TestRollbackDryRunChangesNothing(t *testing.T) {
	g := grafana(t)
	before := dataSourceView(t, g, "amp-migrated")
	logPath := filepath.Join(t.TempDir(), "rollback.log")
	r := runCLI(t, g.URL(), adminToken, "rollback", "--log", logPath)
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Dry run")
	assert.Regexp(t, `would roll back\s+amp-migrated \(AMP prod\): type grafana-amazonprometheus-datasource -> prometheus`, r.stdout)
	assert.Regexp(t, `skipped\s+amp-provisioned`, r.stdout)
	assert.NotContains(t, r.stdout, "prom-sigv4")
	for _, req := range g.Requests() {
		assert.NotEqual(t, "PUT", req.Method, "a dry run sends no update")
	}
	assert.Equal(t, before, dataSourceView(t, g, "amp-migrated"))

	lines := logLines(t, logPath)
	require.Len(t, lines, 2)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ rollback dry-run uid=amp-migrated name="AMP prod" result="would-roll-back"`, lines[0])
	assert.Contains(t, lines[1], `uid=amp-provisioned`)
}

func TestRollbackApply(t *testing.T) {
	g := grafana(t)
	before, _ := g.DataSource("amp-migrated")
	logPath := filepath.Join(t.TempDir(), "rollback.log")
	require.NoError(t, os.WriteFile(logPath, []byte("an earlier run\n"), 0o600))

	r := runCLI(t, g.URL(), adminToken, "rollback", "--apply", "--log", logPath)
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Regexp(t, `rolled back\s+amp-migrated`, r.stdout)
	assert.Regexp(t, "skipped\\s+amp-provisioned \\(AMP provisioned\\): read-only \\(provisioned\\).*`type: prometheus`.*datasources\\[\\]\\.type", r.stdout)

	after, _ := g.DataSource("amp-migrated")
	assert.Equal(t, PrometheusType, after.Type)
	assert.JSONEq(t, `{"sigV4Auth":true,"sigV4AuthType":"keys","sigV4Region":"us-east-2","httpMethod":"POST","timeInterval":"30s","prometheus-type-migration":false}`, string(after.JSONData))
	assert.Equal(t, before.SecureJSONData, after.SecureJSONData, "secrets kept")
	assert.Equal(t, before.Version+1, after.Version)
	assert.True(t, after.IsDefault)
	assert.Equal(t, before.URL, after.URL)

	prov, _ := g.DataSource("amp-provisioned")
	assert.Equal(t, PluginType, prov.Type, "read-only data sources are not touched")

	var puts int
	for _, req := range g.Requests() {
		if req.Method != "PUT" {
			continue
		}
		puts++
		assert.Equal(t, "/api/datasources/uid/amp-migrated", req.Path)
		var body map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(req.Body, &body))
		assert.NotContains(t, body, "secureJsonData", "secrets are never sent, so Grafana keeps them")
		assert.Equal(t, "7", string(body["version"]), "the version read is sent back")
		assert.Equal(t, `"prometheus"`, string(body["type"]))
	}
	assert.Equal(t, 1, puts)

	lines := logLines(t, logPath)
	require.Len(t, lines, 3, "the log is appended to")
	assert.Equal(t, "an earlier run", lines[0])
	assert.Regexp(t, `Z rollback apply uid=amp-migrated name="AMP prod" result="rolled-back"`, lines[1])

	r = runCLI(t, g.URL(), adminToken, "rollback", "--apply")
	require.Equal(t, ExitOK, r.code)
	assert.NotContains(t, r.stdout, "amp-migrated", "a second run finds nothing left to roll back")
}

func TestRollbackByUID(t *testing.T) {
	g := grafana(t)
	r := runCLI(t, g.URL(), adminToken, "rollback", "--apply", "--uid", "amp-migrated", "--uid", "prom-sigv4", "--uid", "nope")
	assert.Equal(t, ExitFailed, r.code, "an unknown uid is a failed item")
	assert.Regexp(t, `failed\s+nope: no data source with this uid`, r.stdout)
	assert.Regexp(t, `skipped\s+prom-sigv4 \(Prometheus SigV4\): its state is not-migrated, not migrated`, r.stdout)
	assert.Regexp(t, `rolled back\s+amp-migrated`, r.stdout)
	assert.Contains(t, r.stderr, "1 of 3 failed: nope")
}

func TestVersionConflictRereadsOnce(t *testing.T) {
	g := grafana(t)
	g.EditConcurrently("amp-migrated", 1)
	r := runCLI(t, g.URL(), adminToken, "rollback", "--apply", "--uid", "amp-migrated")
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "after re-reading a concurrent change")
	ds, _ := g.DataSource("amp-migrated")
	assert.Equal(t, PrometheusType, ds.Type)

	g.EditConcurrently("prom-sigv4", 2)
	r = runCLI(t, g.URL(), adminToken, "migrate", "--apply", "--uid", "prom-sigv4")
	assert.Equal(t, ExitFailed, r.code)
	assert.Regexp(t, `failed\s+prom-sigv4 .*409 Conflict: Datasource has already been updated by someone else`, r.stdout)
	assert.Contains(t, r.stderr, "1 of 1 failed: prom-sigv4")
}

func TestMigrateApply(t *testing.T) {
	g := grafana(t)
	r := runCLI(t, g.URL(), adminToken, "migrate")
	require.Equal(t, ExitOK, r.code)
	assert.Regexp(t, `would migrate\s+prom-sigv4`, r.stdout)
	assert.Regexp(t, `would migrate\s+prom-rolled-back`, r.stdout)
	assert.Regexp(t, "skipped\\s+prom-provisioned .*`type: grafana-amazonprometheus-datasource`", r.stdout)
	assert.NotContains(t, r.stdout, "prom-plain", "Prometheus without SigV4 stays")

	r = runCLI(t, g.URL(), adminToken, "migrate", "--apply")
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "forward_settings_to_plugins")
	ds, _ := g.DataSource("prom-sigv4")
	assert.Equal(t, PluginType, ds.Type)
	assert.Contains(t, string(ds.JSONData), `"prometheus-type-migration":true`)
	assert.Equal(t, "kept", ds.BasicAuthUser)
	assert.Equal(t, "wJalrXUtnFEMI/K7MDENG/secret", ds.SecureJSONData["sigV4SecretKey"])
	plain, _ := g.DataSource("prom-plain")
	assert.Equal(t, PrometheusType, plain.Type)
}

// TestRoundTrip: every data source an admin can convert comes back byte for byte (the API's answer apart from
// the version Grafana bumps on each save) and with the same secrets. Grafana's own migration leaves data sources
// migrated with the flag true; rollback then migrate restores them exactly, and a rolled-back data source (flag
// false) survives migrate then rollback exactly.
func TestRoundTrip(t *testing.T) {
	g := grafana(t)
	uids := []string{"amp-migrated", "amp-provisioned", "prom-sigv4", "prom-rolled-back", "prom-provisioned", "prom-plain", "amp-native", "loki"}
	start := map[string]snapshot{}
	for _, uid := range uids {
		start[uid] = dataSourceView(t, g, uid)
	}
	for _, step := range [][]string{{"rollback", "--apply"}, {"migrate", "--apply"}} {
		r := runCLI(t, g.URL(), adminToken, step...)
		require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	}
	for _, uid := range []string{"amp-migrated", "amp-provisioned", "prom-provisioned", "prom-plain", "amp-native", "loki"} {
		assert.Equal(t, string(start[uid].body), string(dataSourceView(t, g, uid).body), uid)
		assert.Equal(t, start[uid].secrets, dataSourceView(t, g, uid).secrets, uid)
	}
	// Now every SigV4 data source is migrated; rolling back restores the ones that started as core Prometheus.
	r := runCLI(t, g.URL(), adminToken, "rollback", "--apply")
	require.Equal(t, ExitOK, r.code, r.stdout+r.stderr)
	assert.Equal(t, string(start["prom-rolled-back"].body), string(dataSourceView(t, g, "prom-rolled-back").body))
	assert.Equal(t, start["prom-rolled-back"].secrets, dataSourceView(t, g, "prom-rolled-back").secrets)

	// A data source that never carried the flag keeps it afterwards, set to false as Grafana's documented
	// rollback leaves it; nothing else differs.
	got := dataSourceView(t, g, "prom-sigv4")
	assert.Contains(t, string(got.body), `"prometheus-type-migration":false,`)
	assert.Equal(t, string(start["prom-sigv4"].body), strings.Replace(string(got.body), `"prometheus-type-migration":false,`, "", 1))
	assert.Equal(t, start["prom-sigv4"].secrets, got.secrets)
	assertDocumentedAPI(t, g)
}

func logLines(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
}
