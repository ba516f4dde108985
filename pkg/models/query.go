package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Format is the panel format a query asks for.
type Format string

// Formats Grafana's Prometheus query model knows.
const (
	FormatTimeSeries Format = "time_series"
	FormatTable      Format = "table"
	FormatHeatmap    Format = "heatmap"
)

// QueryModel is the query JSON exactly as Grafana stores it for Prometheus-type data sources.
type QueryModel struct {
	Expr           string          `json:"expr"`
	Range          bool            `json:"range"`
	Instant        bool            `json:"instant"`
	Exemplar       bool            `json:"exemplar"`
	Format         json.RawMessage `json:"format,omitempty"`
	LegendFormat   string          `json:"legendFormat"`
	Interval       string          `json:"interval"`
	IntervalMs     float64         `json:"intervalMs"`
	IntervalFactor int64           `json:"intervalFactor"`
	UtcOffsetSec   int64           `json:"utcOffsetSec"`
	Scopes         []ScopeSpec     `json:"scopes,omitempty"`
	AdhocFilters   []ScopeFilter   `json:"adhocFilters,omitempty"`
	GroupByKeys    []string        `json:"groupByKeys,omitempty"`
	// NoCache keeps this query out of the shared query cache (a plugin key, not one of Grafana's).
	NoCache bool `json:"noCache,omitempty"`
}

// Query is a parsed, normalised query ready to send.
type Query struct {
	RefID        string
	Expr         string
	Range        bool
	Instant      bool
	Exemplar     bool
	Format       Format
	LegendFormat string
	// NoCache asks to bypass the query cache.
	NoCache bool
	Step    time.Duration
	// Start and End are the range aligned to the step; Time is the raw end used by instant queries.
	Start, End, Time time.Time
}

// ErrNoQueries is returned for a request without queries.
var ErrNoQueries = errors.New("query contains no queries")

// ParseQuery decodes one query and computes its step, time range and final expression: macros replaced, then
// scope and ad-hoc filters and group-by keys applied. The JSON is decoded strictly by type, so a wrong type fails
// this query only; format alone is read leniently. Alert evaluations (fromAlert) never ask for exemplars.
func ParseQuery(q backend.DataQuery, s *Settings, fromAlert bool) (*Query, error) {
	var m QueryModel
	if err := json.Unmarshal(q.JSON, &m); err != nil {
		return nil, fmt.Errorf("error unmarshaling query: %w", err)
	}
	rangeDur := q.TimeRange.To.Sub(q.TimeRange.From)
	if rangeDur < 0 {
		return nil, ErrTimeRangeReversed
	}
	step, err := calculateStep(stepInput{
		interval:       m.Interval,
		scrapeInterval: s.TimeInterval,
		intervalMs:     int64(m.IntervalMs),
		intervalFactor: m.IntervalFactor,
		rangeDur:       rangeDur,
		maxDataPoints:  q.MaxDataPoints,
	})
	if err != nil {
		return nil, fmt.Errorf("invalid min step (interval): %w", err)
	}
	if err := checkStep(step); err != nil {
		return nil, err
	}
	step = capStep(step, rangeDur)
	out := &Query{
		RefID:        q.RefID,
		Range:        m.Range,
		Instant:      m.Instant,
		Exemplar:     m.Exemplar && !fromAlert,
		Format:       parseFormat(m.Format),
		LegendFormat: m.LegendFormat,
		NoCache:      m.NoCache,
		Step:         step,
		Time:         q.TimeRange.To.UTC(),
	}
	if !out.Range && !out.Instant {
		out.Range = true
	}
	if step > 0 {
		out.Start = alignDown(q.TimeRange.From, step, m.UtcOffsetSec)
		out.End = alignDown(q.TimeRange.To, step, m.UtcOffsetSec)
	} else {
		out.Start, out.End = q.TimeRange.From.UTC(), q.TimeRange.To.UTC()
	}
	out.Expr = interpolate(m.Expr, macroInput{
		step:          step,
		queryInterval: q.Interval,
		interval:      m.Interval,
		scrape:        s.TimeInterval,
		rangeDur:      rangeDur,
	})
	if err := checkExprSize(out.Expr); err != nil {
		return nil, err
	}
	if out.Expr, err = ApplyFilters(out.Expr, m.Scopes, m.AdhocFilters, m.GroupByKeys); err != nil {
		return nil, err
	}
	if err := checkExprSize(out.Expr); err != nil {
		return nil, err
	}
	return out, nil
}

// parseFormat is lenient on purpose: saved dashboards hold strings, old ones numbers, and an unknown value
// must not break a panel.
func parseFormat(raw json.RawMessage) Format {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch Format(s) {
		case FormatTable, FormatHeatmap:
			return Format(s)
		}
		return FormatTimeSeries
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil {
		switch n {
		case 2:
			return FormatTable
		case 3:
			return FormatHeatmap
		}
	}
	return FormatTimeSeries
}

// alignDown aligns t to a multiple of step in the user's time zone, given as an offset in seconds.
func alignDown(t time.Time, step time.Duration, offsetSec int64) time.Time {
	offset := offsetSec * int64(time.Second)
	ns := t.UnixNano() + offset
	aligned := ns/int64(step)*int64(step) - offset
	if ns < 0 && ns%int64(step) != 0 {
		aligned -= int64(step)
	}
	return time.Unix(0, aligned).UTC()
}

type macroInput struct {
	step          time.Duration
	queryInterval time.Duration
	interval      string
	scrape        string
	rangeDur      time.Duration
}

// interpolate replaces Grafana's backend macros. Order matters: the _ms forms must go before their prefixes.
func interpolate(expr string, in macroInput) string {
	rangeMs := in.rangeDur.Milliseconds()
	rate := rateInterval(in)
	replacements := []struct{ name, value string }{
		{"__interval_ms", fmt.Sprint(in.step.Milliseconds())},
		{"__interval", formatGrafanaInterval(in.step)},
		{"__range_ms", fmt.Sprint(rangeMs)},
		{"__range_s", fmt.Sprint(roundHalfAway(rangeMs))},
		{"__range", fmt.Sprintf("%ds", roundHalfAway(rangeMs))},
		{"__rate_interval_ms", fmt.Sprint(rate.Milliseconds())},
		{"__rate_interval", rate.String()},
	}
	for _, r := range replacements {
		expr = strings.ReplaceAll(expr, "${"+r.name+"}", r.value)
		expr = strings.ReplaceAll(expr, "$"+r.name, r.value)
	}
	return expr
}

func rateInterval(in macroInput) time.Duration {
	if in.interval == "$__rate_interval" || in.interval == "${__rate_interval}" {
		return in.step
	}
	minStep := in.interval
	switch {
	case minStep == "$__interval" || minStep == "${__interval}":
		minStep = in.step.String()
	case minStep == "":
		minStep = in.scrape
	}
	scrape := defaultScrapeInterval
	if minStep != "" {
		d, err := ParseInterval(minStep)
		if err != nil {
			return 0
		}
		scrape = d
	}
	return max(in.queryInterval+scrape, 4*scrape)
}
