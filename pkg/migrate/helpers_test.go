package migrate

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
)

// Tokens of the emulated Grafana. They look like real service account tokens so a leak would be visible.
const (
	adminToken   = "glsa_AdminToken0123456789abcdef_0a1b2c3d"
	readerToken  = "glsa_ReaderToken0123456789abcdef_4e5f6a7b"
	noReadToken  = "glsa_NoReadToken0123456789abcdef_8c9d0e1f"
	expiredToken = "glsa_ExpiredToken0123456789abcdef_2a3b4c5d"
)

// grafana starts an emulated Grafana holding data sources in every state.
func grafana(t *testing.T) *grafanaapi.Server {
	t.Helper()
	g := grafanaapi.Start(
		grafanaapi.Token{Value: adminToken, Permissions: grafanaapi.AllPermissions},
		grafanaapi.Token{Value: readerToken, Permissions: []string{grafanaapi.DataSourcesRead, grafanaapi.DashboardsRead}},
		grafanaapi.Token{Value: noReadToken, Permissions: []string{grafanaapi.DashboardsRead}},
		grafanaapi.Token{Value: expiredToken, Permissions: grafanaapi.AllPermissions, Expired: true},
	)
	t.Cleanup(g.Close)
	sigV4 := `"sigV4Auth":true,"sigV4AuthType":"keys","sigV4Region":"us-east-2","httpMethod":"POST","timeInterval":"30s"`
	keys := map[string]string{"sigV4AccessKey": "AKIAEXAMPLEKEY000001", "sigV4SecretKey": "wJalrXUtnFEMI/K7MDENG/secret"}
	for _, ds := range []grafanaapi.DataSource{
		{UID: "amp-migrated", Name: "AMP prod", Type: PluginType, URL: "https://aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-1/",
			JSONData: json.RawMessage(`{` + sigV4 + `,"prometheus-type-migration":true}`), SecureJSONData: keys, IsDefault: true, Version: 7},
		{UID: "amp-provisioned", Name: "AMP provisioned", Type: PluginType, ReadOnly: true,
			JSONData: json.RawMessage(`{` + sigV4 + `,"prometheus-type-migration":true}`), SecureJSONData: keys},
		{UID: "prom-sigv4", Name: "Prometheus SigV4", Type: PrometheusType, URL: "https://aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-2/",
			JSONData: json.RawMessage(`{` + sigV4 + `}`), SecureJSONData: keys, BasicAuthUser: "kept", Version: 3},
		{UID: "prom-rolled-back", Name: "Prometheus rolled back", Type: PrometheusType,
			JSONData:       json.RawMessage(`{` + sigV4 + `,"prometheus-type-migration":false,"exemplarTraceIdDestinations":[{"name":"traceID","datasourceUid":"tempo"}]}`),
			SecureJSONData: map[string]string{"sigV4SecretKey": "other-secret", "httpHeaderValue1": "Bearer upstream"}},
		{UID: "prom-provisioned", Name: "Prometheus provisioned", Type: PrometheusType, ReadOnly: true, JSONData: json.RawMessage(`{` + sigV4 + `}`)},
		{UID: "prom-plain", Name: "Prometheus", Type: PrometheusType, URL: "http://prometheus:9090", JSONData: json.RawMessage(`{"httpMethod":"POST"}`)},
		{UID: "amp-native", Name: "AMP native", Type: PluginType, JSONData: json.RawMessage(`{` + sigV4 + `}`)},
		{UID: "loki", Name: "Loki", Type: "loki", URL: "http://loki:3100"},
	} {
		require.NoError(t, g.AddDataSource(ds))
	}
	return g
}

// result is one in-process run of the command line.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs ampmigrate in-process with GRAFANA_URL and GRAFANA_TOKEN set, and checks that no token of the
// emulated Grafana ever appears in its output.
func runCLI(t *testing.T, url, token string, args ...string) result {
	t.Helper()
	env := map[string]string{"GRAFANA_URL": url, "GRAFANA_TOKEN": token}
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	for _, tok := range []string{adminToken, readerToken, noReadToken, expiredToken} {
		require.NotContains(t, r.stdout+r.stderr, tok, "a token leaked into the output")
	}
	return r
}

// snapshot is what an admin can observe of a data source: the API's view and the stored secrets.
type snapshot struct {
	body    []byte
	secrets map[string]string
}

// versionField is the one field every update changes: Grafana bumps the version on each save.
var versionField = regexp.MustCompile(`,"version":\d+,`)

// dataSourceView returns the bytes of GET /api/datasources/uid/<uid> as the emulator sends them, with the
// version taken out, and the stored secrets.
func dataSourceView(t *testing.T, g *grafanaapi.Server, uid string) snapshot {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, g.URL()+"/api/datasources/uid/"+uid, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Regexp(t, versionField, string(body))
	stored, ok := g.DataSource(uid)
	require.True(t, ok)
	return snapshot{body: versionField.ReplaceAll(body, []byte(",")), secrets: stored.SecureJSONData}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(fixturePath(name))
	require.NoError(t, err)
	return raw
}

// documentedAPI are the only requests ampmigrate may send: Grafana's documented HTTP API.
var documentedAPI = regexp.MustCompile(`^(GET /api/health|GET /api/datasources|GET /api/datasources/uid/[^/]+|` +
	`PUT /api/datasources/uid/[^/]+|GET /api/search|GET /api/dashboards/uid/[^/]+|POST /api/dashboards/db)$`)

// assertDocumentedAPI checks every request the emulator answered against documentedAPI.
func assertDocumentedAPI(t *testing.T, g *grafanaapi.Server) {
	t.Helper()
	reqs := g.Requests()
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		require.Regexp(t, documentedAPI, r.Method+" "+r.Path)
	}
}
