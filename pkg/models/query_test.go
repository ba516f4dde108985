package models

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type queryCase struct {
	name          string
	scrape        string
	rangeDur      time.Duration
	queryInterval time.Duration
	maxDataPoints int64
	model         map[string]any
	wantStep      time.Duration
	wantExpr      string
}

func parseCase(t *testing.T, tc queryCase) *Query {
	t.Helper()
	raw, err := json.Marshal(tc.model)
	require.NoError(t, err)
	q, err := ParseQuery(backend.DataQuery{
		RefID:         "A",
		JSON:          raw,
		TimeRange:     backend.TimeRange{From: epoch, To: epoch.Add(tc.rangeDur)},
		Interval:      tc.queryInterval,
		MaxDataPoints: tc.maxDataPoints,
	}, &Settings{TimeInterval: tc.scrape}, false)
	require.NoError(t, err)
	return q
}

// The worked examples of the query contract, section 2.
func TestParseQueryStepAndMacros(t *testing.T) {
	const rateExpr = "rate(x[$__rate_interval]) $__rate_interval_ms"
	tests := []queryCase{
		{name: "48h, intervalMs 60000, 2110 points", rangeDur: 48 * time.Hour, maxDataPoints: 2110,
			model: map[string]any{"expr": "rate(x[$__interval])", "intervalMs": 60000}, wantStep: time.Minute, wantExpr: "rate(x[1m])"},
		{name: "48h, default points, interval macros", rangeDur: 48 * time.Hour, queryInterval: time.Minute,
			model:    map[string]any{"expr": "$__interval_ms ${__interval_ms} $__interval ${__interval}"},
			wantStep: 2 * time.Minute, wantExpr: "120000 120000 2m 2m"},
		{name: "5m with min step 5m", rangeDur: 5 * time.Minute, queryInterval: time.Minute,
			model: map[string]any{"expr": "rate(x[$__rate_interval])", "interval": "5m"}, wantStep: 5 * time.Minute, wantExpr: "rate(x[20m0s])"},
		{name: "5m with rate interval as min step", rangeDur: 5 * time.Minute, queryInterval: time.Minute,
			model: map[string]any{"expr": "rate(x[${__rate_interval}])", "interval": "$__rate_interval"}, wantStep: time.Minute, wantExpr: "rate(x[1m0s])"},
		{name: "48h rate interval from query interval", rangeDur: 48 * time.Hour, queryInterval: 2 * time.Minute,
			model: map[string]any{"expr": rateExpr}, wantStep: 2 * time.Minute, wantExpr: "rate(x[2m15s]) 135000"},
		{name: "scrape 30s, 1h, intervalMs 30000", scrape: "30s", rangeDur: time.Hour, queryInterval: 30 * time.Second, maxDataPoints: 1613,
			model: map[string]any{"expr": "rate(x[$__rate_interval])", "intervalMs": 30000}, wantStep: 30 * time.Second, wantExpr: "rate(x[2m0s])"},
		{name: "scrape 30s, min step 150s", scrape: "30s", rangeDur: time.Hour, queryInterval: 100 * time.Second, maxDataPoints: 12384,
			model: map[string]any{"expr": "rate(x[$__rate_interval])", "interval": "150s", "intervalMs": 100000}, wantStep: 150 * time.Second, wantExpr: "rate(x[10m0s])"},
		{name: "scrape 30s, 2 days, rate interval as min step", scrape: "30s", rangeDur: 48 * time.Hour, queryInterval: 2 * time.Minute,
			model: map[string]any{"expr": "rate(x[$__rate_interval])", "interval": "$__rate_interval", "intervalMs": 120000}, wantStep: 150 * time.Second, wantExpr: "rate(x[2m30s])"},
		{name: "scrape 15s, 2 days, interval macro as min step", scrape: "15s", rangeDur: 48 * time.Hour, queryInterval: 2 * time.Minute,
			model: map[string]any{"expr": "rate(x[$__rate_interval])", "interval": "$__interval", "intervalMs": 120000}, wantStep: 120 * time.Second, wantExpr: "rate(x[8m0s])"},
		{name: "1h factor 1", rangeDur: time.Hour, model: map[string]any{"expr": "x", "intervalFactor": 1}, wantStep: 15 * time.Second, wantExpr: "x"},
		{name: "48h", rangeDur: 48 * time.Hour, model: map[string]any{"expr": "x"}, wantStep: 2 * time.Minute, wantExpr: "x"},
		{name: "48h factor 10", rangeDur: 48 * time.Hour, model: map[string]any{"expr": "x", "intervalFactor": 10}, wantStep: 20 * time.Minute, wantExpr: "x"},
		{name: "48h scrape 240s", scrape: "240s", rangeDur: 48 * time.Hour, model: map[string]any{"expr": "x"}, wantStep: 4 * time.Minute, wantExpr: "x"},
		{name: "11,000 point cap", rangeDur: 365 * 24 * time.Hour, maxDataPoints: 100000, model: map[string]any{"expr": "x", "interval": "1s"},
			wantStep: time.Hour, wantExpr: "x"},
		{name: "0s min step is empty", rangeDur: time.Hour, model: map[string]any{"expr": "x", "interval": "0s"}, wantStep: 15 * time.Second, wantExpr: "x"},
		{name: "range macros", rangeDur: 48*time.Hour + 800*time.Millisecond,
			model:    map[string]any{"expr": "$__range_ms $__range_s $__range ${__range_s}"},
			wantStep: 2 * time.Minute, wantExpr: "172800800 172801 172801s 172801"},
		{name: "rate_interval_ms as min step gives 0s (Grafana quirk)", rangeDur: time.Hour,
			model: map[string]any{"expr": "$__rate_interval", "interval": "$__rate_interval_ms"}, wantStep: time.Minute, wantExpr: "0s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := parseCase(t, tc)
			assert.Equal(t, tc.wantStep, q.Step)
			assert.Equal(t, tc.wantExpr, q.Expr)
		})
	}
}

func TestParseQueryFlagsAndAlignment(t *testing.T) {
	q := parseCase(t, queryCase{rangeDur: time.Hour, model: map[string]any{"expr": "up", "exemplar": true, "format": 2}})
	assert.True(t, q.Range, "neither flag set means range")
	assert.False(t, q.Instant)
	assert.True(t, q.Exemplar)
	assert.Equal(t, FormatTable, q.Format)

	raw := []byte(`{"expr":"up","instant":true,"range":true,"exemplar":true,"format":"nonsense","datasource":"x"}`)
	from := epoch.Add(7*time.Minute + 13*time.Second)
	q, err := ParseQuery(backend.DataQuery{JSON: raw, TimeRange: backend.TimeRange{From: from, To: from.Add(time.Hour)}}, &Settings{}, true)
	require.NoError(t, err)
	assert.True(t, q.Range)
	assert.True(t, q.Instant)
	assert.False(t, q.Exemplar, "alert evaluations never ask for exemplars")
	assert.Equal(t, FormatTimeSeries, q.Format)
	assert.Equal(t, epoch.Add(7*time.Minute), q.Start, "start aligned down to the 15s step")
	assert.Equal(t, epoch.Add(67*time.Minute), q.End)
	assert.Equal(t, from.Add(time.Hour), q.Time, "instant queries use the raw end")

	raw = []byte(`{"expr":"up","utcOffsetSec":3600}`)
	q, err = ParseQuery(backend.DataQuery{JSON: raw, TimeRange: backend.TimeRange{From: epoch.Add(90 * time.Minute), To: epoch.Add(7 * 24 * time.Hour)}, MaxDataPoints: 1}, &Settings{}, false)
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour, q.Step)
	assert.Equal(t, epoch.Add(-time.Hour), q.Start, "aligned to midnight in UTC+1")
}

func TestParseQueryErrors(t *testing.T) {
	tests := map[string]string{
		`{"expr":"up","instant":"true"}`:                                     "error unmarshaling query",
		`{"expr":"up","intervalFactor":"2"}`:                                 "error unmarshaling query",
		`{"expr":"up","utcOffsetSec":1.5}`:                                   "error unmarshaling query",
		`{"expr":5}`:                                                         "error unmarshaling query",
		`{"expr":"up","legendFormat":true}`:                                  "error unmarshaling query",
		`{"expr":"up","intervalMs":"15000"}`:                                 "error unmarshaling query",
		`{"expr":"up","adhocFilters":{"key":"a"}}`:                           "error unmarshaling query",
		`{"expr":"up","scopes":[{"filters":[{"key":1}]}]}`:                   "error unmarshaling query",
		`{"expr":"up","groupByKeys":"job"}`:                                  "error unmarshaling query",
		`{"expr":"up","interval":"often"}`:                                   "invalid min step",
		`{"expr":"sum(","groupByKeys":["job"]}`:                              "not valid PromQL",
		`{"expr":"up","adhocFilters":[{"key":"a","operator":"like"}]}`:       `unknown operator "like"`,
		`{"expr":"up","scopes":[{"filters":[{"key":"a","operator":"is"}]}]}`: `unknown operator "is"`,
	}
	for raw, want := range tests {
		t.Run(raw, func(t *testing.T) {
			_, err := ParseQuery(backend.DataQuery{JSON: []byte(raw), TimeRange: backend.TimeRange{From: epoch, To: epoch.Add(time.Hour)}}, &Settings{}, false)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
		})
	}
}

func TestParseQueryFormatIsLenient(t *testing.T) {
	tests := map[string]Format{
		`"table"`: FormatTable, `"heatmap"`: FormatHeatmap, `"time_series"`: FormatTimeSeries, `"Table"`: FormatTimeSeries,
		`0`: FormatTimeSeries, `1`: FormatTimeSeries, `2`: FormatTable, `3`: FormatHeatmap, `4`: FormatTimeSeries,
		`2.5`: FormatTimeSeries, `true`: FormatTimeSeries, `{"a":1}`: FormatTimeSeries, `null`: FormatTimeSeries,
	}
	for format, want := range tests {
		t.Run(format, func(t *testing.T) {
			raw := []byte(`{"expr":"up","format":` + format + `}`)
			q, err := ParseQuery(backend.DataQuery{JSON: raw, TimeRange: backend.TimeRange{From: epoch, To: epoch.Add(time.Hour)}}, &Settings{}, false)
			require.NoError(t, err)
			assert.Equal(t, want, q.Format)
		})
	}
}

func TestParseQueryDefaultsAndIgnoredFields(t *testing.T) {
	raw := []byte(`{"refId":"A","datasource":{"type":"prometheus","uid":"x"},"editorMode":"code","requestId":"7A",
		"hide":false,"valueWithRefId":true,"key":"Q-1","datasourceId":3}`)
	q, err := ParseQuery(backend.DataQuery{RefID: "A", JSON: raw, TimeRange: backend.TimeRange{From: epoch, To: epoch.Add(time.Hour)}}, &Settings{}, false)
	require.NoError(t, err)
	assert.Equal(t, &Query{RefID: "A", Expr: "", Range: true, Format: FormatTimeSeries, Step: 15 * time.Second,
		Start: epoch, End: epoch.Add(time.Hour), Time: epoch.Add(time.Hour)}, q, "an empty expr is kept; neither flag means range")

	q, err = ParseQuery(backend.DataQuery{JSON: []byte(`{"expr":"up","exemplar":true,"legendFormat":"{{job}}"}`),
		TimeRange: backend.TimeRange{From: epoch, To: epoch.Add(time.Hour)}}, &Settings{}, false)
	require.NoError(t, err)
	assert.True(t, q.Range, "an exemplar-only query also runs as a range query")
	assert.True(t, q.Exemplar)
	assert.Equal(t, "{{job}}", q.LegendFormat)

	q, err = ParseQuery(backend.DataQuery{JSON: []byte(`{"expr":"up","intervalMs":60000.9}`),
		TimeRange: backend.TimeRange{From: epoch, To: epoch.Add(time.Hour)}}, &Settings{}, false)
	require.NoError(t, err, "Grafana may send intervalMs as a float")
	assert.Equal(t, time.Minute, q.Step, "truncated to whole milliseconds")
}

// Filters are applied after the macros, so the printed expression carries the replaced durations.
func TestParseQueryAppliesFiltersAfterMacros(t *testing.T) {
	q := parseCase(t, queryCase{rangeDur: time.Hour, queryInterval: time.Minute, model: map[string]any{
		"expr":         `sum(rate(x{job="old"}[$__rate_interval])) by (le)`,
		"scopes":       []map[string]any{{"title": "ignored", "filters": []map[string]any{{"key": "ns", "operator": "equals", "value": "a"}}}},
		"adhocFilters": []map[string]any{{"key": "job", "operator": "not-equals", "value": "new"}},
		"groupByKeys":  []string{"zone"},
	}})
	assert.Equal(t, `sum by (le, zone) (rate(x{job!="new",ns="a"}[1m15s]))`, q.Expr)
}
