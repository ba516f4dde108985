package main

import (
	"net/url"
	"strconv"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

func unix(d time.Duration) string {
	return strconv.FormatFloat(float64(promserver.FixtureStart.Add(d).UnixMilli())/1000, 'f', -1, 64)
}

func rangeQuery(expr string, start, end time.Duration, step string) url.Values {
	return url.Values{"query": {expr}, "start": {unix(start)}, "end": {unix(end)}, "step": {step}}
}

func instantQuery(expr string, at time.Duration) url.Values {
	return url.Values{"query": {expr}, "time": {unix(at)}}
}

func withStats(v url.Values) url.Values {
	v.Set("stats", "all")
	return v
}

// recordings lists the answers kept in the corpus: every result type, NaN and infinities, unicode and escaped label
// values, fractional timestamps, stats, errors, and the array answers (labels, label values, series, exemplars).
func recordings() []recording {
	const rng, inst = "/api/v1/query_range", "/api/v1/query"
	h := time.Hour
	return []recording{
		{"matrix_counters", rng, rangeQuery("fixture_http_requests_total", 0, h, "300")},
		{"matrix_rate", rng, rangeQuery(`rate(fixture_http_requests_total{job="api"}[5m])`, 0, h, "60")},
		{"matrix_special_values", rng, rangeQuery("fixture_special_values", 55*time.Minute, 3*h+5*time.Minute, "300")},
		{"matrix_unicode_gaps", rng, rangeQuery("fixture_temperature_celsius or fixture_queue_depth", 2*h-10*time.Minute, 3*h+10*time.Minute, "120")},
		{"matrix_escaped_labels", rng, rangeQuery("fixture_build_info", 0, 10*time.Minute, "60")},
		{"matrix_fractional_step", rng, rangeQuery("fixture_up", 1500*time.Millisecond, 2*time.Minute, "7.5")},
		{"matrix_quantile", rng, rangeQuery("histogram_quantile(0.9, rate(fixture_request_duration_seconds_bucket[5m]))", h, 2*h, "600")},
		{"matrix_empty", rng, rangeQuery("fixture_does_not_exist", 0, h, "60")},
		{"matrix_stats", rng, withStats(rangeQuery("sum by (job) (fixture_up)", 0, 30*time.Minute, "300"))},
		{"vector_shards", inst, instantQuery("fixture_shard_items", 3*h)},
		{"vector_no_labels", inst, instantQuery(`sum(rate(fixture_http_requests_total{job="api"}[5m]))`, 3*h)},
		{"vector_stats", inst, withStats(instantQuery("fixture_up", 3*h))},
		{"scalar", inst, instantQuery("1 + 1", 4*time.Second)},
		{"scalar_inf", inst, instantQuery("1 / 0", 4*time.Second)},
		{"string", inst, instantQuery(`"hello \"world\""`, 4*time.Second)},
		{"error_bad_data", inst, instantQuery("rate(", 0)},
		{"error_too_many_points", rng, rangeQuery("fixture_up", 0, 6*h, "1")},
		{"labels", "/api/v1/labels", nil},
		{"label_values", "/api/v1/label/city/values", nil},
		{"series", "/api/v1/series?match[]=fixture_up&match[]=fixture_build_info", nil},
		{"exemplars_none", "/api/v1/query_exemplars", url.Values{"query": {"fixture_up"}, "start": {unix(0)}, "end": {unix(h)}}},
	}
}
