package grafanaapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const adminToken = "glsa_admin_0123456789"

func start(t *testing.T) *Server {
	t.Helper()
	s := Start(
		Token{Value: adminToken, Permissions: AllPermissions},
		Token{Value: "glsa_reader", Permissions: []string{DataSourcesRead, DashboardsRead}},
		Token{Value: "glsa_expired", Permissions: AllPermissions, Expired: true},
	)
	t.Cleanup(s.Close)
	require.NoError(t, s.AddDataSource(DataSource{
		UID: "amp", Name: "AMP", Type: "prometheus", URL: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/",
		JSONData:       json.RawMessage(`{"sigV4Auth":true, "httpMethod":"POST","sigV4AuthType":"keys"}`),
		SecureJSONData: map[string]string{"sigV4AccessKey": "AKIAEXAMPLE", "sigV4SecretKey": "s3cret"},
	}))
	require.NoError(t, s.AddDataSource(DataSource{UID: "prov", Name: "provisioned", Type: "prometheus", ReadOnly: true}))
	return s
}

func call(t *testing.T, s *Server, method, path, token string, body any) (int, map[string]any, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, raw
}

func TestAuthentication(t *testing.T) {
	s := start(t)
	for _, tc := range []struct {
		token, method, path string
		status              int
		message             string
	}{
		{"", "GET", "/api/datasources", 401, "Unauthorized"},
		{"glsa_unknown", "GET", "/api/datasources", 401, "Invalid API key"},
		{"glsa_expired", "GET", "/api/datasources", 401, "Expired API key"},
		{"glsa_reader", "PUT", "/api/datasources/uid/amp", 403, "Permissions needed: datasources:write"},
		{"glsa_reader", "POST", "/api/dashboards/db", 403, "Permissions needed: dashboards:create"},
		{"", "GET", "/api/health", 200, ""},
	} {
		t.Run(tc.method+tc.path+tc.token, func(t *testing.T) {
			body := map[string]any{"name": "AMP", "dashboard": map[string]any{"title": "x", "uid": "x"}}
			status, m, _ := call(t, s, tc.method, tc.path, tc.token, body)
			assert.Equal(t, tc.status, status)
			if tc.message != "" {
				assert.Contains(t, m["message"], tc.message)
			}
		})
	}
}

func TestDataSourcesNeverReturnSecrets(t *testing.T) {
	s := start(t)
	_, _, list := call(t, s, "GET", "/api/datasources", adminToken, nil)
	var items []map[string]any
	require.NoError(t, json.Unmarshal(list, &items))
	require.Len(t, items, 2)
	assert.Equal(t, "AMP", items[0]["name"], "sorted by name")
	assert.NotContains(t, items[0], "version", "the list carries no version")
	assert.NotContains(t, items[0], "secureJsonFields")

	status, ds, raw := call(t, s, "GET", "/api/datasources/uid/amp", adminToken, nil)
	require.Equal(t, 200, status)
	assert.NotContains(t, string(raw), "s3cret")
	assert.NotContains(t, string(raw), "AKIAEXAMPLE")
	assert.Equal(t, map[string]any{"sigV4AccessKey": true, "sigV4SecretKey": true}, ds["secureJsonFields"])
	assert.EqualValues(t, 1, ds["version"])
	assert.Equal(t, map[string]any{"httpMethod": "POST", "sigV4Auth": true, "sigV4AuthType": "keys"}, ds["jsonData"])
	assert.Contains(t, string(raw), `"jsonData":{"httpMethod":"POST","sigV4Auth":true,"sigV4AuthType":"keys"}`, "stored compact with sorted keys")
}

func TestDataSourceUpdates(t *testing.T) {
	s := start(t)
	_, ds, _ := call(t, s, "GET", "/api/datasources/uid/amp", adminToken, nil)

	ds["type"] = "grafana-amazonprometheus-datasource"
	status, m, _ := call(t, s, "PUT", "/api/datasources/uid/amp", adminToken, ds)
	require.Equal(t, 200, status, m)
	assert.Equal(t, "Datasource updated", m["message"])
	stored, _ := s.DataSource("amp")
	assert.EqualValues(t, 2, stored.Version)
	assert.Equal(t, map[string]string{"sigV4AccessKey": "AKIAEXAMPLE", "sigV4SecretKey": "s3cret"}, stored.SecureJSONData,
		"secrets the update does not name are kept")

	status, m, _ = call(t, s, "PUT", "/api/datasources/uid/amp", adminToken, ds)
	assert.Equal(t, 409, status, "version 1 is older than the stored 2")
	assert.Equal(t, "Datasource has already been updated by someone else. Please reload and try again", m["message"])

	ds["version"], ds["secureJsonData"] = 0, map[string]string{"sigV4SecretKey": "rotated"}
	status, _, _ = call(t, s, "PUT", "/api/datasources/uid/amp", adminToken, ds)
	require.Equal(t, 200, status, "version 0 forces the update")
	stored, _ = s.DataSource("amp")
	assert.EqualValues(t, 1, stored.Version, "a forced update stores version 1, as Grafana does")
	assert.Equal(t, "rotated", stored.SecureJSONData["sigV4SecretKey"])
	assert.Equal(t, "AKIAEXAMPLE", stored.SecureJSONData["sigV4AccessKey"])

	status, m, _ = call(t, s, "PUT", "/api/datasources/uid/prov", adminToken, map[string]any{"name": "provisioned", "type": "x"})
	assert.Equal(t, 403, status)
	assert.Equal(t, "Cannot update read-only data source", m["message"])

	status, _, _ = call(t, s, "PUT", "/api/datasources/uid/missing", adminToken, map[string]any{"name": "n"})
	assert.Equal(t, 404, status)

	s.EditConcurrently("amp", 1)
	_, ds, _ = call(t, s, "GET", "/api/datasources/uid/amp", adminToken, nil)
	status, _, _ = call(t, s, "PUT", "/api/datasources/uid/amp", adminToken, ds)
	assert.Equal(t, 409, status, "an edit between read and write is a conflict")
}

func TestDataSourceUpdatesMoveUpdatedAndResetSecrets(t *testing.T) {
	s := start(t)
	before, _ := s.DataSource("amp")
	require.False(t, before.Updated.IsZero(), "a new data source has an update time")
	_, ds, _ := call(t, s, "GET", "/api/datasources/uid/amp", adminToken, nil)
	for i := range 3 {
		// A field reset in the settings page sends the secret empty: stored as such, no longer flagged.
		ds["secureJsonData"] = map[string]string{"sigV4SecretKey": ""}
		status, m, _ := call(t, s, "PUT", "/api/datasources/uid/amp", adminToken, ds)
		require.Equal(t, 200, status, m)
		saved := m["datasource"].(map[string]any)
		assert.Equal(t, map[string]any{"sigV4AccessKey": true}, saved["secureJsonFields"])
		after, _ := s.DataSource("amp")
		assert.True(t, after.Updated.After(before.Updated), "save %d moves the update time forward", i)
		assert.Equal(t, map[string]string{"sigV4AccessKey": "AKIAEXAMPLE", "sigV4SecretKey": ""}, after.SecureJSONData)
		before, ds = after, saved
	}
}

func TestDashboards(t *testing.T) {
	s := start(t)
	require.NoError(t, s.AddDashboard(json.RawMessage(`{"uid":"kube","title":"Kubernetes","panels":[],"schemaVersion":39}`), "infra", false))
	require.NoError(t, s.AddDashboard(json.RawMessage(`{"uid":"prov","title":"Provisioned"}`), "", true))

	status, m, _ := call(t, s, "GET", "/api/dashboards/uid/kube", adminToken, nil)
	require.Equal(t, 200, status)
	meta := m["meta"].(map[string]any)
	assert.Equal(t, "infra", meta["folderUid"])
	dash := m["dashboard"].(map[string]any)
	assert.EqualValues(t, 1, dash["version"])

	dash["description"] = "edited"
	status, m, _ = call(t, s, "POST", "/api/dashboards/db", adminToken, map[string]any{"dashboard": dash, "folderUid": "infra", "message": "first edit"})
	require.Equal(t, 200, status, m)
	assert.EqualValues(t, 2, m["version"])
	assert.Equal(t, "success", m["status"])

	status, m, _ = call(t, s, "POST", "/api/dashboards/db", adminToken, map[string]any{"dashboard": dash, "folderUid": "infra"})
	assert.Equal(t, 412, status, "the model still says version 1")
	assert.Equal(t, "version-mismatch", m["status"])

	versions, ok := s.Dashboard("kube")
	require.True(t, ok)
	require.Len(t, versions, 2)
	assert.Equal(t, "first edit", versions[1].Message)

	status, m, _ = call(t, s, "POST", "/api/dashboards/db", adminToken, map[string]any{"dashboard": map[string]any{"uid": "prov", "title": "Provisioned", "version": 1}})
	assert.Equal(t, 400, status)
	assert.Equal(t, "Cannot save provisioned dashboard", m["message"])

	status, m, _ = call(t, s, "POST", "/api/dashboards/db", adminToken, map[string]any{"dashboard": map[string]any{"uid": "other", "title": "kubernetes"}, "folderUid": "infra"})
	assert.Equal(t, 412, status)
	assert.Equal(t, "name-exists", m["status"])

	_, _, raw := call(t, s, "GET", "/api/search?type=dash-db&query=kube", adminToken, nil)
	var hits []map[string]any
	require.NoError(t, json.Unmarshal(raw, &hits))
	require.Len(t, hits, 1)
	assert.Equal(t, "kube", hits[0]["uid"])
	assert.Equal(t, "dash-db", hits[0]["type"])
	_, _, raw = call(t, s, "GET", "/api/search?type=dash-db&limit=1&page=2", adminToken, nil)
	require.NoError(t, json.Unmarshal(raw, &hits))
	require.Len(t, hits, 1)
	assert.Equal(t, "prov", hits[0]["uid"], "page 2 of 1-item pages, by title")
}

func TestInjectedFaults(t *testing.T) {
	s := start(t)
	s.FailNext("GET", "/api/datasources", http.StatusBadGateway, 1)
	status, _, _ := call(t, s, "GET", "/api/datasources", adminToken, nil)
	assert.Equal(t, 502, status)
	status, _, _ = call(t, s, "GET", "/api/datasources", adminToken, nil)
	assert.Equal(t, 200, status)
	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer "+adminToken, reqs[0].Authorization)
	assert.Equal(t, 502, reqs[0].Status)
}

func TestAnonymousAccess(t *testing.T) {
	s := start(t)
	status, _, _ := call(t, s, "GET", "/api/search", "", nil)
	assert.Equal(t, 401, status, "anonymous access is off by default")
	s.AllowAnonymous(DashboardsRead)
	status, _, _ = call(t, s, "GET", "/api/search", "", nil)
	assert.Equal(t, 200, status)
	status, m, _ := call(t, s, "GET", "/api/datasources", "", nil)
	assert.Equal(t, 403, status)
	assert.Contains(t, m["message"], "datasources:read")
	status, _, _ = call(t, s, "GET", "/api/datasources", "glsa_unknown", nil)
	assert.Equal(t, 401, status, "a wrong token is refused even with anonymous access")
}
