package e2e

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promwrite"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

const (
	cacheMetric = "cache_e2e_gauge"
	// cacheStep is the query step: short, so that the test waits little for the next step.
	cacheStep = 5 * time.Second
)

// gaugeWrite holds samples every 15 s in [from, to] for each named series of cacheMetric; values depend only on the
// series and the time, so any write of the same range agrees with an earlier one.
func gaugeWrite(from, to time.Time, series ...string) *prompb.WriteRequest {
	req := &prompb.WriteRequest{}
	for i, name := range series {
		ts := prompb.TimeSeries{Labels: []prompb.Label{{Name: "__name__", Value: cacheMetric}, {Name: "series", Value: name}}}
		for at := from; !at.After(to); at = at.Add(15 * time.Second) {
			ts.Samples = append(ts.Samples, prompb.Sample{Timestamp: at.UnixMilli(), Value: float64(at.Unix()%600) + float64(i)/10})
		}
		req.Timeseries = append(req.Timeseries, ts)
	}
	return req
}

func cacheDataSource(t *testing.T, s *stack.Stack, cached bool) pluginhost.DataSource {
	t.Helper()
	return dataSourceOf(t, s, provisioning, map[string]any{
		"incrementalQuerying": cached, "incrementalQueryOverlapWindow": "10m", "queryStatsEnabled": true,
	})
}

// rangeStarts lists the start parameter of the query_range requests the emulator saw after the first skip.
func rangeStarts(s *stack.Stack, skip int) []time.Time {
	var out []time.Time
	seen := 0
	for _, r := range s.AMP.Requests() {
		if r.Path != "/api/v1/query_range" {
			continue
		}
		if seen++; seen <= skip {
			continue
		}
		sec, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
		out = append(out, time.UnixMilli(int64(sec*1000)).UTC())
	}
	return out
}

func cacheQuery(expr string, from, to time.Time) stack.Query {
	return stack.Query{RefID: "A", From: from, To: to, IntervalMs: cacheStep.Milliseconds(), MaxDataPoints: 2000,
		Model: map[string]any{"expr": expr, "range": true, "intervalMs": cacheStep.Milliseconds()}}
}

// cachedPercent reads the query cache statistic off the first frame; -1 when there is none.
func cachedPercent(frames data.Frames) float64 {
	for _, s := range frames[0].Meta.Stats {
		if s.DisplayName == "Range from query cache" {
			return s.Value
		}
	}
	return -1
}

// assertSameFrames checks that the cached answer has the uncached one's frames, in the same order, with the same
// names, labels, display names and points.
func assertSameFrames(t *testing.T, want, got data.Frames) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		require.Len(t, got[i].Fields, len(want[i].Fields))
		assert.Equal(t, want[i].Fields[1].Name, got[i].Fields[1].Name)
		assert.Equal(t, want[i].Fields[1].Labels, got[i].Fields[1].Labels)
		assert.Equal(t, want[i].Fields[1].Config, got[i].Fields[1].Config)
		assert.Equal(t, want[i].Meta.ExecutedQueryString, got[i].Meta.ExecutedQueryString)
	}
	assertSameSeries(t, framesSet(t, want, "matrix"), framesSet(t, got, "matrix"))
}

// TestQueryCacheWithLateSamples runs a panel's query through the built plugin and the emulator twice, with samples
// written late in between, and checks that the second answer asked AMP only for the overlap window and still
// equals Prometheus' own answer and the uncached plugin's.
func TestQueryCacheWithLateSamples(t *testing.T) {
	s := startWritableStack(t)
	ctx := testContext(t)
	base := time.Now().UTC().Truncate(15 * time.Second)
	// "steady" runs until 5 minutes ago and gets its last samples late; "stops" ends 20 minutes ago, so it
	// disappears from the newer points; "appears" is written only later.
	require.NoError(t, promwrite.Push(ctx, nil, s.Prometheus.URL, gaugeWrite(base.Add(-40*time.Minute), base.Add(-5*time.Minute), "steady")))
	require.NoError(t, promwrite.Push(ctx, nil, s.Prometheus.URL, gaugeWrite(base.Add(-40*time.Minute), base.Add(-20*time.Minute), "stops")))
	cached, plain := cacheDataSource(t, s, true), cacheDataSource(t, s, false)

	run := func(ds pluginhost.DataSource, headers map[string]string, q stack.Query) data.Frames {
		t.Helper()
		resp, err := s.QueryData(ctx, ds, pluginhost.GrafanaConfig(nil), headers, q)
		require.NoError(t, err)
		require.Empty(t, resp["A"].Error)
		return resp["A"].Frames
	}
	check := func(q stack.Query, got data.Frames) {
		t.Helper()
		from, to := q.From.Truncate(cacheStep), q.To.Truncate(cacheStep)
		_, want := promAnswerAt(t, s.Prometheus.URL, "/api/v1/query_range", rangeParams(cacheMetric, from, to, cacheStep))
		assertSameSeries(t, want, framesSet(t, got, "matrix"))
		assertSameFrames(t, run(plain, nil, q), got)
	}

	to := time.Now().UTC()
	q := cacheQuery(cacheMetric, to.Add(-30*time.Minute), to)
	first := run(cached, nil, q)
	assert.Equal(t, []time.Time{q.From.Truncate(cacheStep)}, rangeStarts(s, 0), "a miss fetches the whole range")
	assert.Zero(t, cachedPercent(first))
	check(q, first)

	// Late samples for the last five minutes, and a new series.
	seen := s.AMP.Count("/api/v1/query_range")
	require.NoError(t, promwrite.Push(ctx, nil, s.Prometheus.URL, gaugeWrite(base.Add(-5*time.Minute+15*time.Second), base, "steady")))
	require.NoError(t, promwrite.Push(ctx, nil, s.Prometheus.URL, gaugeWrite(base.Add(-3*time.Minute), base, "appears")))
	// The next refresh lands in a later step, as a dashboard's next refresh does.
	time.Sleep(time.Until(to.Truncate(cacheStep).Add(cacheStep)))
	to = time.Now().UTC()
	q = cacheQuery(cacheMetric, to.Add(-30*time.Minute), to)
	second := run(cached, nil, q)
	starts := rangeStarts(s, seen)
	require.Len(t, starts, 1, "one upstream request for the refresh")
	assert.WithinDuration(t, to.Add(-10*time.Minute), starts[0], cacheStep, "only the overlap window is fetched again")
	assert.Greater(t, cachedPercent(second), 60.0)
	check(q, second)
	require.Len(t, framesSet(t, second, "matrix"), 3, "steady, stops and the new series")

	// Grafana's X-Cache-Skip makes the plugin ask for the whole range.
	seen = s.AMP.Count("/api/v1/query_range")
	skipped := run(cached, map[string]string{"http_X-Cache-Skip": "true"}, q)
	assert.Equal(t, []time.Time{q.From.Truncate(cacheStep)}, rangeStarts(s, seen))
	assert.Equal(t, -1.0, cachedPercent(skipped))
}

// TestQueryCacheCoalescesViewers opens the same panel for ten viewers at once: AMP sees one request.
func TestQueryCacheCoalescesViewers(t *testing.T) {
	ds := dataSource(t, provisioning, map[string]any{"incrementalQuerying": true})
	expr := `sum by (job) (rate(fixture_http_requests_total[5m]))`
	q := stack.Query{RefID: "A", From: fixtureStart.Add(time.Hour), To: fixtureStart.Add(7 * time.Hour), IntervalMs: 15000,
		MaxDataPoints: 1500, Model: map[string]any{"expr": expr, "range": true, "legendFormat": "{{job}}"}}
	before := st.AMP.Count("/api/v1/query_range")
	const viewers = 10
	answers := make([]data.Frames, viewers)
	var wg sync.WaitGroup
	for i := range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
			if assert.NoError(t, err) && assert.Empty(t, resp["A"].Error) {
				answers[i] = resp["A"].Frames
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, st.AMP.Count("/api/v1/query_range")-before, "ten viewers, one upstream request")
	_, want := promAnswer(t, "/api/v1/query_range", rangeParams(`sum by (job) (rate(fixture_http_requests_total[5m]))`, q.From, q.To, 15*time.Second))
	for i, frames := range answers {
		require.NotNil(t, frames, "viewer %d", i)
		assertSameSeries(t, want, framesSet(t, frames, "matrix"))
		assert.Equal(t, answers[0][0].Fields[1].Config, frames[0].Fields[1].Config)
	}
	// A later viewer of the same past range is served without any request.
	resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
	require.NoError(t, err)
	assert.Equal(t, 100.0, cachedPercent(resp["A"].Frames))
	assert.Equal(t, 1, st.AMP.Count("/api/v1/query_range")-before)
}
