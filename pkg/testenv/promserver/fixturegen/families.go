package main

import (
	"fmt"
	"math"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

// Every value below is a closed-form function of the time elapsed since
// promserver.FixtureStart, and rates are powers of two where possible, so
// PromQL answers are exact in float64. testdata/prometheus/README.md lists
// the resulting values; keep both in step.

// family is one OpenMetrics metric family.
type family struct {
	name, typ, unit, help string
	series                []series
	histograms            []histogram
}

// series is one plain (counter or gauge) series. value reports false where
// the series has no sample.
type series struct {
	labels []label
	step   time.Duration
	value  func(elapsed time.Duration) (float64, bool)
}

// histogram is one classic histogram label set whose buckets grow linearly.
type histogram struct {
	labels []label
	step   time.Duration
	// bounds are the finite upper bounds; +Inf is implied.
	bounds []float64
	// perSecond holds the cumulative observation rate of each bucket,
	// including +Inf as the last entry (which is also the _count rate).
	perSecond    []float64
	sumPerSecond float64
}

const (
	minute = time.Minute
	hour   = time.Hour
)

func labels(kv ...string) []label {
	out := make([]label, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, label{name: kv[i], value: kv[i+1]})
	}
	return out
}

func always(v float64) func(time.Duration) (float64, bool) {
	return func(time.Duration) (float64, bool) { return v, true }
}

func between(from, to time.Duration, v float64) func(time.Duration) (float64, bool) {
	return func(e time.Duration) (float64, bool) { return v, e >= from && e < to }
}

func counter(job, instance, method, status string, perSecond float64) series {
	return series{
		labels: labels("job", job, "instance", instance, "method", method, "status", status),
		step:   promserver.FixtureStep,
		value:  func(e time.Duration) (float64, bool) { return perSecond * e.Seconds(), true },
	}
}

// resetCounter grows at 1/s but restarts from zero right after 02:59:45, so
// the sample at 03:00:00 is 15. Prometheus's reset correction then keeps
// rate() at exactly 1 across the reset.
func resetCounter() series {
	s := counter("worker", "worker-1:9090", "GET", "200", 1)
	s.value = func(e time.Duration) (float64, bool) {
		if e < 3*hour {
			return e.Seconds(), true
		}
		return (e - 3*hour + promserver.FixtureStep).Seconds(), true
	}
	return s
}

func fixtureFamilies() []family {
	return []family{
		{
			name: "fixture_http_requests", typ: "counter",
			help: "HTTP requests handled, growing at a constant per-series rate.",
			series: []series{
				counter("api", "api-1:8080", "GET", "200", 4),
				counter("api", "api-1:8080", "GET", "500", 0.25),
				counter("api", "api-1:8080", "POST", "200", 2),
				counter("api", "api-1:8080", "POST", "500", 0.125),
				counter("api", "api-2:8080", "GET", "200", 8),
				counter("api", "api-2:8080", "GET", "500", 0.5),
				counter("api", "api-2:8080", "POST", "200", 1),
				counter("api", "api-2:8080", "POST", "500", 0),
				resetCounter(),
				counter("worker", "worker-1:9090", "POST", "201", 3),
			},
		},
		{
			name: "fixture_up", typ: "gauge",
			help: "Whether the fixture target is up.",
			series: []series{
				{labels: labels("job", "api", "instance", "api-1:8080"), step: minute, value: always(1)},
				{labels: labels("job", "api", "instance", "api-2:8080"), step: minute, value: always(1)},
				{labels: labels("job", "worker", "instance", "worker-1:9090"), step: minute, value: always(0)},
			},
		},
		{
			name: "fixture_temperature_celsius", typ: "gauge", unit: "celsius",
			help: "Temperature per city: linear, step, and present in the second half only.",
			series: []series{
				{labels: labels("city", "Zürich"), step: promserver.FixtureStep, value: func(e time.Duration) (float64, bool) {
					return 10 + e.Seconds()/1440, true
				}},
				{labels: labels("city", "東京"), step: promserver.FixtureStep, value: func(e time.Duration) (float64, bool) {
					if e < 3*hour {
						return 20, true
					}
					return 30, true
				}},
				{labels: labels("city", "São Paulo"), step: promserver.FixtureStep, value: between(3*hour, 7*hour, 25)},
			},
		},
		{
			name: "fixture_queue_depth", typ: "gauge",
			help: "Queue depth with no samples from 02:00 to 03:00.",
			series: []series{
				{labels: labels("queue", "orders"), step: promserver.FixtureStep, value: func(e time.Duration) (float64, bool) {
					switch {
					case e < 2*hour:
						return 100, true
					case e < 3*hour:
						return 0, false
					default:
						return 200, true
					}
				}},
			},
		},
		{
			name: "fixture_special_values", typ: "gauge",
			help: "1 except NaN at 01:00, +Inf at 02:00 and -Inf at 03:00.",
			series: []series{
				{labels: labels("kind", "mixed"), step: promserver.FixtureStep, value: func(e time.Duration) (float64, bool) {
					switch e {
					case 1 * hour:
						return math.NaN(), true
					case 2 * hour:
						return math.Inf(1), true
					case 3 * hour:
						return math.Inf(-1), true
					}
					return 1, true
				}},
			},
		},
		{
			name: "fixture_canary_active", typ: "gauge",
			help: "Exists only from 01:30 to 02:30.",
			series: []series{
				{labels: labels("service", "checkout"), step: promserver.FixtureStep, value: between(90*minute, 150*minute, 1)},
			},
		},
		{
			name: "fixture_build_info", typ: "gauge",
			help: "Label values that need escaping.",
			series: []series{
				{labels: labels("version", `1.0 "beta" build`, "path", `C:\fixture\bin`), step: minute, value: always(1)},
			},
		},
		{
			name: "fixture_request_duration_seconds", typ: "histogram", unit: "seconds",
			help: "Request latency with linear bucket growth.",
			histograms: []histogram{
				{
					labels: labels("job", "api", "handler", "/query"), step: minute,
					bounds:    []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5},
					perSecond: []float64{1, 3, 6, 8, 9, 10, 10}, sumPerSecond: 3.75,
				},
				{
					labels: labels("job", "api", "handler", "/labels"), step: minute,
					bounds:    []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5},
					perSecond: []float64{2, 2, 2, 2, 2, 2, 2}, sumPerSecond: 0.0625,
				},
			},
		},
		{
			name: "fixture_shard_items", typ: "gauge",
			help:   "Fifty series (5 zones x 10 shards) for label listings.",
			series: shardSeries(),
		},
	}
}

// shardSeries builds 50 constant series; value = zoneIndex*10 + shardIndex.
// They are sampled every five minutes, which the default five-minute lookback
// still covers at every instant, to keep the fixture small.
func shardSeries() []series {
	var out []series
	for z, zone := range []string{"zone-a", "zone-b", "zone-c", "zone-d", "zone-e"} {
		for s := 0; s < 10; s++ {
			out = append(out, series{
				labels: labels("zone", zone, "shard", fmt.Sprintf("shard-%02d", s)),
				step:   5 * minute,
				value:  always(float64(z*10 + s)),
			})
		}
	}
	return out
}
