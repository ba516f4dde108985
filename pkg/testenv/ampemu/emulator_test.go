package ampemu_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

func TestGateway(t *testing.T) {
	f := newFixture(t, nil)
	noToken := ""
	formBody := "query=sum%28up%29&start=1700000000&end=1700003600&step=15"

	cases := []struct {
		name        string
		call        call
		wantStatus  int
		wantType    string
		wantMessage string // exact when set
		wantPrefix  string // message prefix when set
		wantUp      *received
	}{
		{name: "GET query", call: call{method: http.MethodGet, path: "api/v1/query", query: "query=up&time=1700000000"},
			wantStatus: http.StatusOK, wantUp: &received{method: http.MethodGet, path: "/api/v1/query", rawQuery: "query=up&time=1700000000"}},
		{name: "POST form query_range", call: call{method: http.MethodPost, path: "api/v1/query_range", body: formBody, contentType: formType},
			wantStatus: http.StatusOK, wantUp: &received{method: http.MethodPost, path: "/api/v1/query_range", body: formBody}},
		{name: "GET label values with escaped name", call: call{method: http.MethodGet, path: "api/v1/label/a%25b/values"},
			wantStatus: http.StatusOK, wantUp: &received{method: http.MethodGet, path: "/api/v1/label/a%b/values", rawPath: "/api/v1/label/a%25b/values"}},
		{name: "temporary key with session token", call: call{method: http.MethodGet, path: "api/v1/labels", key: tempKey},
			wantStatus: http.StatusOK, wantUp: &received{method: http.MethodGet, path: "/api/v1/labels"}},
		{name: "key limited to GetLabels reads labels", call: call{method: http.MethodGet, path: "api/v1/labels", key: labelsKey},
			wantStatus: http.StatusOK, wantUp: &received{method: http.MethodGet, path: "/api/v1/labels"}},

		{name: "unsigned", call: call{method: http.MethodGet, path: "api/v1/query", query: "query=up", unsigned: true},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeMissingAuthenticationToken, wantMessage: "Missing Authentication Token"},
		{name: "wrong secret", call: call{method: http.MethodGet, path: "api/v1/query", query: "query=up",
			key: ampemu.Key{AccessKeyID: adminKey.AccessKeyID, SecretAccessKey: "wrong"}},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeInvalidSignature,
			wantPrefix: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'GET\n/workspaces/" + testWorkspace + "/api/v1/query\nquery=up\n"},
		{name: "unknown key", call: call{method: http.MethodGet, path: "api/v1/query", key: ampemu.Key{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"}},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeUnrecognizedClient, wantMessage: "The security token included in the request is invalid."},
		{name: "temporary key without its token", call: call{method: http.MethodGet, path: "api/v1/labels", key: tempKey, token: &noToken},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeUnrecognizedClient, wantMessage: "The security token included in the request is invalid."},
		{name: "wrong region", call: call{method: http.MethodGet, path: "api/v1/query", region: "us-east-1"},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeInvalidSignature, wantMessage: "Credential should be scoped to a valid region."},
		{name: "wrong service", call: call{method: http.MethodGet, path: "api/v1/query", service: "execute-api"},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeInvalidSignature, wantMessage: "Credential should be scoped to correct service: 'aps'."},
		{name: "expired", call: call{method: http.MethodGet, path: "api/v1/query", signedAt: time.Now().Add(-10 * time.Minute)},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeInvalidSignature, wantPrefix: "Signature expired: "},
		{name: "unknown workspace", call: call{method: http.MethodGet, path: "/workspaces/ws-unknown/api/v1/query"},
			wantStatus: http.StatusNotFound, wantType: ampemu.TypeResourceNotFound, wantMessage: "Workspace not found: ws-unknown"},
		{name: "path outside workspaces", call: call{method: http.MethodGet, path: "/api/v1/query"},
			wantStatus: http.StatusNotFound, wantType: ampemu.TypeResourceNotFound},
		{name: "workspace without trailing path", call: call{method: http.MethodGet, path: "/workspaces/" + testWorkspace},
			wantStatus: http.StatusNotFound, wantType: ampemu.TypeResourceNotFound},
		{name: "access denied by action", call: call{method: http.MethodGet, path: "api/v1/query", query: "query=up", key: labelsKey},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeAccessDenied,
			wantMessage: "User: arn:aws:iam::123456789012:role/labels-reader is not authorized to perform: aps:QueryMetrics on resource: arn:aws:aps:eu-west-1:123456789012:workspace/" + testWorkspace},
		{name: "label values by POST", call: call{method: http.MethodPost, path: "api/v1/label/job/values", body: "match%5B%5D=up", contentType: formType},
			wantStatus: http.StatusMethodNotAllowed, wantType: ampemu.TypeValidation},
		{name: "form POST with query string", call: call{method: http.MethodPost, path: "api/v1/query", query: "time=1", body: "query=up", contentType: formType},
			wantStatus: http.StatusBadRequest, wantType: ampemu.TypeValidation,
			wantMessage: "When Content-Type:application/x-www-form-urlencoded, URL cannot include query-string parameters (after '?'): '/workspaces/" + testWorkspace + "/api/v1/query?time=1'"},
		{name: "X-Scope-OrgID", call: call{method: http.MethodGet, path: "api/v1/query", header: map[string]string{"X-Scope-OrgID": "tenant-1"}},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeAccessDenied},
		{name: "query_exemplars is not served", call: call{method: http.MethodGet, path: "api/v1/query_exemplars", query: "query=up"},
			wantStatus: http.StatusNotFound, wantType: ampemu.TypeResourceNotFound},
		{name: "query_exemplars still needs QueryMetrics", call: call{method: http.MethodGet, path: "api/v1/query_exemplars", key: labelsKey},
			wantStatus: http.StatusForbidden, wantType: ampemu.TypeAccessDenied},
		{name: "status/buildinfo is not served", call: call{method: http.MethodGet, path: "api/v1/status/buildinfo"},
			wantStatus: http.StatusNotFound, wantType: ampemu.TypeResourceNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.up.reset()
			resp, body := f.do(t, tc.call)
			got := f.up.requests()
			if tc.wantUp == nil {
				message := requireAWSError(t, resp, body, tc.wantStatus, tc.wantType)
				if tc.wantMessage != "" {
					assert.Equal(t, tc.wantMessage, message)
				}
				assert.True(t, strings.HasPrefix(message, tc.wantPrefix), "message %q lacks prefix %q", message, tc.wantPrefix)
				assert.Empty(t, got, "a rejected request must not reach Prometheus")
				return
			}
			require.Equal(t, tc.wantStatus, resp.StatusCode, "body: %s", body)
			assert.Equal(t, promSuccess, body)
			assert.NotEmpty(t, resp.Header.Get(ampemu.HeaderRequestID))
			require.Len(t, got, 1)
			assertForwarded(t, *tc.wantUp, got[0])
		})
	}
}

func assertForwarded(t *testing.T, want, got received) {
	t.Helper()
	assert.Equal(t, want.method, got.method)
	assert.Equal(t, want.path, got.path)
	if want.rawPath != "" {
		assert.Equal(t, want.rawPath, got.rawPath)
	}
	assert.Equal(t, want.rawQuery, got.rawQuery)
	assert.Equal(t, want.body, got.body)
	for name := range got.header {
		assert.False(t, name == "Authorization" || strings.HasPrefix(name, "X-Amz-"), "header %s was forwarded", name)
	}
}

func TestFormQueryAllowList(t *testing.T) {
	f := newFixture(t, func(c *ampemu.Config) { c.FormQueryAllowList = []string{"trace"} })
	resp, body := f.do(t, call{method: http.MethodPost, path: "api/v1/query", query: "trace=1", body: "query=up", contentType: formType})
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Len(t, f.up.requests(), 1)
	assert.Equal(t, "trace=1", f.up.requests()[0].rawQuery)
	assert.Equal(t, "query=up", f.up.requests()[0].body)

	resp, body = f.do(t, call{method: http.MethodPost, path: "api/v1/query", query: "trace=1&time=2", body: "query=up", contentType: formType})
	requireAWSError(t, resp, body, http.StatusBadRequest, ampemu.TypeValidation)
}

func TestAddKeyAtRuntime(t *testing.T) {
	f := newFixture(t, nil)
	issued := ampemu.Key{AccessKeyID: "ASIAISSUED", SecretAccessKey: "issued-secret", SessionToken: "issued-token"}
	resp, body := f.do(t, call{method: http.MethodGet, path: "api/v1/labels", key: issued})
	requireAWSError(t, resp, body, http.StatusForbidden, ampemu.TypeUnrecognizedClient)

	require.NoError(t, f.emu.AddKey(issued))
	resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/labels", key: issued})
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Error(t, f.emu.AddKey(ampemu.Key{AccessKeyID: "AKIANOSECRET"}))
}

func TestPlainHandlerAndURLs(t *testing.T) {
	up := newUpstream(t)
	emu, err := ampemu.New(ampemu.Config{Upstream: up.srv.URL + "/prom", Region: testRegion,
		Workspaces: []string{testWorkspace}, Keys: []ampemu.Key{adminKey}})
	require.NoError(t, err)
	assert.Empty(t, emu.URL())
	assert.NoError(t, emu.Close())

	srv := httptest.NewServer(emu)
	defer srv.Close()
	resp, body, err := send(t, srv.URL, call{method: http.MethodGet, path: "api/v1/series", query: "match%5B%5D=up"})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Len(t, up.requests(), 1)
	assert.Equal(t, "/prom/api/v1/series", up.requests()[0].path, "the upstream base path is kept")

	started := newFixture(t, nil)
	assert.True(t, strings.HasPrefix(started.emu.URL(), "http://127.0.0.1:"))
	assert.Equal(t, started.emu.URL()+"/workspaces/"+testWorkspace+"/", started.emu.WorkspaceURL(testWorkspace))
}

func TestConfigValidation(t *testing.T) {
	cases := map[string]ampemu.Config{
		"no region":         {Upstream: "http://127.0.0.1:9090"},
		"relative upstream": {Upstream: "/prom", Region: testRegion},
		"key without secret": {Upstream: "http://127.0.0.1:9090", Region: testRegion,
			Keys: []ampemu.Key{{AccessKeyID: "AKIA"}}},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ampemu.New(cfg)
			assert.Error(t, err)
		})
	}
}

func TestUpstreamDown(t *testing.T) {
	f := newFixture(t, nil)
	f.up.srv.Close()
	resp, body := f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up"})
	requireAWSError(t, resp, body, http.StatusBadGateway, ampemu.TypeInternalServer)
}
