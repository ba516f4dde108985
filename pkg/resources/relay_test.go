package resources

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const formType = "application/x-www-form-urlencoded"

var formHeader = map[string]string{"Content-Type": formType}

func TestRequestShaping(t *testing.T) {
	custom := map[string]any{"customQueryParameters": "dedup=false", "maxSamplesProcessedErrorThreshold": 1000}
	getConfigured := map[string]any{"httpMethod": "GET", "customQueryParameters": "dedup=false"}
	tests := []struct {
		name     string
		jsonData map[string]any
		call     call
		method   string
		rawPath  string
		// params are all parameters upstream, wherever they were; inBody says they must be in a form body.
		params url.Values
		inBody bool
	}{
		{name: "GET labels keeps GET and adds custom parameters and thresholds to the query string", jsonData: custom,
			call:   call{path: "api/v1/labels", rawQuery: "match%5B%5D=up&start=1&end=2&limit=10"},
			method: http.MethodGet, rawPath: "/prefix/api/v1/labels",
			params: url.Values{"match[]": {"up"}, "start": {"1"}, "end": {"2"}, "limit": {"10"}, "dedup": {"false"},
				"max_samples_processed_error_threshold": {"1000"}}},
		{name: "POST labels sends every parameter in the body", jsonData: custom,
			call:   call{method: http.MethodPost, path: "api/v1/labels", body: "match%5B%5D=up&start=1", headers: formHeader},
			method: http.MethodPost, rawPath: "/prefix/api/v1/labels", inBody: true,
			params: url.Values{"match[]": {"up"}, "start": {"1"}, "dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}},
		{name: "POST with parameters in the URL and the body moves all of them to the body", jsonData: custom,
			call:   call{method: http.MethodPost, path: "api/v1/series", rawQuery: "start=1&end=2", body: "match%5B%5D=up", headers: formHeader},
			method: http.MethodPost, rawPath: "/prefix/api/v1/series", inBody: true,
			params: url.Values{"match[]": {"up"}, "start": {"1"}, "end": {"2"}, "dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}},
		{name: "POST becomes the configured GET", jsonData: getConfigured,
			call:   call{method: http.MethodPost, path: "api/v1/query", body: "query=up&time=5", headers: formHeader},
			method: http.MethodGet, rawPath: "/prefix/api/v1/query",
			params: url.Values{"query": {"up"}, "time": {"5"}, "dedup": {"false"}}},
		{name: "GET with a form body moves the parameters to the query string",
			call:   call{path: "api/v1/series", body: "match%5B%5D=up&start=1"},
			method: http.MethodGet, rawPath: "/prefix/api/v1/series",
			params: url.Values{"match[]": {"up"}, "start": {"1"}}},
		{name: "label values are GET only, even when POSTed", jsonData: custom,
			call:   call{method: http.MethodPost, path: "api/v1/label/job/values", body: "match%5B%5D=up", headers: formHeader},
			method: http.MethodGet, rawPath: "/prefix/api/v1/label/job/values",
			params: url.Values{"match[]": {"up"}, "dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}},
		{name: "a UTF-8 label name is U__ escaped",
			call:   call{path: "api/v1/label/http.status code/values", rawQuery: "limit=5"},
			method: http.MethodGet, rawPath: "/prefix/api/v1/label/U__http_2e_status_20_code/values",
			params: url.Values{"limit": {"5"}}},
		{name: "a name the frontend escaped passes unchanged",
			call:   call{path: "api/v1/label/U__http_2e_status/values"},
			method: http.MethodGet, rawPath: "/prefix/api/v1/label/U__http_2e_status/values", params: url.Values{}},
		{name: "metadata is GET only",
			call:   call{method: http.MethodPost, path: "api/v1/metadata", body: "limit=3", headers: formHeader},
			method: http.MethodGet, rawPath: "/prefix/api/v1/metadata", params: url.Values{"limit": {"3"}}},
		{name: "rules by GET", call: call{path: "/api/v1/rules"},
			method: http.MethodGet, rawPath: "/prefix/api/v1/rules", params: url.Values{}},
		{name: "the settings win over parameters the caller sets", jsonData: custom,
			call:   call{path: "api/v1/labels", rawQuery: "dedup=true&max_samples_processed_error_threshold=999999999999&stats=all&timeout=9m"},
			method: http.MethodGet, rawPath: "/prefix/api/v1/labels",
			params: url.Values{"dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}},
		{name: "the settings win over parameters in a form body", jsonData: custom,
			call: call{method: http.MethodPost, path: "api/v1/query", headers: formHeader,
				rawQuery: "max_samples_processed_warning_threshold=5", body: "query=up&dedup=true&max_samples_processed_error_threshold=999999999999"},
			method: http.MethodPost, rawPath: "/prefix/api/v1/query",
			params: url.Values{"query": {"up"}, "dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}, inBody: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := newUpstream(t, nil)
			resp := handle(handlerFor(t, u, tc.jsonData), tc.call)
			require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
			got := u.requests()
			require.Len(t, got, 1)
			assert.Equal(t, tc.method, got[0].method)
			assert.Equal(t, tc.rawPath, got[0].rawPath)
			raw := got[0].rawQuery
			if tc.inBody {
				assert.Empty(t, got[0].rawQuery, "AMP rejects a form POST whose URL has a query string")
				assert.Equal(t, formType, got[0].contentType)
				raw = got[0].body
			} else {
				assert.Empty(t, got[0].body)
			}
			params, err := url.ParseQuery(raw)
			require.NoError(t, err)
			assert.Equal(t, tc.params, params)
		})
	}
}

func TestRequestsRefusedWithoutAnUpstreamCall(t *testing.T) {
	tests := []struct {
		name   string
		call   call
		status int
		want   string
		allow  string
	}{
		{name: "rule writes", call: call{method: http.MethodPost, path: "api/v1/rules", body: "x=1"},
			status: http.StatusMethodNotAllowed, want: "rule groups namespaces", allow: "GET"},
		{name: "DELETE", call: call{method: http.MethodDelete, path: "api/v1/labels"},
			status: http.StatusMethodNotAllowed, want: "read-only", allow: "GET, POST"},
		{name: "unknown path", call: call{path: "api/v1/admin/tsdb/delete_series"},
			status: http.StatusNotFound, want: `unknown resource path "api/v1/admin/tsdb/delete_series"`},
		{name: "label values without a name", call: call{path: "api/v1/label//values"},
			status: http.StatusNotFound, want: "unknown resource path"},
		{name: "JSON body", call: call{method: http.MethodPost, path: "api/v1/labels", body: `{"a":1}`,
			headers: map[string]string{"Content-Type": "application/json"}},
			status: http.StatusUnsupportedMediaType, want: "application/x-www-form-urlencoded"},
		{name: "malformed form body", call: call{method: http.MethodPost, path: "api/v1/labels", body: "a=%zz", headers: formHeader},
			status: http.StatusBadRequest, want: "not form-encoded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := newUpstream(t, nil)
			resp := handle(handlerFor(t, u, nil), tc.call)
			assert.Equal(t, tc.status, resp.Status)
			assert.Contains(t, errorOf(t, resp).Message, tc.want)
			if tc.allow != "" {
				assert.Equal(t, []string{tc.allow}, resp.Headers["Allow"])
			}
			assert.Empty(t, u.requests())
		})
	}
}

func TestResponseRelay(t *testing.T) {
	cacheHeader := map[string]string{"X-Grafana-Cache": "private, max-age=600"}
	t.Run("success: headers kept except length and encoding, cache directive echoed", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Custom", "kept")
			_, _ = io.WriteString(w, `{"status":"success","data":["a"]}`)
		})
		resp := handle(handlerFor(t, u, nil), call{path: "api/v1/labels", headers: cacheHeader})
		require.Equal(t, http.StatusOK, resp.Status)
		assert.JSONEq(t, `{"status":"success","data":["a"]}`, string(resp.Body))
		assert.Equal(t, []string{"kept"}, resp.Headers["X-Custom"])
		assert.Equal(t, []string{"private, max-age=600"}, resp.Headers["Cache-Control"])
		assert.Equal(t, []string{"y"}, resp.Headers["X-Grafana-Cache"])
		assert.NotContains(t, resp.Headers, "Content-Length")
		assert.NotContains(t, resp.Headers, "Content-Encoding")
	})
	t.Run("no cache directive, no echo", func(t *testing.T) {
		u := newUpstream(t, nil)
		resp := handle(handlerFor(t, u, nil), call{path: "api/v1/labels"})
		assert.NotContains(t, resp.Headers, "Cache-Control")
		assert.NotContains(t, resp.Headers, "X-Grafana-Cache")
	})
	t.Run("Prometheus errors are relayed verbatim and not marked cacheable", func(t *testing.T) {
		body := `{"status":"error","errorType":"bad_data","error":"invalid parameter"}`
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, body)
		})
		resp := handle(handlerFor(t, u, nil), call{path: "api/v1/series", headers: cacheHeader})
		assert.Equal(t, http.StatusBadRequest, resp.Status)
		assert.Equal(t, body, string(resp.Body))
		assert.NotContains(t, resp.Headers, "Cache-Control")
	})
	t.Run("AWS errors become an envelope with the plugin's hint", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/")
			w.Header().Set("x-amzn-RequestId", "req-1")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"message":"User is not authorized to perform: aps:GetLabels"}`)
		})
		h := handlerFor(t, u, nil)
		h.explainSt = func(err error) error { return errors.New(err.Error() + ". HINT") }
		resp := handle(h, call{path: "api/v1/labels"})
		assert.Equal(t, http.StatusForbidden, resp.Status)
		e := errorOf(t, resp)
		assert.Equal(t, "AccessDeniedException", e.ErrorType)
		assert.Contains(t, e.Error, "aps:GetLabels")
		assert.Contains(t, e.Error, "HINT")
		assert.Equal(t, []string{"req-1"}, resp.Headers["X-Amzn-Requestid"])
		assert.Equal(t, []string{"application/json"}, resp.Headers["Content-Type"])
	})
	t.Run("transport failure is a JSON 502 with the hint", func(t *testing.T) {
		u := newUpstream(t, nil)
		h := handlerFor(t, u, nil)
		h.explainTx = func(err error) error { return errors.New(err.Error() + ". CONNECT HINT") }
		u.srv.Close()
		resp := handle(h, call{path: "api/v1/labels"})
		assert.Equal(t, http.StatusBadGateway, resp.Status)
		msg := errorOf(t, resp).Message
		assert.Contains(t, msg, "error querying resource: ")
		assert.Contains(t, msg, "CONNECT HINT")
	})
}

func TestAMPLocalAnswers(t *testing.T) {
	amp := map[string]any{"sigV4Auth": true, "sigV4AuthType": "keys", "sigV4Region": "us-east-2"}
	tests := []struct {
		name   string
		call   call
		status int
		want   string
	}{
		{name: "exemplars probe by GET", call: call{path: "api/v1/query_exemplars", rawQuery: "query=test&start=1&end=2"},
			status: http.StatusOK, want: ExemplarsUnsupportedMessage},
		{name: "exemplars probe by POST", call: call{method: http.MethodPost, path: "api/v1/query_exemplars", body: "query=test", headers: formHeader},
			status: http.StatusOK, want: ExemplarsUnsupportedMessage},
		{name: "build info", call: call{path: "api/v1/status/buildinfo"}, status: http.StatusNotFound, want: BuildInfoUnsupportedMessage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := newUpstream(t, nil)
			resp := handle(handlerFor(t, u, amp), tc.call)
			assert.Equal(t, tc.status, resp.Status)
			assert.Equal(t, tc.want, errorOf(t, resp).Error, "the frontend reads status != success as unavailable")
			assert.Empty(t, u.requests(), "answered without calling AMP")
		})
		t.Run(tc.name+" is relayed for other Prometheus servers", func(t *testing.T) {
			u := newUpstream(t, nil)
			resp := handle(handlerFor(t, u, nil), tc.call)
			assert.Equal(t, http.StatusOK, resp.Status)
			require.Len(t, u.requests(), 1)
		})
	}
}

func TestIsAMP(t *testing.T) {
	sig := map[string]any{"sigV4Auth": true, "sigV4AuthType": "keys", "sigV4Region": "us-east-2"}
	tests := []struct {
		name     string
		url      string
		jsonData map[string]any
		want     bool
	}{
		{"AMP host", "https://aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-1/", sig, true},
		{"AMP host without SigV4", "https://aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-1/", nil, true},
		{"proxy host signed for aps", "http://127.0.0.1:1/workspaces/ws-1/", sig, true},
		{"proxy host signed for another service", "http://127.0.0.1:1/", map[string]any{"sigV4Auth": true,
			"sigV4AuthType": "keys", "sigV4Region": "us-east-2", "sigv4Service": "monitoring"}, false},
		{"plain Prometheus", "http://127.0.0.1:1/", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, IsAMP(settingsFor(t, tc.url, tc.jsonData)))
		})
	}
}

func TestSettingsError(t *testing.T) {
	resp := SettingsError(errors.New("jsonData.httpMethod is \"PUT\""))
	assert.Equal(t, http.StatusBadRequest, resp.Status)
	assert.Equal(t, `jsonData.httpMethod is "PUT"`, errorOf(t, resp).Message)
}
