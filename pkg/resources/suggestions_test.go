package resources

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMetricNames(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`up`, []string{"up"}},
		{`rate(http_requests_total{job="api"}[$__rate_interval])`, []string{"http_requests_total"}},
		{`sum by (job, instance) (rate(a[5m])) / on(job) group_left(team) b offset 1h`, []string{"a", "b"}},
		{`sum(rate(x[1m])) without (le) > bool 0 unless ignoring(code) y`, []string{"x", "y"}},
		{`histogram_quantile(0.9, sum by (le) (rate(req_bucket{code=~"5.."}[${__interval}])))`, []string{"req_bucket"}},
		{`{__name__=~"node_.*", job="n"} or {__name__="up"}`, []string{"node_.*", "up"}},
		{`{"http.server.duration", le="1"}`, []string{"http.server.duration"}},
		{`job:rate5m:sum * on() group_right vector(1)`, []string{"job:rate5m:sum"}},
		{`label_replace(up, "dst", "$1", "src", "(.*)") + count_values("v", b) + topk(5, c) @ start()`, []string{"b", "c", "up"}},
		{`up{job="$job"} + Inf - NaN + 1e3 + 0x1F # a comment naming fake_metric`, []string{"up"}},
		{`max_over_time(x[1h:5m]) and $var`, []string{"x"}},
		{`z + a + z`, []string{"a", "z"}},
		{`sum(`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			assert.Equal(t, tc.want, metricNames(tc.expr))
		})
	}
}

func TestMergeFilters(t *testing.T) {
	scopes := []filter{{Key: "namespace", Value: "default", Operator: "equals"},
		{Key: "namespace", Value: "kube-system", Operator: "not-equals"},
		{Key: "cluster", Values: []string{"a", "b"}, Operator: "one-of"}}
	adhoc := []filter{{Key: "cluster", Value: "c", Operator: "not-equals"}, {Key: "cluster", Value: "d.*", Operator: "regex-match"},
		{Key: "http.method", Value: `GE"T`, Operator: "regex-not-match"}}
	got, err := mergeFilters(scopes, adhoc)
	require.NoError(t, err)
	assert.Equal(t, []string{`cluster=~"d.*"`, `"http.method"!~"GE\"T"`, `namespace=~"default|kube-system"`},
		[]string{got[0].String(), got[1].String(), got[2].String()})

	_, err = mergeFilters([]filter{{Key: "a", Value: "b", Operator: "like"}}, nil)
	assert.EqualError(t, err, `unknown operator "like"`)
}

func TestSuggestions(t *testing.T) {
	const body = `{"queries":["up + go_cgo_go_to_c_calls_calls_total", "rate(up[$__rate_interval])"],
		"scopes":[{"key":"job","value":".+","operator":"regex-match"}],"adhocFilters":[],"start":"1700000000","end":1700003600,"limit":10}`
	t.Run("label names", func(t *testing.T) {
		u := newUpstream(t, nil)
		resp := handle(handlerFor(t, u, nil), call{method: http.MethodPost, path: "suggestions", body: body,
			headers: map[string]string{"Content-Type": "application/json", "X-Grafana-Cache": "private, max-age=60"}})
		require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
		assert.Equal(t, []string{"private, max-age=60"}, resp.Headers["Cache-Control"])
		got := u.requests()
		require.Len(t, got, 1)
		assert.Equal(t, http.MethodPost, got[0].method, "the configured method")
		assert.Equal(t, "/prefix/api/v1/labels", got[0].path)
		assert.Empty(t, got[0].rawQuery)
		assert.Equal(t, "end=1700003600&limit=10&match%5B%5D=go_cgo_go_to_c_calls_calls_total%7Bjob%3D~%22.%2B%22%7D&"+
			"match%5B%5D=up%7Bjob%3D~%22.%2B%22%7D&start=1700000000", got[0].body)
	})
	t.Run("label values go by GET with the name escaped", func(t *testing.T) {
		u := newUpstream(t, nil)
		resp := handle(handlerFor(t, u, nil), call{method: http.MethodPost, path: "Suggestions",
			body: `{"labelName":"service.name","adhocFilters":[{"key":"env","value":"prod","operator":"equals"}]}`})
		require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
		got := u.requests()
		require.Len(t, got, 1)
		assert.Equal(t, http.MethodGet, got[0].method)
		assert.Equal(t, "/prefix/api/v1/label/U__service_2e_name/values", got[0].rawPath)
		q, err := url.ParseQuery(got[0].rawQuery)
		require.NoError(t, err)
		assert.Equal(t, url.Values{"match[]": {`{env="prod"}`}}, q)
	})
	t.Run("errors", func(t *testing.T) {
		u := newUpstream(t, nil)
		h := handlerFor(t, u, nil)
		resp := handle(h, call{method: http.MethodPost, path: "suggestions", body: `{"queries":"up"}`})
		assert.Equal(t, http.StatusBadRequest, resp.Status)
		assert.Contains(t, errorOf(t, resp).Message, "not valid JSON")
		resp = handle(h, call{method: http.MethodPost, path: "suggestions", body: `{"scopes":[{"key":"a","operator":"like"}]}`})
		assert.Equal(t, http.StatusBadRequest, resp.Status)
		assert.Equal(t, `unknown operator "like"`, errorOf(t, resp).Message)
		assert.Empty(t, u.requests())
	})
}
