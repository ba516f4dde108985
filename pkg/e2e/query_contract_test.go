package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// promSample is one point of a series; seriesSet maps labelsKey to the series' points.
type promSample struct {
	at time.Time
	v  float64
}

type seriesSet map[string][]promSample

// promAnswer asks the test Prometheus directly, bypassing the emulator and the plugin.
func promAnswer(t *testing.T, path string, params url.Values) (string, seriesSet) {
	t.Helper()
	return promAnswerAt(t, st.Prometheus.URL, path, params)
}

// promAnswerAt is promAnswer for the Prometheus at promURL, for tests that run a stack of their own.
func promAnswerAt(t *testing.T, promURL, path string, params url.Values) (string, seriesSet) {
	t.Helper()
	resp, err := http.Get(promURL + path + "?" + params.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct {
		Status string `json:"status"`
		Data   struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	require.Equal(t, "success", env.Status)
	set := seriesSet{}
	if env.Data.ResultType == "scalar" {
		var pair [2]any
		require.NoError(t, json.Unmarshal(env.Data.Result, &pair))
		set[""] = []promSample{toSample(t, pair)}
		return env.Data.ResultType, set
	}
	var series []promSeries
	require.NoError(t, json.Unmarshal(env.Data.Result, &series))
	for _, s := range series {
		key := labelsKey(s.Metric)
		if s.Values == nil {
			set[key] = []promSample{toSample(t, s.Value)}
			continue
		}
		for _, pair := range s.Values {
			set[key] = append(set[key], toSample(t, pair))
		}
	}
	return env.Data.ResultType, set
}

func toSample(t *testing.T, pair [2]any) promSample {
	ts, v := sampleValue(t, pair)
	return promSample{at: ts, v: v}
}

// framesSet reads the series frames of one result type back into points.
func framesSet(t *testing.T, frames data.Frames, resultType string) seriesSet {
	t.Helper()
	set := seriesSet{}
	for _, f := range frames {
		custom, _ := f.Meta.Custom.(map[string]any)
		if custom["resultType"] != resultType || len(f.Fields) != 2 {
			continue
		}
		key := labelsKey(f.Fields[1].Labels)
		for i := 0; i < f.Rows(); i++ {
			set[key] = append(set[key], promSample{at: f.Fields[0].At(i).(time.Time).UTC(), v: f.Fields[1].At(i).(float64)})
		}
	}
	return set
}

// tableSet reads a table-format frame back into points: label columns sit between Time and the value column.
func tableSet(t *testing.T, f *data.Frame) seriesSet {
	t.Helper()
	set := seriesSet{}
	last := len(f.Fields) - 1
	for row := 0; row < f.Rows(); row++ {
		labels := map[string]string{}
		for _, lf := range f.Fields[1:last] {
			switch v := lf.At(row).(type) {
			case string:
				if v != "" {
					labels[lf.Name] = v
				}
			case *float64:
				if v != nil {
					labels[lf.Name] = strconv.FormatFloat(*v, 'f', -1, 64)
				}
			}
		}
		key := labelsKey(labels)
		set[key] = append(set[key], promSample{at: f.Fields[0].At(row).(time.Time).UTC(), v: f.Fields[last].At(row).(float64)})
	}
	return set
}

func assertSameSeries(t *testing.T, want, got seriesSet) {
	t.Helper()
	require.NotEmpty(t, want, "Prometheus returned nothing: the check would prove nothing")
	require.Len(t, got, len(want))
	for key, points := range want {
		require.Len(t, got[key], len(points), "series %s", key)
		for i, p := range points {
			g := got[key][i]
			assert.Equal(t, p.at, g.at, "series %s point %d", key, i)
			if math.IsNaN(p.v) {
				assert.True(t, math.IsNaN(g.v), "series %s point %d: want NaN, got %v", key, i, g.v)
			} else {
				assert.Equal(t, p.v, g.v, "series %s point %d", key, i)
			}
		}
	}
}

func rangeParams(expr string, start, end time.Time, step time.Duration) url.Values {
	return url.Values{"query": {expr}, "start": {fmt.Sprint(start.Unix())}, "end": {fmt.Sprint(end.Unix())},
		"step": {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)}}
}

// matchesRange checks refID's matrix frames against Prometheus' own answer to the same range query.
func matchesRange(refID, expr string, start, end time.Time, step time.Duration) func(*testing.T, map[string]stack.Response) {
	return func(t *testing.T, resp map[string]stack.Response) {
		_, want := promAnswer(t, "/api/v1/query_range", rangeParams(expr, start, end, step))
		assertSameSeries(t, want, framesSet(t, resp[refID].Frames, "matrix"))
	}
}

// matchesInstant checks refID's vector or scalar frames against Prometheus' answer at time at.
func matchesInstant(refID, expr string, at time.Time) func(*testing.T, map[string]stack.Response) {
	return func(t *testing.T, resp map[string]stack.Response) {
		resultType, want := promAnswer(t, "/api/v1/query", url.Values{"query": {expr}, "time": {fmt.Sprint(at.Unix())}})
		assertSameSeries(t, want, framesSet(t, resp[refID].Frames, resultType))
	}
}

func tableMatchesInstant(refID, expr string, at time.Time) func(*testing.T, map[string]stack.Response) {
	return func(t *testing.T, resp map[string]stack.Response) {
		_, want := promAnswer(t, "/api/v1/query", url.Values{"query": {expr}, "time": {fmt.Sprint(at.Unix())}})
		require.Len(t, resp[refID].Frames, 1)
		assertSameSeries(t, want, tableSet(t, resp[refID].Frames[0]))
	}
}

func tableMatchesRange(refID, expr string, start, end time.Time, step time.Duration) func(*testing.T, map[string]stack.Response) {
	return func(t *testing.T, resp map[string]stack.Response) {
		_, want := promAnswer(t, "/api/v1/query_range", rangeParams(expr, start, end, step))
		require.Len(t, resp[refID].Frames, 1)
		assertSameSeries(t, want, tableSet(t, resp[refID].Frames[0]))
	}
}

// heatmapMatchesRange checks that each heatmap column is Prometheus' bucket minus the next lower bucket.
func heatmapMatchesRange(refID, expr string, start, end time.Time, step time.Duration) func(*testing.T, map[string]stack.Response) {
	return func(t *testing.T, resp map[string]stack.Response) {
		_, cumulative := promAnswer(t, "/api/v1/query_range", rangeParams(expr, start, end, step))
		type bucket struct {
			le     float64
			key    string
			points []promSample
		}
		var buckets []bucket
		for key, points := range cumulative {
			var le float64
			_, err := fmt.Sscanf(key, "le=%g", &le)
			require.NoError(t, err, key)
			buckets = append(buckets, bucket{le: le, key: key, points: points})
		}
		sort.Slice(buckets, func(i, j int) bool { return buckets[i].le < buckets[j].le })
		want := seriesSet{}
		for i, b := range buckets {
			for j, p := range b.points {
				if i > 0 {
					p.v -= buckets[i-1].points[j].v
				}
				want[b.key] = append(want[b.key], p)
			}
		}
		require.Len(t, resp[refID].Frames, 1)
		h := resp[refID].Frames[0]
		got := seriesSet{}
		for i, f := range h.Fields[1:] {
			assert.Equal(t, f.Labels["le"], f.Name, "column %d is named by its bucket", i)
			for row := 0; row < h.Rows(); row++ {
				got[labelsKey(f.Labels)] = append(got[labelsKey(f.Labels)], promSample{at: h.Fields[0].At(row).(time.Time).UTC(), v: f.At(row).(float64)})
			}
		}
		assertSameSeries(t, want, got)
		names := make([]string, 0, len(h.Fields)-1)
		for _, f := range h.Fields[1:] {
			names = append(names, f.Name)
		}
		assert.Equal(t, []string{"0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"}, names, "sorted by numeric le")
	}
}

// recordingProxy sits between the plugin and the test Prometheus and keeps every request's path and parameters.
type recordingProxy struct {
	URL      string
	mu       sync.Mutex
	requests []recordedCall
}

type recordedCall struct {
	method, path string
	params       url.Values
}

func startRecordingProxy(t *testing.T) *recordingProxy {
	t.Helper()
	target, err := url.Parse(st.Prometheus.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	rp := &recordingProxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		r.Body = io.NopCloser(bytes.NewReader(body))
		params := r.URL.Query()
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range form {
				params[k] = v
			}
		}
		rp.mu.Lock()
		rp.requests = append(rp.requests, recordedCall{method: r.Method, path: r.URL.Path, params: params})
		rp.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rp.URL = srv.URL
	return rp
}

func (rp *recordingProxy) calls(path string) []recordedCall {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	var out []recordedCall
	for _, c := range rp.requests {
		if c.path == path {
			out = append(out, c)
		}
	}
	return out
}

func TestExemplars(t *testing.T) {
	q := panelQuery("A", fixtureAt(1, 0).Add(7*time.Second), fixtureAt(1, 5).Add(7*time.Second),
		map[string]any{"expr": `fixture_request_duration_seconds_bucket{le="0.5"}`, "exemplar": true, "range": true, "instant": true})

	t.Run("AMP has no exemplar API: one notice, no request", func(t *testing.T) {
		ds := dataSource(t, provisioning, nil)
		st.AMP.Reset()
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
		require.NoError(t, err)
		require.Empty(t, resp["A"].Error)
		var notices []data.Notice
		for _, f := range resp["A"].Frames {
			notices = append(notices, f.Meta.Notices...)
		}
		require.Len(t, notices, 1)
		assert.Equal(t, data.NoticeSeverityInfo, notices[0].Severity)
		assert.Contains(t, notices[0].Text, "not supported by Amazon Managed Service for Prometheus")
		for _, r := range st.AMP.Requests() {
			assert.NotEqual(t, "/api/v1/query_exemplars", r.Path)
		}
		assert.Len(t, st.AMP.Requests(), 2, "range and instant")
	})

	t.Run("a plain Prometheus is asked", func(t *testing.T) {
		proxy := startRecordingProxy(t)
		ds := dataSource(t, provisioning, map[string]any{"sigV4Auth": false})
		ds.URL = proxy.URL
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
		require.NoError(t, err)
		require.Empty(t, resp["A"].Error)
		for _, f := range resp["A"].Frames {
			assert.Empty(t, f.Meta.Notices)
			assert.NotEqual(t, "exemplar", f.Name, "the fixture has no exemplars, so no exemplar frame")
		}
		matchesRange("A", `fixture_request_duration_seconds_bucket{le="0.5"}`, fixtureAt(1, 0), fixtureAt(1, 5), time.Minute)(t, resp)
		calls := proxy.calls("/api/v1/query_exemplars")
		require.Len(t, calls, 1)
		assert.Equal(t, http.MethodPost, calls[0].method)
		assert.Equal(t, url.Values{"query": {`fixture_request_duration_seconds_bucket{le="0.5"}`},
			"start": {fmt.Sprint(fixtureAt(1, 0).Unix())}, "end": {fmt.Sprint(fixtureAt(1, 5).Unix())}}, calls[0].params,
			"aligned start and end, no step, no timeout")

		_, err = st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), map[string]string{"FromAlert": "true"}, q)
		require.NoError(t, err)
		assert.Len(t, proxy.calls("/api/v1/query_exemplars"), 1, "alert evaluations never ask for exemplars")
		assert.Len(t, proxy.calls("/api/v1/query_range"), 2)
	})
}

func TestFiltersAreAppliedBeforeSending(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	st.AMP.Reset()
	good := instantQuery("GOOD", fixtureAt(2, 0), map[string]any{"expr": "sum(rate(fixture_http_requests_total[$__rate_interval])) by (job)",
		"adhocFilters": []map[string]any{{"key": "status", "operator": "one-of", "values": []string{"200", "201"}}},
		"groupByKeys":  []string{"method"}})
	bad := instantQuery("BAD", fixtureAt(2, 0), map[string]any{"expr": "sum(rate(fixture_http_requests_total[5m])",
		"groupByKeys": []string{"method"}})
	resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, good, bad)
	require.NoError(t, err)

	require.Empty(t, resp["GOOD"].Error)
	const sent = `sum by (job, method) (rate(fixture_http_requests_total{status=~"200|201"}[1m15s]))`
	assert.Equal(t, "Expr: "+sent+"\nStep: 1m0s", resp["GOOD"].Frames[0].Meta.ExecutedQueryString)
	matchesInstant("GOOD", sent, fixtureAt(2, 0))(t, resp)

	assert.Contains(t, resp["BAD"].Error, "not valid PromQL")
	assert.Empty(t, resp["BAD"].Frames)
	records := st.AMP.Requests()
	require.Len(t, records, 1, "the unparseable query never leaves the plugin")
	assert.Equal(t, sent, records[0].Form.Get("query"))
}
