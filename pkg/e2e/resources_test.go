package e2e

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// resourceAnswer is a CallResource answer with the streamed body chunks joined.
type resourceAnswer struct {
	status  int
	headers map[string][]string
	body    []byte
}

// envelope is the JSON of Prometheus answers and of the plugin's own errors.
type envelope struct {
	Status    string          `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Message   string          `json:"message"`
}

// resourceCall is one resource call as Grafana forwards it.
type resourceCall struct {
	method, path, rawQuery, body string
	headers                      map[string]string
}

func callResource(t *testing.T, p *pluginhost.Plugin, ds pluginhost.DataSource, c resourceCall) resourceAnswer {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodGet
	}
	req := &pluginv2.CallResourceRequest{PluginContext: ds.PluginContext(pluginhost.GrafanaConfig(nil)), Path: c.path,
		Method: c.method, Url: "/" + c.path, Body: []byte(c.body), Headers: map[string]*pluginv2.StringList{}}
	if c.rawQuery != "" {
		req.Url += "?" + c.rawQuery
	}
	for k, v := range c.headers {
		req.Headers[k] = &pluginv2.StringList{Values: []string{v}}
	}
	msgs, err := p.CallResource(testContext(t), req)
	require.NoError(t, err)
	require.NotEmpty(t, msgs)
	out := resourceAnswer{status: int(msgs[0].Code), headers: map[string][]string{}}
	for k, v := range msgs[0].Headers {
		out.headers[http.CanonicalHeaderKey(k)] = v.Values
	}
	for _, m := range msgs {
		out.body = append(out.body, m.Body...)
	}
	return out
}

func (a resourceAnswer) envelope(t *testing.T) envelope {
	t.Helper()
	var e envelope
	require.NoError(t, json.Unmarshal(a.body, &e), string(a.body))
	return e
}

func (a resourceAnswer) strings(t *testing.T) []string {
	t.Helper()
	e := a.envelope(t)
	require.Equal(t, "success", e.Status, string(a.body))
	var out []string
	require.NoError(t, json.Unmarshal(e.Data, &out))
	return out
}

var (
	fixtureSpan = fmt.Sprintf("start=%d&end=%d", fixtureStart.Unix(), fixtureStart.Add(6*time.Hour).Unix())
	formHeaders = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
)

// The allow-listed endpoints reach the real Prometheus through the emulator in shapes AMP accepts: every POST
// carries its parameters in the body only, and label values always go by GET.
func TestResourcesThroughTheEmulator(t *testing.T) {
	ds := dataSource(t, provisioning, map[string]any{"customQueryParameters": "dedup=false",
		"maxSamplesProcessedWarningThreshold": 5000})
	tests := []struct {
		name   string
		call   resourceCall
		method string
		path   string
		check  func(t *testing.T, a resourceAnswer)
	}{
		{name: "label values by GET", call: resourceCall{path: "api/v1/label/city/values", rawQuery: fixtureSpan},
			method: http.MethodGet, path: "/api/v1/label/city/values",
			check: func(t *testing.T, a resourceAnswer) {
				assert.ElementsMatch(t, []string{"São Paulo", "Zürich", "東京"}, a.strings(t))
			}},
		{name: "label values POSTed are sent by GET", call: resourceCall{method: http.MethodPost, path: "api/v1/label/job/values",
			body: fixtureSpan + "&match%5B%5D=fixture_up", headers: formHeaders},
			method: http.MethodGet, path: "/api/v1/label/job/values",
			check: func(t *testing.T, a resourceAnswer) { assert.ElementsMatch(t, []string{"api", "worker"}, a.strings(t)) }},
		{name: "labels by POST", call: resourceCall{method: http.MethodPost, path: "api/v1/labels",
			body: fixtureSpan + "&match%5B%5D=fixture_up", headers: formHeaders},
			method: http.MethodPost, path: "/api/v1/labels",
			check: func(t *testing.T, a resourceAnswer) {
				assert.ElementsMatch(t, []string{"__name__", "instance", "job"}, a.strings(t))
			}},
		{name: "labels by GET", call: resourceCall{path: "api/v1/labels", rawQuery: fixtureSpan + "&match%5B%5D=fixture_queue_depth"},
			method: http.MethodGet, path: "/api/v1/labels",
			check: func(t *testing.T, a resourceAnswer) {
				assert.ElementsMatch(t, []string{"__name__", "queue"}, a.strings(t))
			}},
		{name: "series with parameters in the URL and the body", call: resourceCall{method: http.MethodPost, path: "api/v1/series",
			rawQuery: fixtureSpan, body: "match%5B%5D=fixture_queue_depth", headers: formHeaders},
			method: http.MethodPost, path: "/api/v1/series",
			check: func(t *testing.T, a resourceAnswer) {
				assert.JSONEq(t, `[{"__name__":"fixture_queue_depth","queue":"orders"}]`, string(a.envelope(t).Data))
			}},
		{name: "metadata", call: resourceCall{path: "api/v1/metadata", rawQuery: "metric=fixture_up"},
			method: http.MethodGet, path: "/api/v1/metadata",
			check: func(t *testing.T, a resourceAnswer) { assert.Equal(t, "success", a.envelope(t).Status) }},
		{name: "variable query", call: resourceCall{method: http.MethodPost, path: "api/v1/query",
			body: fmt.Sprintf("query=sum(fixture_up)&time=%d", fixtureStart.Add(time.Hour).Unix()), headers: formHeaders},
			method: http.MethodPost, path: "/api/v1/query",
			check: func(t *testing.T, a resourceAnswer) { assert.Contains(t, string(a.envelope(t).Data), `"2"`) }},
		{name: "rules", call: resourceCall{path: "api/v1/rules"}, method: http.MethodGet, path: "/api/v1/rules",
			check: func(t *testing.T, a resourceAnswer) { assert.Contains(t, string(a.envelope(t).Data), `"groups"`) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			a := callResource(t, st.Plugin, ds, tc.call)
			require.Equal(t, http.StatusOK, a.status, string(a.body))
			tc.check(t, a)
			records := st.AMP.Requests()
			require.Len(t, records, 1)
			r := records[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.path, r.Path)
			assert.Equal(t, stack.AccessKeyID, r.AccessKeyID, "signed and verified")
			params := r.Form
			if tc.method == http.MethodPost {
				assert.Empty(t, r.RawQuery, "AMP rejects a form POST with a query string")
			} else {
				assert.Nil(t, r.Form)
				var err error
				params, err = url.ParseQuery(r.RawQuery)
				require.NoError(t, err)
			}
			assert.Equal(t, "false", params.Get("dedup"), "custom parameters sit with the others")
			assert.Equal(t, "5000", params.Get("max_samples_processed_warning_threshold"))
		})
	}
}

// The fixture has UTF-8 label values only, so a UTF-8 label name is checked at the emulator's records.
func TestLabelValuesEscapeUTF8Names(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	for name, want := range map[string]string{
		"http.status": "/api/v1/label/U__http_2e_status/values",
		"città":       "/api/v1/label/U__citt_e0_/values",
		"city":        "/api/v1/label/city/values",
	} {
		t.Run(name, func(t *testing.T) {
			st.AMP.Reset()
			a := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/label/" + name + "/values", rawQuery: fixtureSpan})
			require.Equal(t, http.StatusOK, a.status, string(a.body))
			assert.Equal(t, "success", a.envelope(t).Status, "Prometheus accepted the escaped name")
			records := st.AMP.Requests()
			require.Len(t, records, 1)
			assert.Equal(t, want, records[0].Path)
			assert.Equal(t, http.StatusOK, records[0].Status)
		})
	}
}

func TestCacheDirectiveEcho(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	a := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels", rawQuery: fixtureSpan,
		headers: map[string]string{"X-Grafana-Cache": "private, max-age=60"}})
	require.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, []string{"private, max-age=60"}, a.headers["Cache-Control"])
	assert.Equal(t, []string{"y"}, a.headers["X-Grafana-Cache"])
	assert.NotContains(t, a.headers, "Content-Length")
	assert.NotContains(t, a.headers, "Content-Encoding")

	a = callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels", rawQuery: fixtureSpan})
	assert.NotContains(t, a.headers, "X-Grafana-Cache")
}

// AMP serves neither exemplars nor build info: the plugin answers for it, once, without calling AWS.
func TestExemplarsAndBuildInfo(t *testing.T) {
	tests := []struct {
		name           string
		call           resourceCall
		ampStatus      int
		ampMessage     string
		upstreamStatus int
	}{
		{name: "exemplars probe", call: resourceCall{method: http.MethodPost, path: "api/v1/query_exemplars",
			body: "query=test&start=1767225600000&end=1767247200000", headers: formHeaders},
			ampStatus: http.StatusOK, ampMessage: "Amazon Managed Service for Prometheus does not support exemplars", upstreamStatus: http.StatusOK},
		{name: "build info", call: resourceCall{path: "api/v1/status/buildinfo"},
			ampStatus: http.StatusNotFound, ampMessage: "does not serve build information", upstreamStatus: http.StatusOK},
	}
	amp := dataSource(t, provisioning, nil)
	plain := dataSource(t, provisioning, map[string]any{"sigV4Auth": false})
	plain.URL = st.Prometheus.URL
	for _, tc := range tests {
		t.Run(tc.name+" on AMP", func(t *testing.T) {
			st.AMP.Reset()
			a := callResource(t, st.Plugin, amp, tc.call)
			assert.Equal(t, tc.ampStatus, a.status)
			e := a.envelope(t)
			assert.Equal(t, "error", e.Status, "the frontend reads this as unavailable")
			assert.Contains(t, e.Message, tc.ampMessage)
			assert.Empty(t, st.AMP.Requests(), "no request reached AMP")
		})
		t.Run(tc.name+" relayed to another Prometheus", func(t *testing.T) {
			a := callResource(t, st.Plugin, plain, tc.call)
			assert.Equal(t, tc.upstreamStatus, a.status, string(a.body))
			assert.Equal(t, "success", a.envelope(t).Status)
		})
	}
}

func TestResourceRefusalsStayLocal(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	tests := []struct {
		name   string
		call   resourceCall
		status int
		want   string
	}{
		{"unknown path", resourceCall{path: "api/v1/admin/tsdb/snapshot"}, http.StatusNotFound, "unknown resource path"},
		{"rule write", resourceCall{method: http.MethodPost, path: "api/v1/rules", body: "x=1"}, http.StatusMethodNotAllowed, "rule groups namespaces"},
		{"DELETE", resourceCall{method: http.MethodDelete, path: "api/v1/series"}, http.StatusMethodNotAllowed, "read-only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			a := callResource(t, st.Plugin, ds, tc.call)
			assert.Equal(t, tc.status, a.status)
			assert.Contains(t, a.envelope(t).Message, tc.want)
			assert.Empty(t, st.AMP.Requests())
		})
	}
}

func TestResourceErrorsCarryHints(t *testing.T) {
	t.Run("AWS access denied", func(t *testing.T) {
		key := ampemu.Key{AccessKeyID: "AKIAQUERYONLYEXAMPLE", SecretAccessKey: "query-only-secret", Actions: []string{ampemu.ActionQueryMetrics}}
		require.NoError(t, st.AMP.AddKey(key))
		ds := dataSource(t, provisioning, nil)
		ds.SecureJSONData["sigV4AccessKey"], ds.SecureJSONData["sigV4SecretKey"] = key.AccessKeyID, key.SecretAccessKey
		a := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels", rawQuery: fixtureSpan})
		assert.Equal(t, http.StatusForbidden, a.status)
		e := a.envelope(t)
		assert.Equal(t, "AccessDeniedException", e.ErrorType)
		assert.Contains(t, e.Message, "aps:GetLabels")
		assert.Contains(t, e.Message, "AmazonPrometheusQueryAccess", "the plugin's hint")
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		closedURL := "http://" + ln.Addr().String() + "/workspaces/" + stack.WorkspaceID + "/"
		require.NoError(t, ln.Close())
		ds := dataSource(t, provisioning, nil)
		ds.URL = closedURL
		a := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels"})
		assert.Equal(t, http.StatusBadGateway, a.status)
		msg := a.envelope(t).Message
		assert.Contains(t, msg, "error querying resource")
		assert.Contains(t, msg, "Could not connect to the", "the plugin's hint")
	})
}

// compressingUpstream answers every request with a compressed labels envelope, whatever the client asked for,
// like a misconfigured proxy. The first path segment names the encoding.
func compressingUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enc, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		plain := []byte(`{"status":"success","data":["compressed"]}`)
		var buf bytes.Buffer
		switch enc {
		case "gzip":
			zw := gzip.NewWriter(&buf)
			_, _ = zw.Write(plain)
			_ = zw.Close()
		case "deflate":
			zw := zlib.NewWriter(&buf)
			_, _ = zw.Write(plain)
			_ = zw.Close()
		case "br":
			zw := brotli.NewWriter(&buf)
			_, _ = zw.Write(plain)
			_ = zw.Close()
		}
		w.Header().Set("Content-Encoding", enc)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCompressedUpstreamAnswers(t *testing.T) {
	srv := compressingUpstream(t)
	for _, enc := range []string{"gzip", "deflate", "br"} {
		t.Run(enc, func(t *testing.T) {
			// The custom Accept-Encoding header keeps Go's transport from decoding gzip itself, so the plugin's
			// own decoding is what is tested.
			ds := dataSource(t, provisioning, map[string]any{"sigV4Auth": false, "httpHeaderName1": "Accept-Encoding"})
			ds.SecureJSONData["httpHeaderValue1"] = "gzip, deflate"
			ds.URL = srv.URL + "/" + enc + "/"
			a := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels"})
			assert.NotContains(t, a.headers, "Content-Encoding")
			assert.NotContains(t, a.headers, "Content-Length")
			require.Equal(t, http.StatusOK, a.status, string(a.body))
			assert.Equal(t, []string{"compressed"}, a.strings(t))
		})
	}
}
