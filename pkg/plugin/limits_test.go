package plugin

import (
	"context"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// bigMatrix is a matrix answer of n series with one sample each.
func bigMatrix(n int) string {
	series := make([]string, n)
	for i := range series {
		series[i] = `{"metric":{"i":"` + strings.Repeat("x", i%50) + `"},"values":[[1767229215,"1"]]}`
	}
	return `{"status":"success","data":{"resultType":"matrix","result":[` + strings.Join(series, ",") + `]}}`
}

func TestQueryBudgets(t *testing.T) {
	tests := []struct {
		name    string
		limits  models.Limits
		grafana map[string]string
		want    string
	}{
		{"series", models.Limits{MaxResponseSeries: 100}, nil, "the response exceeded 100 series: narrow the query"},
		{"samples", models.Limits{MaxResponseSamples: 10}, nil, "the response exceeded 10 samples: narrow the query"},
		{"bytes", models.Limits{MaxResponseBytes: 1 << 16}, nil, "the response exceeded 64 KB: narrow the query"},
		{"Grafana's response limit", models.DefaultLimits(), map[string]string{backend.ResponseLimit: "32768"},
			"Grafana's [dataproxy] response_limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, _ := newQueryDatasource(t, map[string]cannedAnswer{"query_range": {body: bigMatrix(2000)}}, false)
			ds.settings.Limits = tc.limits
			ctx := context.Background()
			if tc.grafana != nil {
				ctx = backend.WithGrafanaConfig(ctx, backend.NewGrafanaCfg(tc.grafana))
			}
			resp, err := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{testDataQuery("A", map[string]any{"expr": "up"})}})
			require.NoError(t, err)
			r := resp.Responses["A"]
			require.Error(t, r.Error)
			assert.Contains(t, r.Error.Error(), tc.want)
			assert.Contains(t, r.Error.Error(), "raise the limit in the data source settings")
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
		})
	}
	ds, _ := newQueryDatasource(t, map[string]cannedAnswer{"query_range": {body: bigMatrix(2000)}}, false)
	ds.settings.Limits = models.DefaultLimits()
	r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up"}))["A"]
	require.NoError(t, r.Error, "the defaults leave room for ordinary answers")
	assert.Len(t, r.Frames, 2000)
}

func TestLimitErrorsNameTheFix(t *testing.T) {
	tests := []struct {
		name   string
		answer cannedAnswer
		want   []string
	}{
		{"too many samples", cannedAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`},
			[]string{"too many samples", "larger step or min interval", "shorter time range", "narrower selector", "maxSamplesProcessedErrorThreshold"}},
		{"range over the limit", cannedAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"the query time range exceeds the limit (query length: 1080h0m0s, limit: 768h0m0s)"}`},
			[]string{"768h0m0s", "queryRangeLimit"}},
		{"request too large", cannedAnswer{status: 413, header: map[string]string{"X-Amzn-Errortype": "ValidationException"}, body: `{"message":"Request body is too large."}`},
			[]string{"1 MB", "multi-value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, _ := newQueryDatasource(t, map[string]cannedAnswer{"query_range": tc.answer}, true)
			r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": "up"}))["A"]
			require.Error(t, r.Error)
			for _, w := range tc.want {
				assert.Contains(t, r.Error.Error(), w)
			}
		})
	}
}

func TestRequestsOverTheSizeLimitAreNotSent(t *testing.T) {
	ds, fp := newQueryDatasource(t, cannedOK(), true)
	// Under the expression limit, over the request limit once URL-encoded.
	expr := `up{instance=~"` + strings.Repeat("a|", 400_000) + `"}`
	r := runQueries(t, ds, nil, testDataQuery("A", map[string]any{"expr": expr}))["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "1 MB request size limit")
	assert.Contains(t, r.Error.Error(), "multi-value")
	assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
	assert.Empty(t, fp.paths())
}

func TestBadStepAndRangeAreNotSent(t *testing.T) {
	ds, fp := newQueryDatasource(t, cannedOK(), false)
	reversed := testDataQuery("A", map[string]any{"expr": "up"})
	reversed.TimeRange.From, reversed.TimeRange.To = reversed.TimeRange.To, reversed.TimeRange.From
	negative := testDataQuery("B", map[string]any{"expr": "up", "interval": "-1m"})
	rs := runQueries(t, ds, nil, reversed, negative)
	assert.ErrorIs(t, rs["A"].Error, models.ErrTimeRangeReversed)
	assert.ErrorContains(t, rs["B"].Error, "must be positive")
	assert.Empty(t, fp.paths())
	assert.Equal(t, backend.ErrorSourceDownstream, rs["A"].ErrorSource)
}

func TestCancelledRequestStopsWork(t *testing.T) {
	ds, fp := newQueryDatasource(t, cannedOK(), false)
	ds.settings.Limits = models.DefaultLimits()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	heavy := testDataQuery("A", map[string]any{"expr": strings.Repeat("abs(", 900) + "up" + strings.Repeat(")", 900),
		"adhocFilters": []map[string]any{{"key": "job", "operator": "equals", "value": "x"}}})
	resp, err := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{heavy}})
	require.NoError(t, err)
	assert.ErrorIs(t, resp.Responses["A"].Error, context.Canceled)
	assert.Empty(t, fp.paths())
}
