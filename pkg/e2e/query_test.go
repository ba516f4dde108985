package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

var fixtureStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func rangeQuery(refID, expr string) stack.Query {
	from := fixtureStart.Add(time.Hour)
	return stack.Query{RefID: refID, From: from, To: from.Add(time.Hour), IntervalMs: 15000, MaxDataPoints: 1000,
		Model: map[string]any{"expr": expr, "range": true}}
}

// promSeries is Prometheus' own answer, decoded the plain way, to compare the plugin's frames against.
type promSeries struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"`
	Value  [2]any            `json:"value"`
}

func sampleValue(t *testing.T, pair [2]any) (time.Time, float64) {
	t.Helper()
	v, err := strconv.ParseFloat(pair[1].(string), 64)
	require.NoError(t, err)
	return time.UnixMilli(int64(pair[0].(float64) * 1000)).UTC(), v
}

func labelsKey(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k+"="+l[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func TestRangeQueryMatchesPrometheus(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	expr := `rate(fixture_http_requests_total{job="api"}[$__rate_interval])`
	resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, rangeQuery("A", expr))
	require.NoError(t, err)
	r := resp["A"]
	require.Empty(t, r.Error)
	require.Len(t, r.Frames, 8)
	first := r.Frames[0].Meta
	const finalExpr = `rate(fixture_http_requests_total{job="api"}[1m0s])`
	assert.Equal(t, "Expr: "+finalExpr+"\nStep: 15s", first.ExecutedQueryString)

	from := fixtureStart.Add(time.Hour)
	_, want := promAnswer(t, "/api/v1/query_range", rangeParams(finalExpr, from, from.Add(time.Hour), 15*time.Second))
	require.Len(t, want, len(r.Frames))
	for _, f := range r.Frames {
		require.Len(t, f.Fields, 2)
		assert.Equal(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type)
		assert.Equal(t, "Value", f.Fields[1].Name, "rate() drops the metric name, so the field keeps its name")
		assert.Equal(t, 15000.0, f.Fields[0].Config.Interval)
	}
	assertSameSeries(t, want, framesSet(t, r.Frames, "matrix"))
}

func TestInstantAndBothQueries(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	at := fixtureStart.Add(2 * time.Hour)
	queries := []stack.Query{
		{RefID: "I", From: at.Add(-time.Hour), To: at, Model: map[string]any{"expr": `fixture_special_values`, "instant": true}},
		{RefID: "B", From: at.Add(-time.Hour), To: at, MaxDataPoints: 100,
			Model: map[string]any{"expr": `fixture_up`, "instant": true, "range": true, "legendFormat": "{{instance}}"}},
		{RefID: "S", From: at.Add(-time.Hour), To: at, Model: map[string]any{"expr": `scalar(sum(fixture_up))`, "instant": true}},
	}
	resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, queries...)
	require.NoError(t, err)

	inst := resp["I"]
	require.Empty(t, inst.Error)
	require.Len(t, inst.Frames, 1)
	assert.Equal(t, data.FrameTypeNumericMulti, inst.Frames[0].Meta.Type)
	assert.Equal(t, "fixture_special_values", inst.Frames[0].Fields[1].Name)
	assert.Equal(t, at, inst.Frames[0].Fields[0].At(0).(time.Time).UTC())
	assert.True(t, math.IsInf(inst.Frames[0].Fields[1].At(0).(float64), 1), "+Inf at 02:00 survives the trip")

	both := resp["B"]
	require.Empty(t, both.Error)
	kinds := map[string]int{}
	for _, f := range both.Frames {
		kinds[f.Meta.Custom.(map[string]any)["resultType"].(string)]++
		if len(f.Fields) == 2 {
			assert.Equal(t, f.Fields[1].Labels["instance"], f.Fields[1].Config.DisplayNameFromDS)
		}
	}
	assert.Equal(t, map[string]int{"matrix": 3, "vector": 3}, kinds)

	sc := resp["S"]
	require.Empty(t, sc.Error)
	require.Len(t, sc.Frames, 1)
	assert.Equal(t, 2.0, sc.Frames[0].Fields[1].At(0))
	assert.Equal(t, "scalar", sc.Frames[0].Meta.Custom.(map[string]any)["resultType"])
}

func TestErrorsStayWithTheirQuery(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	good := rangeQuery("GOOD", "fixture_up")
	bad := rangeQuery("BAD", "sum(")
	malformed := rangeQuery("MALFORMED", "fixture_up")
	malformed.Model["intervalFactor"] = "2"
	resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, good, bad, malformed)
	require.NoError(t, err)

	assert.Empty(t, resp["GOOD"].Error)
	assert.Len(t, resp["GOOD"].Frames, 3)

	assert.Contains(t, resp["BAD"].Error, "bad_data")
	assert.Equal(t, http.StatusBadRequest, resp["BAD"].Status)
	require.Len(t, resp["BAD"].Frames, 1, "the error keeps a frame carrying executedQueryString")
	assert.Contains(t, resp["BAD"].Frames[0].Meta.ExecutedQueryString, "Expr: sum(")

	assert.Contains(t, resp["MALFORMED"].Error, "error unmarshaling query")
	assert.Equal(t, "downstream", resp["MALFORMED"].ErrorSource)
}

func TestLabelResources(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	pc := ds.PluginContext(pluginhost.GrafanaConfig(nil))
	st.AMP.Reset()
	call := func(path, rawQuery string) (int, map[string]any) {
		msgs, err := st.Plugin.CallResource(testContext(t), &pluginv2.CallResourceRequest{PluginContext: pc, Path: path,
			Method: http.MethodGet, Url: path + "?" + rawQuery})
		require.NoError(t, err)
		require.NotEmpty(t, msgs)
		var body map[string]any
		require.NoError(t, json.Unmarshal(msgs[0].Body, &body))
		return int(msgs[0].Code), body
	}
	span := fmt.Sprintf("start=%d&end=%d", fixtureStart.Unix(), fixtureStart.Add(6*time.Hour).Unix())
	code, body := call("api/v1/label/city/values", span)
	require.Equal(t, http.StatusOK, code)
	assert.ElementsMatch(t, []any{"São Paulo", "Zürich", "東京"}, body["data"])

	code, body = call("api/v1/labels", span+"&match[]=fixture_up")
	require.Equal(t, http.StatusOK, code)
	assert.ElementsMatch(t, []any{"__name__", "instance", "job"}, body["data"])

	code, body = call("api/v1/status/buildinfo", "")
	assert.Equal(t, http.StatusNotFound, code, "AMP has no build info; the plugin answers without asking AWS")
	assert.Contains(t, body["error"], "build information")

	code, body = call("api/v1/admin/tsdb/snapshot", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, body["message"], "api/v1/admin/tsdb/snapshot")

	for _, r := range st.AMP.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "AMP accepts label values over GET only")
		assert.Equal(t, stack.AccessKeyID, r.AccessKeyID)
	}
	assert.Len(t, st.AMP.Requests(), 2, "unknown paths never leave the plugin")
}
