package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promwrite"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

// Native histogram data written by remote write: nhSeries series of nhSamples samples nhStep apart.
const (
	nhMetric  = "fixture_latency_native"
	nhSeries  = 2
	nhSamples = 60
	nhStep    = 15 * time.Second
)

// nativeHistogramStack is a stack of its own: the shared one's Prometheus cannot take remote writes, and writing
// into it would change what the other tests see.
type nativeHistogramStack struct {
	*stack.Stack
	// start is the first sample's time. Remote write appends into the TSDB head, which refuses samples far in the
	// past, so the data sits just before the test's start instead of at the fixture's fixed epoch.
	start time.Time
}

func startNativeHistogramStack(t *testing.T) nativeHistogramStack {
	t.Helper()
	s := startWritableStack(t)
	start := time.Now().UTC().Truncate(time.Minute).Add(-20 * time.Minute)
	require.NoError(t, promwrite.Push(testContext(t), nil, s.Prometheus.URL, nativeHistogramData(start)), s.Prometheus.Logs())
	return nativeHistogramStack{Stack: s, start: start}
}

// startWritableStack starts a stack of the test's own whose Prometheus takes remote writes (and native
// histograms), stopped when the test ends.
func startWritableStack(t *testing.T) *stack.Stack {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fixture, err := promserver.DefaultFixturePath()
	require.NoError(t, err)
	prom, amp := startOwnWorkspace(t, ctx, promserver.Options{Fixture: fixture, WorkDir: t.TempDir(), NativeHistograms: true})
	return &stack.Stack{Root: st.Root, Region: st.Region, Prometheus: prom, AMP: amp,
		Plugin: launchPlugin(t, &syncbuf.Buffer{}, stack.PluginEnv())}
}

// startOwnWorkspace starts a Prometheus of the test's own with opts and, in front of it, an AMP emulator for the
// stack's workspace, region and keys; both stop when the test ends.
func startOwnWorkspace(t *testing.T, ctx context.Context, opts promserver.Options) (*promserver.Server, *ampemu.Emulator) {
	t.Helper()
	prom, err := promserver.Start(ctx, opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, prom.Stop()) })
	amp, err := ampemu.Start(stack.EmulatorConfig(prom.URL, st.Region))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, amp.Close()) })
	return prom, amp
}

// nativeHistogramData is deterministic cumulative data at schema 0 (bucket bounds are powers of two): series i has
// a zero bucket and three positive buckets, and the second series also a negative bucket, so that every boundary
// rule Prometheus reports for integer histograms shows up.
func nativeHistogramData(start time.Time) *prompb.WriteRequest {
	req := &prompb.WriteRequest{}
	for i := range nhSeries {
		ts := prompb.TimeSeries{Labels: []prompb.Label{
			{Name: "__name__", Value: nhMetric},
			{Name: "instance", Value: fmt.Sprintf("api-%d:8080", i+1)},
			{Name: "job", Value: "api"},
		}}
		for k := range nhSamples {
			n := uint64(k + 1)
			h := promwrite.IntHistogram{
				ZeroThreshold:  0.001,
				ZeroCount:      n,
				Sum:            float64(n) * float64(10+i),
				PositiveOffset: -2,
				Positive:       []uint64{2 * n, uint64(3+i) * n, n * n},
			}
			if i == 1 {
				h.NegativeOffset, h.Negative = 0, []uint64{n}
			}
			ts.Histograms = append(ts.Histograms, h.Proto(start.Add(time.Duration(k)*nhStep)))
		}
		req.Timeseries = append(req.Timeseries, ts)
	}
	return req
}

func (s nativeHistogramStack) dataSource(t *testing.T) pluginhost.DataSource {
	t.Helper()
	ds, err := s.LoadDataSource(provisioning)
	require.NoError(t, err)
	ds.ID, ds.UID, ds.LastUpdated = 1, "native-histograms", time.Now()
	return ds
}

// promHistogram is one native histogram as Prometheus' JSON API renders it.
type promHistogram struct {
	Count   string  `json:"count"`
	Sum     string  `json:"sum"`
	Buckets [][]any `json:"buckets"`
}

// promHistogramSeries is one series of a vector or matrix answer; samples are [seconds, histogram] pairs.
type promHistogramSeries struct {
	Metric     map[string]string    `json:"metric"`
	Histogram  [2]json.RawMessage   `json:"histogram"`
	Histograms [][2]json.RawMessage `json:"histograms"`
	Values     [][2]any             `json:"values"`
}

func (s nativeHistogramStack) queryPrometheus(t *testing.T, path string, params url.Values) []promHistogramSeries {
	t.Helper()
	resp, err := http.Get(s.Prometheus.URL + path + "?" + params.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct {
		Status string `json:"status"`
		Data   struct {
			Result []promHistogramSeries `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	require.Equal(t, "success", env.Status)
	return env.Data.Result
}

// heatmapRow is one row of a heatmap-cells frame.
type heatmapRow struct {
	xMax              time.Time
	yMin, yMax, count float64
	yLayout           int8
}

// expectedRows flattens Prometheus' histogram samples into the rows the plugin should produce: one per bucket per
// timestamp, in order.
func expectedRows(t *testing.T, samples [][2]json.RawMessage) []heatmapRow {
	t.Helper()
	var rows []heatmapRow
	for _, sample := range samples {
		var sec float64
		require.NoError(t, json.Unmarshal(sample[0], &sec))
		var h promHistogram
		require.NoError(t, json.Unmarshal(sample[1], &h))
		for _, b := range h.Buckets {
			require.Len(t, b, 4)
			rule, ok := b[0].(float64)
			require.True(t, ok, "boundary rule %v", b[0])
			rows = append(rows, heatmapRow{
				xMax:    time.UnixMilli(int64(sec * 1000)).UTC(),
				yLayout: int8(rule),
				yMin:    parseNumber(t, b[1]),
				yMax:    parseNumber(t, b[2]),
				count:   parseNumber(t, b[3]),
			})
		}
	}
	return rows
}

func parseNumber(t *testing.T, v any) float64 {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "%v is not a string", v)
	f, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return f
}

// heatmapRows checks a frame's heatmap-cells shape exactly and returns its rows.
func heatmapRows(t *testing.T, frame *data.Frame, labels map[string]string) []heatmapRow {
	t.Helper()
	require.NotNil(t, frame.Meta)
	assert.Equal(t, data.FrameType("heatmap-cells"), frame.Meta.Type)
	assert.Equal(t, data.FrameTypeVersion{0, 0}, frame.Meta.TypeVersion)
	if custom, ok := frame.Meta.Custom.(map[string]any); ok {
		assert.NotContains(t, custom, "resultType")
	}
	want := []struct {
		name string
		typ  data.FieldType
	}{
		{"xMax", data.FieldTypeTime},
		{"yMin", data.FieldTypeFloat64},
		{"yMax", data.FieldTypeFloat64},
		{"count", data.FieldTypeFloat64},
		{"yLayout", data.FieldTypeInt8},
	}
	require.Len(t, frame.Fields, len(want))
	for i, w := range want {
		f := frame.Fields[i]
		assert.Equal(t, w.name, f.Name)
		require.Equal(t, w.typ, f.Type(), "field %s", w.name)
		assert.Equal(t, data.Labels(labels), f.Labels, "labels of %s", w.name)
	}
	rows := make([]heatmapRow, frame.Rows())
	for i := range rows {
		rows[i] = heatmapRow{
			xMax:    frame.Fields[0].At(i).(time.Time).UTC(),
			yMin:    frame.Fields[1].At(i).(float64),
			yMax:    frame.Fields[2].At(i).(float64),
			count:   frame.Fields[3].At(i).(float64),
			yLayout: frame.Fields[4].At(i).(int8),
		}
	}
	return rows
}

func TestNativeHistogramQueries(t *testing.T) {
	s := startNativeHistogramStack(t)
	ds := s.dataSource(t)
	last := s.start.Add((nhSamples - 1) * nhStep)
	at := s.start.Add(10 * time.Minute)
	rangeParams := url.Values{
		"start": {strconv.FormatInt(s.start.Unix(), 10)},
		"end":   {strconv.FormatInt(last.Unix(), 10)},
		"step":  {"15"},
	}

	tests := []struct {
		name    string
		expr    string
		instant bool
		// rowsPerSeries is the bucket rows expected per series, in Prometheus' order; nil for float results.
		rowsPerSeries []int
		// layouts are the boundary rules expected per series.
		layouts [][]int8
	}{
		{
			name: "range query of the raw series",
			expr: nhMetric,
			// One row per bucket per sample: zero bucket and three positive buckets, plus one negative bucket.
			rowsPerSeries: []int{4 * nhSamples, 5 * nhSamples},
			layouts:       [][]int8{{3, 0}, {1, 3, 0}},
		},
		{
			name:          "instant query of the rate",
			expr:          "rate(" + nhMetric + "[1m])",
			instant:       true,
			rowsPerSeries: []int{4, 5},
			layouts:       [][]int8{{3, 0}, {1, 3, 0}},
		},
		{
			name: "histogram_quantile is a plain matrix",
			expr: "histogram_quantile(0.9, rate(" + nhMetric + "[1m]))",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := stack.Query{RefID: "A", From: s.start, To: last, IntervalMs: nhStep.Milliseconds(), MaxDataPoints: 1000,
				Model: map[string]any{"expr": tc.expr, "range": !tc.instant, "instant": tc.instant}}
			path, params := "/api/v1/query_range", url.Values{"query": {tc.expr}}
			for k, v := range rangeParams {
				params[k] = v
			}
			if tc.instant {
				q.To = at
				path, params = "/api/v1/query", url.Values{"query": {tc.expr}, "time": {strconv.FormatInt(at.Unix(), 10)}}
			}
			resp, err := s.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
			require.NoError(t, err)
			r := resp["A"]
			require.Empty(t, r.Error)
			want := s.queryPrometheus(t, path, params)
			require.Len(t, want, nhSeries)
			require.Len(t, r.Frames, len(want))
			// The plugin must have asked Prometheus for the same step the direct queries use.
			require.NotNil(t, r.Frames[0].Meta)
			require.Contains(t, r.Frames[0].Meta.ExecutedQueryString, "Step: 15s")

			for i, series := range want {
				frame := r.Frames[i]
				if tc.rowsPerSeries == nil {
					assertMatrixFrame(t, frame, series)
					continue
				}
				samples := series.Histograms
				if tc.instant {
					samples = [][2]json.RawMessage{series.Histogram}
				}
				if !tc.instant {
					require.Len(t, samples, nhSamples, "Prometheus should return every written sample")
				}
				wantRows := expectedRows(t, samples)
				require.Len(t, wantRows, tc.rowsPerSeries[i])
				gotRows := heatmapRows(t, frame, series.Metric)
				assert.Equal(t, wantRows, gotRows)
				assert.Equal(t, tc.layouts[i], distinctLayouts(gotRows))
			}
		})
	}
}

// assertMatrixFrame checks a float series frame against Prometheus' matrix series.
func assertMatrixFrame(t *testing.T, frame *data.Frame, series promHistogramSeries) {
	t.Helper()
	require.NotNil(t, frame.Meta)
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, frame.Meta.Type)
	custom, ok := frame.Meta.Custom.(map[string]any)
	require.True(t, ok, "meta.custom is %T", frame.Meta.Custom)
	assert.Equal(t, "matrix", custom["resultType"])
	require.Len(t, frame.Fields, 2)
	assert.Equal(t, data.Labels(series.Metric), frame.Fields[1].Labels)
	require.NotEmpty(t, series.Values)
	require.Equal(t, len(series.Values), frame.Rows())
	for i, pair := range series.Values {
		wantTime, wantValue := sampleValue(t, pair)
		assert.Equal(t, wantTime, frame.Fields[0].At(i).(time.Time).UTC(), "time of row %d", i)
		assert.Equal(t, wantValue, frame.Fields[1].At(i).(float64), "value of row %d", i)
	}
}

// distinctLayouts lists the boundary rules of rows in first-seen order.
func distinctLayouts(rows []heatmapRow) []int8 {
	var out []int8
	seen := map[int8]bool{}
	for _, r := range rows {
		if !seen[r.yLayout] {
			seen[r.yLayout] = true
			out = append(out, r.yLayout)
		}
	}
	return out
}
