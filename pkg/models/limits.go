package models

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Defaults of the per-query budgets and of the request limits. They keep one panel from taking the plugin (and
// every dashboard it serves) down: a response is read only until one of them is reached.
const (
	// DefaultMaxResponseMB bounds the bytes of one response body read from the server.
	DefaultMaxResponseMB = 128
	// DefaultMaxResponseSeries bounds the series (frames) one response may hold.
	DefaultMaxResponseSeries = 50_000
	// DefaultMaxResponseSamples bounds the samples of one response, all series together.
	DefaultMaxResponseSamples = 5_000_000
	// DefaultQueryRangeLimit is AMP's query time range quota: "32 days between the start time and the end time
	// of a PromQL query. This quota cannot be changed." Longer range queries are split into sub-ranges.
	DefaultQueryRangeLimit = 32 * 24 * time.Hour
	// MaxRequestBytes is AMP's "maximum size of ingestion or query request: 1 MB".
	MaxRequestBytes = 1 << 20
	// MaxExprNesting bounds the nesting of brackets in an expression that the plugin parses. PromQL that people
	// write nests a few dozen levels; the parser's memory grows with the depth.
	MaxExprNesting = 1000
)

// Limits are the per-query budgets and the server's request limits, from jsonData.
type Limits struct {
	// MaxResponseBytes, MaxResponseSeries and MaxResponseSamples are the response budget of one request; 0 means
	// unlimited.
	MaxResponseBytes   int64
	MaxResponseSeries  int
	MaxResponseSamples int64
	// QueryRangeLimit is the longest end-start of one range request; longer queries are split. 0 turns splitting
	// off.
	QueryRangeLimit time.Duration
}

// DefaultLimits are the limits of a data source that sets none.
func DefaultLimits() Limits {
	return Limits{
		MaxResponseBytes:   DefaultMaxResponseMB << 20,
		MaxResponseSeries:  DefaultMaxResponseSeries,
		MaxResponseSamples: DefaultMaxResponseSamples,
		QueryRangeLimit:    DefaultQueryRangeLimit,
	}
}

// loadLimits reads maxResponseMB, maxResponseSeries, maxResponseSamples (0 = unlimited) and queryRangeLimit (a
// duration; "0" turns splitting off).
func (s *Settings) loadLimits(jd jsonData, _ backend.DataSourceInstanceSettings) error {
	s.Limits = DefaultLimits()
	mb, err := wholeNumber(jd, "maxResponseMB", DefaultMaxResponseMB, 1<<20, "give the response budget in MB, e.g. 128, or 0 for no limit")
	if err != nil {
		return err
	}
	s.Limits.MaxResponseBytes = mb << 20
	series, err := wholeNumber(jd, "maxResponseSeries", DefaultMaxResponseSeries, math.MaxInt32, "give a number of series, e.g. 50000, or 0 for no limit")
	if err != nil {
		return err
	}
	s.Limits.MaxResponseSeries = int(series)
	if s.Limits.MaxResponseSamples, err = wholeNumber(jd, "maxResponseSamples", DefaultMaxResponseSamples, 1<<40, "give a number of samples, e.g. 5000000, or 0 for no limit"); err != nil {
		return err
	}
	fix := `use a duration such as "32d" (AMP's limit), or "0" to never split range queries`
	raw, err := jd.str("queryRangeLimit", fix)
	if err != nil || raw == "" {
		return err
	}
	d, perr := ParseInterval(raw)
	if perr != nil || d < 0 {
		return &SettingsError{Field: "jsonData.queryRangeLimit", Problem: fmt.Sprintf("%q is not a duration", raw), Fix: fix}
	}
	if d > 0 && d < time.Hour {
		return &SettingsError{Field: "jsonData.queryRangeLimit", Problem: fmt.Sprintf("%q is shorter than an hour", raw), Fix: fix}
	}
	s.Limits.QueryRangeLimit = d
	return nil
}

// wholeNumber reads a non-negative whole number no larger than upper.
func wholeNumber(jd jsonData, key string, def, upper int64, fix string) (int64, error) {
	v, err := jd.number(key, float64(def), fix)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > float64(upper) || v != math.Trunc(v) {
		return 0, &SettingsError{Field: "jsonData." + key, Problem: "is " + strconv.FormatFloat(v, 'g', -1, 64),
			Fix: fmt.Sprintf("%s (between 0 and %d)", fix, upper)}
	}
	return int64(v), nil
}

// timeoutSeconds checks jsonData.timeout in seconds. NaN and infinities fail every comparison, and a float
// conversion past int64 is undefined, so the range is checked on the float before any conversion: all of them
// would otherwise mean "no timeout".
func timeoutSeconds(secs float64) (time.Duration, error) {
	if secs == 0 {
		// 0 would mean "no timeout" to net/http, which lets a stuck upstream hang a panel forever.
		return DefaultTimeout, nil
	}
	if !(secs >= 1 && secs <= MaxTimeout.Seconds()) {
		return 0, &SettingsError{Field: "jsonData.timeout", Problem: "is " + strconv.FormatFloat(secs, 'g', -1, 64) + " seconds",
			Fix: fmt.Sprintf("use a number of seconds between 1 and %d, or 0 for the default of %d", int(MaxTimeout.Seconds()), int(DefaultTimeout.Seconds()))}
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// maxQueryTimeout bounds jsonData.queryTimeout: Prometheus' own default is 2 minutes and AMP stops queries after
// one, so a day is far past any use and catches values that overflowed.
const maxQueryTimeout = 24 * time.Hour

// checkQueryTimeout refuses a negative or out-of-range queryTimeout, including a number of seconds that is
// negative, which used to be dropped without a word.
func checkQueryTimeout(v string) error {
	if v == "" {
		return nil
	}
	d, err := ParseInterval(v)
	if err == nil && d > 0 && d <= maxQueryTimeout {
		return nil
	}
	return &SettingsError{Field: "jsonData.queryTimeout", Problem: fmt.Sprintf("is %q", v),
		Fix: `use a duration between 1ms and 24h such as "60s", or leave it empty for the server's default`}
}
