package models

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/gtime"
)

const (
	defaultScrapeInterval = 15 * time.Second
	defaultMaxDataPoints  = 1500
	// maxPoints is Prometheus' limit on points per series in a range query.
	maxPoints = 11000
)

// The variable forms a query's min step may hold; they mean "no explicit min step".
var intervalVariables = []string{"$__interval", "${__interval}", "$__interval_ms", "${__interval_ms}"}
var rateIntervalVariables = []string{"$__rate_interval", "${__rate_interval}", "$__rate_interval_ms", "${__rate_interval_ms}"}

// ParseInterval parses a Grafana interval: Go durations, d/w/M/y units, a bare number of seconds, and the
// <10s> form.
func ParseInterval(s string) (time.Duration, error) {
	d, err := gtime.ParseIntervalStringToTimeDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("invalid interval %q: %w", s, err)
	}
	return d, nil
}

func isOneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// stepInput is everything the step calculation depends on.
type stepInput struct {
	interval       string // the query's min step as written
	scrapeInterval string // jsonData.timeInterval
	intervalMs     int64
	intervalFactor int64
	rangeDur       time.Duration
	maxDataPoints  int64
}

// calculateStep implements Grafana's Prometheus step rules: min interval, max data points, the 11,000-point
// cap, $__rate_interval and intervalFactor.
func calculateStep(in stepInput) (time.Duration, error) {
	isRate := isOneOf(in.interval, rateIntervalVariables)
	interval := in.interval
	if isRate || isOneOf(interval, intervalVariables) || interval == "0s" {
		interval = ""
	}
	var minInterval time.Duration
	var err error
	switch {
	case interval == "" && in.intervalMs != 0:
		minInterval = time.Duration(in.intervalMs) * time.Millisecond
	case interval == "" && in.scrapeInterval != "":
		minInterval, err = ParseInterval(in.scrapeInterval)
	case interval == "":
		minInterval = defaultScrapeInterval
	default:
		minInterval, err = ParseInterval(interval)
	}
	if err != nil {
		return 0, err
	}
	if minInterval < 0 {
		return 0, fmt.Errorf("%s is negative, and it must be positive: use a duration such as \"15s\"", minInterval)
	}
	points := in.maxDataPoints
	if points == 0 {
		points = defaultMaxDataPoints
	}
	calculated := minInterval
	if raw := in.rangeDur / time.Duration(points); raw >= minInterval {
		calculated = gtime.RoundInterval(raw)
	}
	adjusted := max(calculated, gtime.RoundInterval(in.rangeDur/maxPoints))
	if isRate {
		scrape, err := scrapeOrDefault(in.scrapeInterval)
		if err != nil {
			return 0, err
		}
		return max(adjusted+scrape, 4*scrape), nil
	}
	return adjusted * time.Duration(max(in.intervalFactor, 1)), nil
}

func scrapeOrDefault(s string) (time.Duration, error) {
	if s == "" {
		return defaultScrapeInterval, nil
	}
	return ParseInterval(s)
}

// formatGrafanaInterval is Grafana's single-unit truncating format ($__interval): 90s -> 1m.
func formatGrafanaInterval(d time.Duration) string { return gtime.FormatInterval(d) }

// roundHalfAway rounds a millisecond count to whole seconds, halves away from zero.
func roundHalfAway(ms int64) int64 { return int64(math.Round(float64(ms) / 1000)) }

// FormatSeconds writes a duration as Prometheus float seconds in the shortest form ("15", "0.5").
func FormatSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
