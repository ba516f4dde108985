package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

// limitCase is one row of the fault matrix for settings, queries, budgets and AMP's limits: a data source (jsonData
// edits), a query, maybe an emulator fault, and what the answer must say.
type limitCase struct {
	name string
	edit map[string]any
	// grafana overrides Grafana's config, e.g. GF_RESPONSE_LIMIT.
	grafana map[string]string
	query   stack.Query
	fault   *ampemu.Fault
	// wantError lists substrings of the query's error; empty means the query must succeed.
	wantError []string
	// sent says whether the query may reach the emulator at all.
	sent  bool
	check func(t *testing.T, resp stack.Response, sent []ampemu.Record)
}

// markedQuery is a range query over the fixture whose expression carries a marker, so that the emulator's
// records of this case can be told apart.
func markedQuery(marker, expr string, model map[string]any) stack.Query {
	q := rangeQuery("A", expr+` # `+marker)
	for k, v := range model {
		q.Model[k] = v
	}
	return q
}

func limitCases() []limitCase {
	adhoc := []map[string]any{{"key": "job", "operator": "equals", "value": "api"}}
	cases := []limitCase{
		{name: "series budget", edit: map[string]any{"maxResponseSeries": 2}, query: markedQuery("budget", "fixture_up", nil),
			wantError: []string{"the response exceeded 2 series: narrow the query", "raise the limit in the data source settings (maxResponseSeries)"}, sent: true},
		{name: "sample budget", edit: map[string]any{"maxResponseSamples": 100}, query: markedQuery("samples", "fixture_up", nil),
			wantError: []string{"the response exceeded 100 samples", "(maxResponseSamples)"}, sent: true},
		{name: "Grafana's response limit", grafana: map[string]string{backend.ResponseLimit: "4096"}, query: markedQuery("grafana", "fixture_up", nil),
			wantError: []string{"the response exceeded 4 KB", "Grafana's [dataproxy] response_limit"}, sent: true},
		{name: "step <= 0", query: markedQuery("step", "fixture_up", map[string]any{"interval": "-1m"}),
			wantError: []string{"must be positive"}},
		{name: "1 MiB expression with an ad-hoc filter",
			query:     markedQuery("big", "fixture_up"+strings.Repeat(" + fixture_up", (1<<20)/13), map[string]any{"adhocFilters": adhoc}),
			wantError: []string{"1 MB request size limit", "multi-value"}},
		{name: "500k nested parentheses with a filter",
			query:     markedQuery("parens", strings.Repeat("(", 500_000)+"fixture_up"+strings.Repeat(")", 500_000), map[string]any{"adhocFilters": adhoc}),
			wantError: []string{"too complex"}},
		{name: "200k nested abs() with group-by",
			query:     markedQuery("abs", strings.Repeat("abs(", 200_000)+"sum(fixture_up)"+strings.Repeat(")", 200_000), map[string]any{"groupByKeys": []string{"job"}}),
			wantError: []string{"too complex"}},
		{name: "request over 1 MB from a multi-value variable",
			query:     markedQuery("variable", `fixture_up{instance=~"`+strings.Repeat("a|", 400_000)+`"}`, nil),
			wantError: []string{"1 MB request size limit", "multi-value"}},
		{name: "AMP answers 413", query: markedQuery("413", "fixture_up", nil), fault: ptr(ampemu.RequestTooLarge()),
			wantError: []string{"413", "1 MB for Amazon Managed Service for Prometheus", "multi-value"}, sent: true},
		{name: "AMP answers 422 too many samples", query: markedQuery("422", "fixture_up", nil), fault: ptr(ampemu.TooManySamples()),
			wantError: []string{"too many samples", "larger step or min interval", "shorter time range", "narrower selector", "maxSamplesProcessedErrorThreshold"}, sent: true},
		{name: "step never over 11,000 points", sent: true,
			query: stack.Query{RefID: "A", From: fixtureStart, To: fixtureStart.Add(6 * time.Hour), IntervalMs: 1, MaxDataPoints: 1 << 40,
				Model: map[string]any{"expr": "fixture_up # points", "intervalMs": 1, "interval": "1ms"}},
			check: func(t *testing.T, resp stack.Response, sent []ampemu.Record) {
				require.Len(t, sent, 1)
				start, _ := strconv.ParseFloat(sent[0].Form.Get("start"), 64)
				end, _ := strconv.ParseFloat(sent[0].Form.Get("end"), 64)
				step, _ := strconv.ParseFloat(sent[0].Form.Get("step"), 64)
				assert.LessOrEqual(t, (end-start)/step, 11000.0, "step %v", step)
				assert.NotEmpty(t, resp.Frames)
			}},
	}
	reversed := markedQuery("reversed", "fixture_up", nil)
	reversed.From, reversed.To = reversed.To, reversed.From
	cases = append(cases, limitCase{name: "start after end", query: reversed, wantError: []string{"starts after it ends"}})
	for _, timeout := range []any{"NaN", "Inf", 1e-10, 1e10} {
		cases = append(cases, limitCase{name: "timeout " + strconv.Quote(toString(timeout)), edit: map[string]any{"timeout": timeout},
			query: markedQuery("timeout", "fixture_up", nil), wantError: []string{"jsonData.timeout", "between 1 and 600"}})
	}
	return cases
}

func ptr[T any](v T) *T { return &v }

func toString(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return v.(string)
}

// recordsOf returns the emulator's records of requests whose query carries the case's expression marker.
func recordsOf(query stack.Query) []ampemu.Record {
	expr, _ := query.Model["expr"].(string)
	_, marker, _ := strings.Cut(expr, " # ")
	var out []ampemu.Record
	for _, r := range st.AMP.Requests() {
		if q := r.Form.Get("query"); q != "" && strings.HasSuffix(q, "# "+marker) {
			out = append(out, r)
		}
	}
	return out
}

func TestReliabilityLimits(t *testing.T) {
	for _, tc := range limitCases() {
		t.Run(tc.name, func(t *testing.T) {
			ds := dataSource(t, provisioning, tc.edit)
			st.AMP.ClearFaults()
			if tc.fault != nil {
				f := *tc.fault
				f.PathSuffix = "/api/v1/query_range"
				st.AMP.Inject(f)
			}
			t.Cleanup(st.AMP.ClearFaults)
			resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(tc.grafana), nil, tc.query)
			require.NoError(t, err)
			r := resp["A"]
			if len(tc.wantError) == 0 {
				assert.Empty(t, r.Error)
			}
			for _, want := range tc.wantError {
				assert.Contains(t, r.Error, want)
			}
			sent := recordsOf(tc.query)
			if !tc.sent {
				assert.Empty(t, sent, "the query must be refused before any request")
			}
			if tc.check != nil {
				tc.check(t, r, sent)
			}
			assert.False(t, st.Plugin.Exited(), "the plugin process must survive")
		})
	}
}

// TestRangeLongerThanAMPLimit queries 90 days through the emulator, which enforces AMP's 32-day limit, and
// compares the stitched frames with Prometheus' own answer over the whole range.
func TestRangeLongerThanAMPLimit(t *testing.T) {
	ls := startLongRangeStack(t)
	from := ls.start
	to := from.Add(90 * 24 * time.Hour)
	step := 2 * time.Hour
	for _, expr := range []string{"long_range_total", "rate(long_range_total[3h])", "long_range_total > 1000"} {
		t.Run(expr, func(t *testing.T) {
			ls.amp.Reset()
			ds := dataSource(t, provisioning, nil)
			ds.URL = ls.amp.WorkspaceURL(stack.WorkspaceID)
			q := stack.Query{RefID: "A", From: from, To: to, MaxDataPoints: 1080, Model: map[string]any{"expr": expr, "interval": "2h"}}
			resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
			require.NoError(t, err)
			require.Empty(t, resp["A"].Error)
			_, want := promAnswerAt(t, ls.prom, "/api/v1/query_range", rangeParams(expr, from, to, step))
			assertSameSeries(t, want, framesSet(t, resp["A"].Frames, "matrix"))

			records := ls.amp.Requests()
			require.Len(t, records, 3, "90 days in three sub-ranges")
			for _, r := range records {
				assert.Equal(t, 200, r.Status)
				start, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
				end, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
				assert.Less(t, end-start, (32 * 24 * time.Hour).Seconds())
			}
		})
	}

	t.Run("splitting off meets AMP's 422", func(t *testing.T) {
		ds := dataSource(t, provisioning, map[string]any{"queryRangeLimit": "0"})
		ds.URL = ls.amp.WorkspaceURL(stack.WorkspaceID)
		q := stack.Query{RefID: "A", From: from, To: to, MaxDataPoints: 1080, Model: map[string]any{"expr": "long_range_total", "interval": "2h"}}
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
		require.NoError(t, err)
		assert.Contains(t, resp["A"].Error, "the query time range exceeds the limit (query length: 2160h0m0s, limit: 768h0m0s)")
		assert.Contains(t, resp["A"].Error, "queryRangeLimit")
	})
	assert.False(t, st.Plugin.Exited())
}

// hugeMatrix streams a matrix answer of about size bytes and counts what it managed to write.
type hugeMatrix struct {
	size    int64
	written atomic.Int64
}

func (h *hugeMatrix) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	buf := []byte(`{"status":"success","data":{"resultType":"matrix","result":[`)
	base := fixtureStart.Unix()
	for series := 0; h.written.Load() < h.size; series++ {
		if series > 0 {
			buf = append(buf, ',')
		}
		buf = fmt.Appendf(buf, `{"metric":{"__name__":"huge","series":"%d"},"values":[`, series)
		for p := range 11000 {
			if p > 0 {
				buf = append(buf, ',')
			}
			buf = fmt.Appendf(buf, `[%d,"%d.25"]`, base+int64(p)*15, series+p)
			if len(buf) >= 64<<10 {
				n, err := w.Write(buf)
				h.written.Add(int64(n))
				if err != nil {
					return
				}
				buf = buf[:0]
			}
		}
		buf = append(buf, "]}"...)
	}
	buf = append(buf, "]}}"...)
	n, _ := w.Write(buf)
	h.written.Add(int64(n))
}

// TestHugeAnswerWithinBudget sends a 1 GiB matrix answer to a plugin process of its own for each case and
// measures its peak RSS (VmHWM): within the budget the plugin stops reading early and answers with the budget
// error. With these short samples the default 5,000,000 samples come before 128 MB; the second case leaves the
// byte budget alone.
func TestHugeAnswerWithinBudget(t *testing.T) {
	tests := []struct {
		name, want string
		edit       map[string]any
	}{
		{"default budget", `the response exceeded 5000000 samples: narrow the query .* raise the limit in the data source settings \(maxResponseSamples\)`, nil},
		{"byte budget alone", `the response exceeded 128 MB: narrow the query .* raise the limit in the data source settings \(maxResponseMB\)`,
			map[string]any{"maxResponseSamples": 0, "maxResponseSeries": 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			huge := &hugeMatrix{size: 1 << 30}
			srv := httptest.NewServer(huge)
			t.Cleanup(srv.Close)
			p := launchPlugin(t, &syncbuf.Buffer{}, stack.PluginEnv())
			own := &stack.Stack{Plugin: p}
			before := readProcStat(t, p.Pid())

			ds := dataSource(t, provisioning, withEdits(map[string]any{"sigV4Auth": false}, tc.edit))
			ds.URL = srv.URL + "/"
			q := stack.Query{RefID: "A", From: fixtureStart, To: fixtureStart.Add(11000 * 15 * time.Second), MaxDataPoints: 11000,
				Model: map[string]any{"expr": "huge", "interval": "15s"}}
			resp, err := own.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
			require.NoError(t, err)
			assert.Regexp(t, tc.want, resp["A"].Error)

			after := readProcStat(t, p.Pid())
			t.Logf("plugin before: %s; after a 1 GiB answer: %s; the server wrote %d MiB", before, after, huge.written.Load()>>20)
			assert.Less(t, after.HWM, int64(512<<20), "peak RSS within the budget")
			assert.Less(t, huge.written.Load(), int64(256<<20), "the plugin must stop reading at the budget")

			resp, err = own.QueryData(testContext(t), dataSource(t, provisioning, nil), pluginhost.GrafanaConfig(nil), nil, rangeQuery("A", "fixture_up"))
			require.NoError(t, err)
			assert.Empty(t, resp["A"].Error, "the plugin still answers")
			assert.False(t, p.Exited())
		})
	}
}
