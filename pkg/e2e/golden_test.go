package e2e

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// updateGolden rewrites testdata/golden instead of comparing against it. Off unless asked for, so that a
// regression cannot pass by being recorded.
var updateGolden = flag.Bool("update", false, "rewrite the golden frame files in testdata/golden")

// goldenDir holds one file per query behaviour; paths are relative to the module root.
const goldenDir = "testdata/golden"

// goldenCase is one recorded behaviour: the queries, how the data source and the emulator are set up, and the
// checks against Prometheus that make the recording trustworthy.
type goldenCase struct {
	file    string
	queries []stack.Query
	// edit changes the data source's jsonData; direct sends queries straight to the test Prometheus.
	edit   map[string]any
	direct bool
	// faults are injected into the emulator for this case only.
	faults  []ampemu.Fault
	headers map[string]string
	// check asserts the frames against what Prometheus itself answers.
	check func(t *testing.T, resp map[string]stack.Response)
}

// goldenResponse is the stable rendering of one DataResponse.
type goldenResponse struct {
	Error       string            `json:"error,omitempty"`
	Status      int               `json:"status"`
	ErrorSource string            `json:"errorSource,omitempty"`
	Frames      []json.RawMessage `json:"frames"`
}

type goldenQuery struct {
	RefID         string         `json:"refId"`
	From          time.Time      `json:"from"`
	To            time.Time      `json:"to"`
	IntervalMs    int64          `json:"intervalMs"`
	MaxDataPoints int64          `json:"maxDataPoints"`
	Model         map[string]any `json:"model"`
}

type goldenFile struct {
	Queries   []goldenQuery             `json:"queries"`
	Responses map[string]goldenResponse `json:"responses"`
}

func TestGoldenFrames(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.file, func(t *testing.T) {
			edit := tc.edit
			if tc.direct {
				edit = withEdits(edit, map[string]any{"sigV4Auth": false})
			}
			ds := dataSource(t, provisioning, edit)
			if tc.direct {
				ds.URL = st.Prometheus.URL
			}
			st.AMP.ClearFaults()
			for _, f := range tc.faults {
				st.AMP.Inject(f)
			}
			t.Cleanup(st.AMP.ClearFaults)
			resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), tc.headers, tc.queries...)
			require.NoError(t, err)
			require.Len(t, resp, len(tc.queries))
			compareGolden(t, tc, resp)
			if tc.check != nil {
				tc.check(t, resp)
			}
		})
	}
}

func withEdits(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func compareGolden(t *testing.T, tc goldenCase, resp map[string]stack.Response) {
	t.Helper()
	doc := goldenFile{Responses: map[string]goldenResponse{}}
	for _, q := range tc.queries {
		doc.Queries = append(doc.Queries, goldenQuery{RefID: q.RefID, From: q.From, To: q.To, IntervalMs: q.IntervalMs,
			MaxDataPoints: q.MaxDataPoints, Model: q.Model})
	}
	for refID, r := range resp {
		gr := goldenResponse{Error: r.Error, Status: r.Status, ErrorSource: r.ErrorSource, Frames: []json.RawMessage{}}
		for _, f := range r.Frames {
			raw, err := data.FrameToJSON(stableFrame(f), data.IncludeAll)
			require.NoError(t, err)
			gr.Frames = append(gr.Frames, raw)
		}
		doc.Responses[refID] = gr
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')

	path := filepath.Join(st.Root, goldenDir, tc.file)
	if *updateGolden {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: record it with go test ./pkg/e2e -run TestGoldenFrames -update")
	if !bytes.Equal(want, got) {
		assert.JSONEq(t, string(want), string(got),
			"frames differ from %s; if the change is intended, re-record with go test ./pkg/e2e -run TestGoldenFrames -update", tc.file)
	}
}

// stableFrame removes what legitimately changes between runs: Prometheus' query timings.
func stableFrame(f *data.Frame) *data.Frame {
	if f.Meta == nil {
		return f
	}
	custom, ok := f.Meta.Custom.(map[string]any)
	if !ok {
		return f
	}
	stats, ok := custom["stats"].(map[string]any)
	if !ok {
		return f
	}
	timings, _ := stats["timings"].(map[string]any)
	for k := range timings {
		timings[k] = "<timing>"
	}
	return f
}

// fixtureAt is a time of the fixture day: fixtureAt(1, 30) is 01:30 UTC.
func fixtureAt(h, m int) time.Time {
	return fixtureStart.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// panelQuery is a dashboard query with a 1m panel interval. Like Grafana, it puts intervalMs and maxDataPoints
// both in the query JSON (which the step rules read) and in the request envelope.
func panelQuery(refID string, from, to time.Time, model map[string]any) stack.Query {
	return sized(stack.Query{RefID: refID, From: from, To: to, IntervalMs: 60000, MaxDataPoints: 100, Model: model})
}

func sized(q stack.Query) stack.Query {
	q.Model = withEdits(q.Model, map[string]any{"intervalMs": q.IntervalMs, "maxDataPoints": q.MaxDataPoints})
	return q
}

func instantQuery(refID string, t time.Time, model map[string]any) stack.Query {
	model = withEdits(model, map[string]any{"instant": true})
	return panelQuery(refID, t.Add(-time.Hour), t, model)
}

// goldenCases covers the query items of the contract's checklist (section 10).
func goldenCases() []goldenCase {
	const apiRate = `rate(fixture_http_requests_total{job="api",instance="api-1:8080"}[5m])`
	const buckets = `sum by (le) (rate(fixture_request_duration_seconds_bucket{handler="/query"}[5m]))`
	return []goldenCase{
		{file: "range_matrix.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 10), map[string]any{"expr": apiRate, "range": true})},
			check: matchesRange("A", apiRate, fixtureAt(1, 0), fixtureAt(1, 10), time.Minute)},
		{file: "instant_vector.json", queries: []stack.Query{instantQuery("A", fixtureAt(2, 0), map[string]any{"expr": "fixture_up"})},
			check: matchesInstant("A", "fixture_up", fixtureAt(2, 0))},
		{file: "instant_scalar_and_string.json", queries: []stack.Query{
			instantQuery("S", fixtureAt(2, 0), map[string]any{"expr": "scalar(sum(fixture_up))"}),
			instantQuery("T", fixtureAt(2, 0), map[string]any{"expr": `"hello"`}),
		}, check: matchesInstant("S", "scalar(sum(fixture_up))", fixtureAt(2, 0))},
		{file: "both_range_and_instant.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5),
			map[string]any{"expr": `fixture_temperature_celsius{city="Zürich"}`, "range": true, "instant": true})},
			check: func(t *testing.T, resp map[string]stack.Response) {
				matchesRange("A", `fixture_temperature_celsius{city="Zürich"}`, fixtureAt(1, 0), fixtureAt(1, 5), time.Minute)(t, resp)
				matchesInstant("A", `fixture_temperature_celsius{city="Zürich"}`, fixtureAt(1, 5))(t, resp)
			}},
		{file: "special_values.json", queries: []stack.Query{
			panelQuery("NAN", fixtureAt(0, 59), fixtureAt(1, 1), map[string]any{"expr": "fixture_special_values"}),
			instantQuery("INF", fixtureAt(2, 0), map[string]any{"expr": "fixture_special_values"}),
			instantQuery("NEGINF", fixtureAt(3, 0), map[string]any{"expr": "fixture_special_values"}),
		}, check: func(t *testing.T, resp map[string]stack.Response) {
			matchesRange("NAN", "fixture_special_values", fixtureAt(0, 59), fixtureAt(1, 1), time.Minute)(t, resp)
			matchesInstant("INF", "fixture_special_values", fixtureAt(2, 0))(t, resp)
			matchesInstant("NEGINF", "fixture_special_values", fixtureAt(3, 0))(t, resp)
		}},
		{file: "legend_formats.json", queries: []stack.Query{
			instantQuery("DEFAULT", fixtureAt(2, 0), map[string]any{"expr": "fixture_up"}),
			instantQuery("AUTO", fixtureAt(2, 0), map[string]any{"expr": "fixture_up", "legendFormat": "__auto"}),
			instantQuery("AUTO_NO_LABELS", fixtureAt(2, 0), map[string]any{"expr": "sum(fixture_up)", "legendFormat": "__auto"}),
			instantQuery("TEMPLATE", fixtureAt(2, 0), map[string]any{"expr": "fixture_up", "legendFormat": "{{job}} on {{ instance }}"}),
			instantQuery("VERBATIM", fixtureAt(2, 0), map[string]any{"expr": "sum(fixture_up)", "legendFormat": "Up"}),
			instantQuery("MISSING", fixtureAt(2, 0), map[string]any{"expr": "fixture_up", "legendFormat": "{{nope}}"}),
		}},
		{file: "macros.json", queries: []stack.Query{
			sized(stack.Query{RefID: "A", From: fixtureAt(1, 0), To: fixtureAt(1, 10), IntervalMs: 15000, MaxDataPoints: 20, Model: map[string]any{
				"expr": `rate(fixture_http_requests_total{job="worker",method="POST"}[$__rate_interval]) * 0 + $__interval_ms + $__range_s`}}),
			sized(stack.Query{RefID: "B", From: fixtureAt(1, 0), To: fixtureAt(1, 10), IntervalMs: 15000, MaxDataPoints: 20, Model: map[string]any{
				"expr": `increase(fixture_http_requests_total{job="worker",method="POST"}[${__interval}])`, "interval": "$__interval"}}),
		}, check: func(t *testing.T, resp map[string]stack.Response) {
			matchesRange("A", `rate(fixture_http_requests_total{job="worker",method="POST"}[1m0s]) * 0 + 30000 + 600`, fixtureAt(1, 0), fixtureAt(1, 10), 30*time.Second)(t, resp)
			matchesRange("B", `increase(fixture_http_requests_total{job="worker",method="POST"}[30s])`, fixtureAt(1, 0), fixtureAt(1, 10), 30*time.Second)(t, resp)
		}},
		{file: "min_step_and_alignment.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 1).Add(30*time.Second), fixtureAt(1, 13).Add(10*time.Second),
			map[string]any{"expr": `fixture_up{instance="api-1:8080"}`, "interval": "1m", "intervalFactor": 2, "utcOffsetSec": 90})},
			check: matchesRange("A", `fixture_up{instance="api-1:8080"}`, fixtureAt(1, 0).Add(30*time.Second), fixtureAt(1, 12).Add(30*time.Second), 2*time.Minute)},
		{file: "table_format.json", queries: []stack.Query{
			instantQuery("A", fixtureAt(2, 0), map[string]any{"expr": `fixture_http_requests_total{job="worker"}`, "format": "table"}),
			panelQuery("B", fixtureAt(1, 0), fixtureAt(1, 3), map[string]any{"expr": "fixture_up", "format": "table"}),
		}, check: func(t *testing.T, resp map[string]stack.Response) {
			tableMatchesInstant("A", `fixture_http_requests_total{job="worker"}`, fixtureAt(2, 0))(t, resp)
			tableMatchesRange("B", "fixture_up", fixtureAt(1, 0), fixtureAt(1, 3), time.Minute)(t, resp)
		}},
		{file: "table_histogram_le.json", queries: []stack.Query{instantQuery("A", fixtureAt(2, 0),
			map[string]any{"expr": `fixture_request_duration_seconds_bucket{handler="/labels"}`, "format": "table"})},
			check: tableMatchesInstant("A", `fixture_request_duration_seconds_bucket{handler="/labels"}`, fixtureAt(2, 0))},
		{file: "heatmap_format.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5),
			map[string]any{"expr": buckets, "format": "heatmap", "legendFormat": "{{le}}"})},
			check: heatmapMatchesRange("A", buckets, fixtureAt(1, 0), fixtureAt(1, 5), time.Minute)},
		{file: "empty_result.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5), map[string]any{"expr": `fixture_up{job="none"}`})}},
		{file: "error_bad_promql.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5), map[string]any{"expr": "sum(rate(fixture_up[5m])"})}},
		{file: "error_amp_422.json", queries: []stack.Query{
			panelQuery("RANGE", fixtureAt(1, 0), fixtureAt(1, 5), map[string]any{"expr": "fixture_up"}),
			instantQuery("INSTANT", fixtureAt(2, 0), map[string]any{"expr": "max_over_time(fixture_up[45d])"}),
		}, faults: []ampemu.Fault{
			withPath(ampemu.QueryTimeout(), "/api/v1/query_range"),
			withPath(ampemu.LongRangeInstantQuery(), "/api/v1/query"),
		}},
		{file: "error_503.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5), map[string]any{"expr": "fixture_up"})},
			faults: []ampemu.Fault{persistent(ampemu.ServiceUnavailable(), "/api/v1/query_range")}},
		{file: "error_429_throttling.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5), map[string]any{"expr": "fixture_up"})},
			faults: []ampemu.Fault{persistent(ampemu.Throttling(), "/api/v1/query_range")}},
		{file: "adhoc_filters_group_by.json", queries: []stack.Query{instantQuery("A", fixtureAt(2, 0), map[string]any{
			"expr":         "sum(rate(fixture_http_requests_total[5m]))",
			"adhocFilters": []map[string]any{{"key": "job", "operator": "equals", "value": "api"}},
			"groupByKeys":  []string{"status"},
		})}, check: matchesInstant("A", `sum by (status) (rate(fixture_http_requests_total{job="api"}[5m]))`, fixtureAt(2, 0))},
		{file: "scopes.json", queries: []stack.Query{instantQuery("A", fixtureAt(2, 0), map[string]any{
			"expr": "count(fixture_up) by (job)",
			"scopes": []map[string]any{
				{"filters": []map[string]any{{"key": "job", "operator": "equals", "value": "api"}}},
				{"filters": []map[string]any{{"key": "job", "operator": "equals", "value": "worker"}, {"key": "instance", "operator": "not-equals", "value": "api-2:8080"}}},
			},
		})}, check: matchesInstant("A", `count by (job) (fixture_up{instance!="api-2:8080",job=~"api|worker"})`, fixtureAt(2, 0))},
		{file: "query_stats.json", edit: map[string]any{"queryStatsEnabled": true},
			queries: []stack.Query{instantQuery("A", fixtureAt(2, 0), map[string]any{"expr": "sum(fixture_up)"}),
				instantQuery("EMPTY", fixtureAt(2, 0), map[string]any{"expr": `fixture_up{job="none"}`})}},
		{file: "warnings_and_infos.json", queries: []stack.Query{
			panelQuery("DATA", fixtureAt(1, 0), fixtureAt(1, 1), map[string]any{"expr": "fixture_up"}),
			instantQuery("NODATA", fixtureAt(2, 0), map[string]any{"expr": "fixture_up"}),
		}, faults: []ampemu.Fault{
			{PathSuffix: "/api/v1/query_range", Status: 200, Body: `{"status":"success","warnings":["query hit the samples-processed warning threshold"],` +
				`"infos":["PromQL info: metric might not be a counter"],"data":{"resultType":"matrix","result":[{"metric":{"job":"api"},"values":[[1767229200,"1"]]}]}}`},
			{PathSuffix: "/api/v1/query", Status: 200, Body: `{"status":"success","warnings":["partial response"],"data":{"resultType":"vector","result":[]}}`},
		}},
		{file: "exemplars_through_emulator.json", queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5),
			map[string]any{"expr": `fixture_request_duration_seconds_bucket{handler="/query",le="0.5"}`, "exemplar": true})}},
		{file: "exemplars_direct_prometheus.json", direct: true, queries: []stack.Query{panelQuery("A", fixtureAt(1, 0), fixtureAt(1, 5),
			map[string]any{"expr": `fixture_request_duration_seconds_bucket{handler="/query",le="0.5"}`, "exemplar": true})},
			check: matchesRange("A", `fixture_request_duration_seconds_bucket{handler="/query",le="0.5"}`, fixtureAt(1, 0), fixtureAt(1, 5), time.Minute)},
		{file: "alert_query.json", headers: map[string]string{"FromAlert": "true"}, queries: []stack.Query{
			instantQuery("A", fixtureAt(2, 0), map[string]any{"expr": "fixture_up", "exemplar": true, "format": "table"})},
			check: matchesInstant("A", "fixture_up", fixtureAt(2, 0))},
	}
}

func withPath(f ampemu.Fault, suffix string) ampemu.Fault {
	f.PathSuffix, f.Times = suffix, 1
	return f
}

// persistent applies a transient failure to every attempt, so the plugin's retries end in the error; the
// Retry-After of 0 keeps the retry notice's waiting time fixed.
func persistent(f ampemu.Fault, suffix string) ampemu.Fault {
	f = ampemu.WithRetryAfter(f, "0")
	f.PathSuffix, f.Times = suffix, 0
	return f
}
