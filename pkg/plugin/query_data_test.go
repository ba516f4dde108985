package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/formats"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

var queryStart = time.Date(2026, 1, 1, 1, 0, 7, 0, time.UTC)

// cannedAnswer is what the fake Prometheus sends back.
type cannedAnswer struct {
	status  int
	header  map[string]string
	body    string
	waitFor time.Duration
}

// fakePrometheus records requests and answers them by API path ("query", "query_range", "query_exemplars").
type fakePrometheus struct {
	mu       sync.Mutex
	requests []recordedRequest
	answers  map[string]cannedAnswer
	inFlight atomic.Int32
	maxSeen  atomic.Int32
}

type recordedRequest struct {
	path   string
	params url.Values
}

func (f *fakePrometheus) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxSeen.Load()
		if n <= m || f.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	_ = r.ParseForm()
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	f.mu.Lock()
	f.requests = append(f.requests, recordedRequest{path: path, params: r.Form})
	a, ok := f.answers[path]
	f.mu.Unlock()
	if !ok {
		a = cannedAnswer{status: http.StatusNotFound, body: "404 page not found"}
	}
	time.Sleep(a.waitFor)
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.status != 0 {
		w.WriteHeader(a.status)
	}
	_, _ = w.Write([]byte(a.body))
}

func (f *fakePrometheus) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		out = append(out, r.path)
	}
	return out
}

func (f *fakePrometheus) request(path string) (url.Values, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		if r.path == path {
			return r.params, true
		}
	}
	return nil, false
}

// newTestDatasource serves h for the test and returns a data source with settings s, whose URL it sets to h's.
func newTestDatasource(t *testing.T, h http.Handler, s *models.Settings) *Datasource {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL + "/")
	require.NoError(t, err)
	s.URL = u
	return &Datasource{settings: s, client: promclient.New(srv.Client(), s)}
}

// newQueryDatasource serves answers from a fake Prometheus; amp makes the data source look like an AMP workspace.
func newQueryDatasource(t *testing.T, answers map[string]cannedAnswer, amp bool) (*Datasource, *fakePrometheus) {
	t.Helper()
	fp := &fakePrometheus{answers: answers}
	s := &models.Settings{HTTPMethod: http.MethodPost, QueryTimeout: "60s"}
	if amp {
		s.Endpoint = models.Endpoint{Region: "us-east-1", Service: "aps", WorkspaceID: "ws-1"}
	}
	return newTestDatasource(t, fp, s), fp
}

func testDataQuery(refID string, model map[string]any) backend.DataQuery {
	raw, _ := json.Marshal(model)
	return backend.DataQuery{RefID: refID, JSON: raw, Interval: 15 * time.Second, MaxDataPoints: 1000,
		TimeRange: backend.TimeRange{From: queryStart, To: queryStart.Add(time.Hour)}}
}

func runQueries(t *testing.T, ds *Datasource, headers map[string]string, queries ...backend.DataQuery) map[string]backend.DataResponse {
	t.Helper()
	resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Headers: headers, Queries: queries})
	require.NoError(t, err)
	return resp.Responses
}

const (
	matrixBody = `{"status":"success","data":{"resultType":"matrix","result":[` +
		`{"metric":{"__name__":"up","job":"b"},"values":[[1767229215,"1"],[1767229230,"0"]]},` +
		`{"metric":{"__name__":"up","job":"a","zone":"z"},"values":[[1767229215,"1"]]}]}}`
	vectorBody = `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"__name__":"up","job":"a"},"value":[1767232807,"1"]}]}}`
	exemplarBody = `{"status":"success","data":[` +
		`{"seriesLabels":{"__name__":"h_bucket","le":"1"},"exemplars":[` +
		`{"labels":{"traceID":"t1"},"value":"0.5","timestamp":1767229201.5},` +
		`{"labels":{"traceID":"t2"},"value":"0.9","timestamp":1767229202}]},` +
		`{"seriesLabels":{"__name__":"h_bucket","le":"5"},"exemplars":[` +
		`{"labels":{"traceID":"t3","span":"s3"},"value":"3","timestamp":1767229300}]}]}`
)

func cannedOK() map[string]cannedAnswer {
	return map[string]cannedAnswer{"query_range": {body: matrixBody}, "query": {body: vectorBody}, "query_exemplars": {body: exemplarBody}}
}

func allNotices(r backend.DataResponse) []data.Notice {
	var out []data.Notice
	for _, f := range r.Frames {
		if f.Meta != nil {
			out = append(out, f.Meta.Notices...)
		}
	}
	return out
}

func TestQueryDataExemplarsOnAMP(t *testing.T) {
	tests := map[string]func(ds *Datasource){
		"AMP host":              func(ds *Datasource) { ds.settings.Endpoint = models.Endpoint{Service: "aps"} },
		"signed for aps (VPCE)": func(ds *Datasource) { ds.settings.SigV4 = &models.SigV4{Service: "aps"} },
	}
	for name, makeAMP := range tests {
		t.Run(name, func(t *testing.T) {
			ds, fp := newQueryDatasource(t, cannedOK(), false)
			makeAMP(ds)
			r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "range": true, "instant": true, "exemplar": true}))["A"]
			require.NoError(t, r.Error)
			assert.ElementsMatch(t, []string{"query_range", "query"}, fp.paths(), "AMP is never asked for exemplars")
			assert.Equal(t, []data.Notice{{Severity: data.NoticeSeverityInfo, Text: noticeExemplarsUnsupported}}, allNotices(r),
				"one notice per response, even with two requests")
		})
	}
	assert.Contains(t, noticeExemplarsUnsupported, "not supported by Amazon Managed Service for Prometheus")
	// The control the notice names is the switch in the query editor's Options row (src/components/QueryOptions.tsx).
	assert.Contains(t, noticeExemplarsUnsupported, "the Exemplars switch under Options in the query editor")

	t.Run("a failed query keeps its error alone", func(t *testing.T) {
		ds, _ := newQueryDatasource(t, map[string]cannedAnswer{}, true)
		ds.settings.URL.Host = "127.0.0.1:1"
		r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "exemplar": true}))["A"]
		require.Error(t, r.Error)
		assert.Empty(t, r.Frames)
	})
}

func TestQueryDataExemplarsOnPrometheus(t *testing.T) {
	ds, fp := newQueryDatasource(t, cannedOK(), false)
	r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "h_bucket", "exemplar": true}))["A"]
	require.NoError(t, r.Error)
	assert.Empty(t, allNotices(r))

	params, ok := fp.request("query_exemplars")
	require.True(t, ok)
	assert.Equal(t, url.Values{"query": {"h_bucket"}, "start": {"1767229200"}, "end": {"1767232800"}}, params,
		"aligned start and end, no step and no timeout")

	require.Len(t, r.Frames, 3, "two range series, then the sampled exemplars")
	ex := r.Frames[2]
	assert.True(t, formats.IsExemplar(ex))
	assert.Equal(t, "exemplar", ex.Name)
	assert.Equal(t, "Expr: h_bucket\nStep: 15s", ex.Meta.ExecutedQueryString)
	assert.Equal(t, []string{"Time", "Value", "__name__", "le", "span", "traceID"}, frameFieldNames(ex))
	// 0.5 and 0.9 share a 15s bucket and σ ≈ 1.36, so only the larger one stays.
	assert.Equal(t, []any{0.9, 3.0}, fieldValues(ex.Fields[1]))
	assert.Equal(t, []any{"t2", "t3"}, fieldValues(ex.Fields[5]))
}

func TestQueryDataSwallowsExemplarFailures(t *testing.T) {
	for name, a := range map[string]cannedAnswer{
		"404":          {status: http.StatusNotFound, body: "not found"},
		"500":          {status: http.StatusInternalServerError, body: "boom"},
		"status error": {status: http.StatusBadRequest, body: `{"status":"error","errorType":"bad_data","error":"nope"}`},
		"not JSON":     {body: "<html>"},
	} {
		t.Run(name, func(t *testing.T) {
			answers := cannedOK()
			answers["query_exemplars"] = a
			ds, fp := newQueryDatasource(t, answers, false)
			r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "exemplar": true}))["A"]
			assert.NoError(t, r.Error)
			assert.Contains(t, fp.paths(), "query_exemplars")
			require.Len(t, r.Frames, 2, "the range frames only")
			for _, f := range r.Frames {
				assert.Equal(t, "matrix", formats.ResultType(f))
			}
		})
	}
}

func TestQueryDataAlertAndExpressionRequests(t *testing.T) {
	model := map[string]any{"expr": "up", "exemplar": true, "format": "table"}
	for name, headers := range map[string]map[string]string{
		"alerting":   {"FromAlert": "true"},
		"expression": {"http_X-Grafana-From-Expr": "true"},
	} {
		t.Run(name, func(t *testing.T) {
			ds, fp := newQueryDatasource(t, cannedOK(), false)
			r := runQueries(t, ds, headers, testDataQuery("A", model))["A"]
			require.NoError(t, r.Error)
			require.GreaterOrEqual(t, len(r.Frames), 2)
			for _, f := range r.Frames[:2] {
				assert.Equal(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type, "series frames, not a table")
			}
			if name == "alerting" {
				assert.Equal(t, []string{"query_range"}, fp.paths(), "alerts never ask for exemplars")
				assert.Len(t, r.Frames, 2)
			} else {
				assert.ElementsMatch(t, []string{"query_range", "query_exemplars"}, fp.paths())
			}
		})
	}
}

func frameFieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}

func fieldValues(f *data.Field) []any {
	out := make([]any, f.Len())
	for i := range out {
		out[i] = f.At(i)
	}
	return out
}

func TestQueryDataErrors(t *testing.T) {
	tests := []struct {
		name         string
		cannedAnswer cannedAnswer
		wantError    string
		wantStatus   backend.Status
		wantSource   backend.ErrorSource
		wantFrame    bool
	}{
		{name: "Prometheus error envelope", cannedAnswer: cannedAnswer{status: http.StatusBadRequest,
			body: `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error"}`},
			wantError: `bad_data: invalid parameter "query": 1:5: parse error`, wantStatus: 400, wantSource: backend.ErrorSourceDownstream, wantFrame: true},
		{name: "AMP query timeout", cannedAnswer: cannedAnswer{status: http.StatusUnprocessableEntity,
			body: `{"status":"error","errorType":"execution","error":"query timed out - consider simplifying your query"}`},
			wantError: "execution: query timed out - consider simplifying your query", wantStatus: 422, wantSource: backend.ErrorSourceDownstream, wantFrame: true},
		{name: "error envelope with status 200", cannedAnswer: cannedAnswer{body: `{"status":"error","errorType":"internal","error":"x"}`},
			wantError: "internal: x", wantStatus: 200, wantSource: backend.ErrorSourceDownstream, wantFrame: true},
		{name: "AWS 503 without a Prometheus envelope", cannedAnswer: cannedAnswer{status: http.StatusServiceUnavailable,
			header: map[string]string{"x-amzn-ErrorType": "ServiceUnavailableException"}, body: `{"message":"Service Unavailable"}`},
			wantError: "unexpected response with status code 503: ServiceUnavailableException: Service Unavailable", wantStatus: 503,
			wantSource: backend.ErrorSourceDownstream, wantFrame: true},
		{name: "throttling", cannedAnswer: cannedAnswer{status: http.StatusTooManyRequests,
			header: map[string]string{"x-amzn-ErrorType": "ThrottlingException"}, body: `{"message":"Rate exceeded"}`},
			wantError: "unexpected response with status code 429: ThrottlingException: Rate exceeded. AWS throttled the request", wantStatus: 429,
			wantSource: backend.ErrorSourceDownstream, wantFrame: true},
		{name: "unexpected status quotes the body", cannedAnswer: cannedAnswer{status: http.StatusBadGateway, body: "upstream " + strings.Repeat("x", 2000)},
			wantError: "unexpected response with status code 502: upstream xxx", wantStatus: 502, wantSource: backend.ErrorSourceDownstream, wantFrame: true},
		{name: "not JSON", cannedAnswer: cannedAnswer{body: "<html>"}, wantError: "couldn't be parsed", wantStatus: 200, wantSource: backend.ErrorSourceDownstream},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, _ := newQueryDatasource(t, map[string]cannedAnswer{"query_range": tc.cannedAnswer}, false)
			r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "sum(up)"}))["A"]
			require.Error(t, r.Error)
			assert.Contains(t, r.Error.Error(), tc.wantError)
			assert.Equal(t, tc.wantStatus, r.Status)
			assert.Equal(t, tc.wantSource, r.ErrorSource)
			if !tc.wantFrame {
				assert.Empty(t, r.Frames)
				return
			}
			require.Len(t, r.Frames, 1)
			assert.Equal(t, "Expr: sum(up)\nStep: 15s", r.Frames[0].Meta.ExecutedQueryString)
			assert.Empty(t, r.Frames[0].Fields)
		})
	}

	t.Run("transport failure", func(t *testing.T) {
		ds, _ := newQueryDatasource(t, nil, false)
		ds.settings.URL.Host = "127.0.0.1:1"
		r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up"}))["A"]
		require.Error(t, r.Error)
		assert.Equal(t, backend.StatusBadGateway, r.Status)
		assert.Empty(t, r.Frames)
	})
	t.Run("both requests fail", func(t *testing.T) {
		ds, _ := newQueryDatasource(t, map[string]cannedAnswer{
			"query_range": {status: 422, body: `{"status":"error","errorType":"execution","error":"range failed"}`},
			"query":       {status: 400, body: `{"status":"error","errorType":"bad_data","error":"instant failed"}`},
		}, false)
		r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "range": true, "instant": true}))["A"]
		require.Error(t, r.Error)
		assert.Equal(t, "execution: range failed bad_data: instant failed", r.Error.Error())
		assert.Len(t, r.Frames, 2, "each response keeps its executedQueryString frame")
	})
	t.Run("a bad query fails alone", func(t *testing.T) {
		ds, _ := newQueryDatasource(t, cannedOK(), false)
		resp := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "instant": "true"}),
			testDataQuery("B", map[string]any{"expr": "up", "adhocFilters": []map[string]any{{"key": "a", "operator": "like"}}}),
			testDataQuery("C", map[string]any{"expr": "up"}))
		assert.ErrorContains(t, resp["A"].Error, "error unmarshaling query")
		assert.Equal(t, backend.ErrorSourceDownstream, resp["A"].ErrorSource)
		assert.ErrorContains(t, resp["B"].Error, `unknown operator "like"`)
		assert.Empty(t, resp["B"].Frames)
		assert.NoError(t, resp["C"].Error)
		assert.Len(t, resp["C"].Frames, 2)
	})
}

func TestQueryDataStatsAndNotices(t *testing.T) {
	stats := `"stats":{"timings":{"evalTotalTime":0.01},"samples":{"totalQueryableSamples":0}}`
	ds, _ := newQueryDatasource(t, map[string]cannedAnswer{
		"query_range": {body: `{"status":"success","warnings":["w1"],"infos":["i1"],"data":{"resultType":"matrix","result":[` +
			`{"metric":{"job":"a"},"values":[[1767229215,"1"]]},{"metric":{"job":"b"},"values":[[1767229215,"2"]]}],` + stats + `}}`},
		"query": {body: `{"status":"success","data":{"resultType":"vector","result":[],` + stats + `}}`},
	}, false)
	resp := runQueries(t, ds, nil, testDataQuery("R", map[string]any{"expr": "x"}), testDataQuery("I", map[string]any{"expr": "x", "instant": true}))

	r := resp["R"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 2)
	want := []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "w1"}, {Severity: data.NoticeSeverityInfo, Text: "i1"}}
	for _, f := range r.Frames {
		assert.Equal(t, want, f.Meta.Notices, "notices go on every frame, warnings first")
	}
	first := r.Frames[0].Meta
	assert.Equal(t, []data.QueryStat{{FieldConfig: data.FieldConfig{DisplayName: "Total queryable samples"}, Value: 0}}, first.Stats,
		"a zero count is kept")
	custom := first.Custom.(map[string]any)
	assert.Contains(t, custom, "stats")
	assert.EqualValues(t, 15000, custom["calculatedMinStep"])
	assert.Nil(t, r.Frames[1].Meta.Stats, "stats only on the first frame")

	i := resp["I"]
	require.NoError(t, i.Error)
	require.Len(t, i.Frames, 1)
	assert.Equal(t, "Query statistics", i.Frames[0].Name)
	assert.Len(t, i.Frames[0].Meta.Stats, 1)
}

func TestQueryDataWarningsWithoutData(t *testing.T) {
	ds, _ := newQueryDatasource(t, map[string]cannedAnswer{
		"query_range": {body: `{"status":"success","warnings":["too many samples"],"data":{"resultType":"matrix","result":[]}}`},
	}, false)
	r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "x"}))["A"]
	require.Len(t, r.Frames, 1)
	assert.Equal(t, "Warnings", r.Frames[0].Name)
	assert.Equal(t, []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "too many samples"}}, r.Frames[0].Meta.Notices)
}

func TestQueryDataFormats(t *testing.T) {
	ds, _ := newQueryDatasource(t, cannedOK(), false)
	resp := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "format": "table"}))
	table := resp["A"].Frames
	require.Len(t, table, 1)
	assert.Equal(t, []string{"Time", "__name__", "job", "zone", "Value"}, frameFieldNames(table[0]))
	assert.Equal(t, formats.VisTypeRawPrometheus, table[0].Meta.PreferredVisualization)
	assert.Equal(t, "Expr: up\nStep: 15s", table[0].Meta.ExecutedQueryString)

	resp = runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up", "format": "table"}),
		testDataQuery("B", map[string]any{"expr": "up", "format": 2, "range": true, "instant": true}),
		testDataQuery("C", map[string]any{"expr": "up"}))
	assert.Equal(t, "Value #A", frameFieldNames(resp["A"].Frames[0])[4], "several tables in one request are told apart")
	require.Len(t, resp["B"].Frames, 2, "one table per request kind: range, then instant")
	assert.Equal(t, "Value #B", frameFieldNames(resp["B"].Frames[0])[4])
	assert.Equal(t, "matrix", formats.ResultType(resp["B"].Frames[0]))
	assert.Equal(t, "vector", formats.ResultType(resp["B"].Frames[1]))
	assert.Len(t, resp["C"].Frames, 2, "time series stay series")

	resp = runQueries(t, ds, nil, testDataQuery("H", map[string]any{"expr": "up", "format": "heatmap"}))
	require.Len(t, resp["H"].Frames, 1)
	assert.Equal(t, formats.FrameTypeHeatmapRows, resp["H"].Frames[0].Meta.Type)
}

func TestQueryDataConcurrencyLimit(t *testing.T) {
	answers := cannedOK()
	answers["query_range"] = cannedAnswer{body: matrixBody, waitFor: 20 * time.Millisecond}
	ds, fp := newQueryDatasource(t, answers, false)
	var queries []backend.DataQuery
	for _, id := range []string{"A", "B", "C", "D", "E", "F"} {
		queries = append(queries, testDataQuery(id, map[string]any{"expr": "up"}))
	}
	ctx := backend.WithGrafanaConfig(context.Background(), backend.NewGrafanaCfg(map[string]string{"GF_CONCURRENT_QUERY_COUNT": "2"}))
	resp, err := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: queries})
	require.NoError(t, err)
	assert.Len(t, resp.Responses, 6)
	assert.LessOrEqual(t, fp.maxSeen.Load(), int32(2))
	assert.Len(t, fp.paths(), 6)

	_, err = ds.QueryData(ctx, &backend.QueryDataRequest{})
	assert.ErrorIs(t, err, models.ErrNoQueries)
}
