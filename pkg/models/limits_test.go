package models

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeoutOutOfRangeIsASettingsError(t *testing.T) {
	for _, raw := range []string{`"NaN"`, `"Inf"`, `"-Inf"`, `"+Inf"`, `1e-10`, `1e10`, `-1`, `0.5`, `601`, `1e300`} {
		t.Run(raw, func(t *testing.T) {
			_, err := load(t, ampURL, `{"timeout":`+raw+`}`, nil)
			var se *SettingsError
			require.ErrorAs(t, err, &se, "a timeout of %s must not mean no timeout", raw)
			assert.Equal(t, "jsonData.timeout", se.Field)
			assert.Contains(t, err.Error(), "between 1 and 600")
		})
	}
	for raw, want := range map[string]time.Duration{`0`: DefaultTimeout, `1`: time.Second, `"45"`: 45 * time.Second, `600`: MaxTimeout, `2.5`: 2500 * time.Millisecond} {
		s, err := load(t, ampURL, `{"timeout":`+raw+`}`, nil)
		require.NoError(t, err, raw)
		assert.Equal(t, want, s.Timeout, raw)
	}
}

func TestLimitsSettings(t *testing.T) {
	s, err := load(t, ampURL, `{}`, nil)
	require.NoError(t, err)
	assert.Equal(t, DefaultLimits(), s.Limits)
	assert.Equal(t, int64(128<<20), s.Limits.MaxResponseBytes)
	assert.Equal(t, 32*24*time.Hour, s.Limits.QueryRangeLimit)

	s, err = load(t, ampURL, `{"maxResponseMB":"16","maxResponseSeries":0,"maxResponseSamples":1000,"queryRangeLimit":"7d"}`, nil)
	require.NoError(t, err)
	assert.Equal(t, Limits{MaxResponseBytes: 16 << 20, MaxResponseSeries: 0, MaxResponseSamples: 1000, QueryRangeLimit: 7 * 24 * time.Hour}, s.Limits)

	s, err = load(t, ampURL, `{"queryRangeLimit":"0"}`, nil)
	require.NoError(t, err)
	assert.Zero(t, s.Limits.QueryRangeLimit, `"0" turns splitting off`)

	for _, jd := range []string{`{"maxResponseMB":-1}`, `{"maxResponseMB":1.5}`, `{"maxResponseMB":"NaN"}`, `{"maxResponseSeries":1e12}`,
		`{"maxResponseSamples":"Inf"}`, `{"queryRangeLimit":"soon"}`, `{"queryRangeLimit":"10m"}`, `{"queryRangeLimit":5}`} {
		_, err := load(t, ampURL, jd, nil)
		var se *SettingsError
		require.ErrorAs(t, err, &se, jd)
		key := strings.Split(strings.Trim(jd, "{}"), `"`)[1]
		assert.Equal(t, "jsonData."+key, se.Field, jd)
	}
}

func parseWith(t testing.TB, model map[string]any, from, to time.Time, maxDataPoints int64) (*Query, error) {
	t.Helper()
	raw, err := json.Marshal(model)
	require.NoError(t, err)
	return ParseQuery(backend.DataQuery{RefID: "A", JSON: raw, TimeRange: backend.TimeRange{From: from, To: to},
		MaxDataPoints: maxDataPoints}, &Settings{}, false)
}

func TestQueryRejectsStepAndRangeBeforeSending(t *testing.T) {
	_, err := parseWith(t, map[string]any{"expr": "up"}, epoch.Add(time.Hour), epoch, 100)
	require.ErrorIs(t, err, ErrTimeRangeReversed)

	for name, model := range map[string]map[string]any{
		"negative intervalMs on an empty range": {"expr": "up", "intervalMs": -1000},
		"negative min step":                     {"expr": "up", "interval": "-30s"},
		"overflowing intervalFactor":            {"expr": "up", "interval": "1y", "intervalFactor": int64(1) << 40},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseWith(t, model, epoch, epoch, 100)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "must be positive")
		})
	}
}

// TestStepNeverExceedsPrometheusPoints feeds the step rules query JSON that asks for more points than
// Prometheus serves; the range a query sends must always pass Prometheus' check (end-start)/step <= 11,000.
func TestStepNeverExceedsPrometheusPoints(t *testing.T) {
	ranges := []time.Duration{11001 * time.Second, 15*time.Hour + 17*time.Minute, 7 * 24 * time.Hour, 90 * 24 * time.Hour, 3 * 365 * 24 * time.Hour}
	models := []map[string]any{
		{"expr": "up", "intervalMs": 1},
		{"expr": "up", "interval": "1ms"},
		{"expr": "up", "interval": "1ms", "intervalFactor": 1},
		{"expr": "up", "interval": "$__rate_interval"},
		{"expr": "up"},
	}
	for _, r := range ranges {
		for i, m := range models {
			for _, mdp := range []int64{0, 1, 1_000_000, 1 << 40} {
				t.Run(fmt.Sprintf("%s/%d/%d", r, i, mdp), func(t *testing.T) {
					q, err := parseWith(t, m, epoch, epoch.Add(r), mdp)
					require.NoError(t, err)
					require.Positive(t, q.Step)
					assert.LessOrEqual(t, int64(r/q.Step), int64(maxPoints), "step %s over %s", q.Step, r)
					assert.LessOrEqual(t, int64(q.End.Sub(q.Start)/q.Step), int64(maxPoints))
				})
			}
		}
	}
}

func TestCapStepKeepsNiceStepsThatFit(t *testing.T) {
	assert.Equal(t, time.Second, capStep(time.Second, 11000*time.Second))
	assert.Equal(t, 1001*time.Millisecond, capStep(time.Second, 11001*time.Second))
	assert.Equal(t, 2*time.Hour, capStep(2*time.Hour, 365*24*time.Hour))
}

func TestExpressionOverTheRequestLimit(t *testing.T) {
	values := make([]string, 60000)
	for i := range values {
		values[i] = fmt.Sprintf("host-%05d.example", i)
	}
	expr := `up{instance=~"` + strings.Join(values, "|") + `"}`
	_, err := parseWith(t, map[string]any{"expr": expr}, epoch, epoch.Add(time.Hour), 100)
	var tooLarge *ExprTooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Contains(t, err.Error(), "1 MB request size limit")
	assert.Contains(t, err.Error(), "multi-value")
}

func TestExpressionComplexityBoundBeforeParsing(t *testing.T) {
	filter := []ScopeFilter{{Key: "job", Operator: FilterEquals, Value: "x"}}
	tooDeep := []string{
		strings.Repeat("(", MaxExprNesting+1) + "up" + strings.Repeat(")", MaxExprNesting+1),
		strings.Repeat("abs(", MaxExprNesting+1) + "up" + strings.Repeat(")", MaxExprNesting+1),
		"up" + strings.Repeat(" + up", maxExprOperators+1),
		"up" + strings.Repeat(" or up", maxExprOperators+1),
	}
	for _, expr := range tooDeep {
		_, err := ApplyFilters(expr, nil, filter, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "too complex")
	}
	fine := []string{
		`sum by (job) (rate(http_requests_total{path=~"/a/(b|c)+/((d))", le!="+Inf"}[5m])) / 2 > 0 # (((((`,
		"up" + strings.Repeat(" + up", 100),
		`count(up{x="` + strings.Repeat("((((+-*/", 10000) + `"})`,
	}
	for _, expr := range fine {
		_, err := ApplyFilters(expr, nil, filter, nil)
		require.NoError(t, err, expr[:min(len(expr), 60)])
	}
}

func TestQueryTimeoutRange(t *testing.T) {
	for _, raw := range []string{`-5`, `"-5s"`, `1e10`, `"48h"`, `1e300`} {
		_, err := load(t, ampURL, `{"queryTimeout":`+raw+`}`, nil)
		var se *SettingsError
		require.ErrorAs(t, err, &se, raw)
		assert.Equal(t, "jsonData.queryTimeout", se.Field, raw)
	}
	for raw, want := range map[string]string{`60`: "60s", `"2m"`: "2m", `0`: "", `""`: "", `0.5`: "0.5s"} {
		s, err := load(t, ampURL, `{"queryTimeout":`+raw+`}`, nil)
		require.NoError(t, err, raw)
		assert.Equal(t, want, s.QueryTimeout, raw)
	}
}
