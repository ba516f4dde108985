package resources

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// seen is one request the stand-in upstream received.
type seen struct {
	method, path, rawPath, rawQuery, contentType, body string
}

// upstream is a stand-in Prometheus that records requests and answers with handler (a success envelope when nil).
type upstream struct {
	srv     *httptest.Server
	handler http.HandlerFunc

	mu  sync.Mutex
	got []seen
}

func newUpstream(t *testing.T, handler http.HandlerFunc) *upstream {
	t.Helper()
	u := &upstream{handler: handler}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.got = append(u.got, seen{method: r.Method, path: r.URL.Path, rawPath: r.URL.EscapedPath(), rawQuery: r.URL.RawQuery,
			contentType: r.Header.Get("Content-Type"), body: string(body)})
		u.mu.Unlock()
		if u.handler != nil {
			u.handler(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":["job"]}`)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) requests() []seen {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]seen(nil), u.got...)
}

// settingsFor loads data source settings for url with the given jsonData (SigV4 off unless jsonData turns it on).
func settingsFor(t *testing.T, url string, jsonData map[string]any) *models.Settings {
	t.Helper()
	jd := map[string]any{"sigV4Auth": false}
	for k, v := range jsonData {
		jd[k] = v
	}
	raw, err := json.Marshal(jd)
	require.NoError(t, err)
	s, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: url, JSONData: raw,
		DecryptedSecureJSONData: map[string]string{"sigV4AccessKey": "AKIDEXAMPLE", "sigV4SecretKey": "secret"}})
	require.NoError(t, err)
	return s
}

// handlerFor builds a Handler whose Prometheus client talks to u without signing.
func handlerFor(t *testing.T, u *upstream, jsonData map[string]any) *Handler {
	t.Helper()
	s := settingsFor(t, u.srv.URL+"/prefix/", jsonData)
	return New(Options{Settings: s, Client: promclient.New(u.srv.Client(), s)})
}

// call is a resource call as Grafana sends it.
type call struct {
	method, path, rawQuery, body string
	headers                      map[string]string
}

func (c call) request() *backend.CallResourceRequest {
	req := &backend.CallResourceRequest{Method: c.method, Path: c.path, Body: []byte(c.body), Headers: map[string][]string{}}
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	req.URL = "/" + c.path
	if c.rawQuery != "" {
		req.URL += "?" + c.rawQuery
	}
	for k, v := range c.headers {
		req.Headers[k] = []string{v}
	}
	return req
}

func handle(h *Handler, c call) *backend.CallResourceResponse {
	return h.Handle(context.Background(), c.request())
}

// errorOf decodes a JSON error answer.
func errorOf(t *testing.T, resp *backend.CallResourceResponse) errorBody {
	t.Helper()
	var e errorBody
	require.NoError(t, json.Unmarshal(resp.Body, &e), string(resp.Body))
	require.Equal(t, "error", e.Status)
	return e
}
