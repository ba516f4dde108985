package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/gtime"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/formats"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/querycache"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

// benchPanels are the eight panels of the simulated dashboard, over the test Prometheus' fixture.
var benchPanels = []string{
	`sum by (job) (rate(fixture_http_requests_total[$__rate_interval]))`,
	`rate(fixture_http_requests_total[$__rate_interval])`,
	`histogram_quantile(0.9, sum by (le) (rate(fixture_request_duration_seconds_bucket[$__rate_interval])))`,
	`fixture_temperature_celsius`,
	`fixture_queue_depth`,
	`avg_over_time(fixture_up[5m])`,
	`fixture_shard_items`,
	`sum(rate(fixture_http_requests_total[5m]))`,
}

// countingTransport counts range requests on their way upstream.
type countingTransport struct {
	next     http.RoundTripper
	requests atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, promclient.PathQueryRange) {
		c.requests.Add(1)
	}
	return c.next.RoundTrip(r)
}

// simResult is what one simulated run cost.
type simResult struct {
	requests, refreshes int64
	samples             float64
	cpu                 time.Duration
	cacheBytes          int64
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// simulate replays viewers watching the dashboard for watch, each refreshing every refresh from a random phase, on
// a simulated clock that ends at the fixture's last sample. Every viewer refresh sends the eight panel queries.
func simulate(b *testing.B, promURL *url.URL, cached bool, viewers int, widths []int64, watch, refresh, rangeDur time.Duration) simResult {
	b.Helper()
	now := promserver.FixtureEnd.Add(-watch)
	clock := func() time.Time { return now }
	ct := &countingTransport{next: http.DefaultTransport}
	hc := &http.Client{Transport: ct}
	s := &models.Settings{URL: promURL, HTTPMethod: http.MethodPost, QueryStatsEnabled: true,
		IncrementalQuerying: cached, IncrementalQueryOverlap: models.DefaultIncrementalQueryOverlap}
	d := &Datasource{settings: s, client: promclient.New(hc, s), cacheParams: cacheParams(s),
		cacheDS: querycache.DataSource{ID: 1, UID: "bench", Version: 1}}
	if cached {
		d.cache = querycache.NewWithClock(querycache.DefaultMaxBytes, clock)
	}
	type event struct {
		at     time.Duration
		viewer int
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var events []event
	for v := range viewers {
		for at := time.Duration(rng.Int64N(int64(refresh))); at <= watch; at += refresh {
			events = append(events, event{at: at, viewer: v})
		}
	}
	sort.Slice(events, func(i, j int) bool { return events[i].at < events[j].at })

	var res simResult
	start := promserver.FixtureEnd.Add(-watch)
	for _, ev := range events {
		now = start.Add(ev.at)
		req := &backend.QueryDataRequest{}
		for i, expr := range benchPanels {
			width := widths[i%len(widths)]
			// Grafana's frontend sends the panel width as maxDataPoints and the rounded interval as intervalMs.
			intervalMs := gtime.RoundInterval(rangeDur / time.Duration(width)).Milliseconds()
			raw, _ := json.Marshal(map[string]any{"expr": expr, "range": true, "intervalMs": intervalMs, "maxDataPoints": width})
			req.Queries = append(req.Queries, backend.DataQuery{RefID: fmt.Sprint("P", i), JSON: raw, MaxDataPoints: width,
				Interval: time.Duration(intervalMs) * time.Millisecond, TimeRange: backend.TimeRange{From: now.Add(-rangeDur), To: now}})
		}
		before := cpuTime()
		resp, err := d.QueryData(context.Background(), req)
		res.cpu += cpuTime() - before
		if err != nil {
			b.Fatal(err)
		}
		for ref, r := range resp.Responses {
			if r.Error != nil {
				b.Fatalf("panel %s: %v", ref, r.Error)
			}
			for _, st := range r.Frames[0].Meta.Stats {
				if st.DisplayName == formats.StatTotalQueryableSamples {
					res.samples += st.Value
				}
			}
		}
		res.refreshes += int64(len(req.Queries))
	}
	res.requests = ct.requests.Load()
	if d.cache != nil {
		res.cacheBytes, _ = d.cache.Usage()
	}
	return res
}

// BenchmarkDashboardViewers is the cost of ten viewers watching an eight-panel, 6 h dashboard that refreshes every
// 30 s, for 10 minutes of simulated time, against the test Prometheus: upstream range requests and samples
// processed (stats=all) without and with the query cache, compared with a single viewer, and the plugin's CPU
// time per panel refresh. Run it with -benchtime=1x.
func BenchmarkDashboardViewers(b *testing.B) {
	fixture, err := promserver.DefaultFixturePath()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	prom, err := promserver.Start(ctx, promserver.Options{Fixture: fixture, WorkDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = prom.Stop() }()
	promURL, err := url.Parse(prom.URL + "/")
	if err != nil {
		b.Fatal(err)
	}
	layouts := []struct {
		name   string
		widths []int64 // panel widths in pixels
	}{
		{name: "half_and_third_width_panels", widths: []int64{900, 900, 900, 900, 600, 600, 600, 600}},
		{name: "full_width_panels", widths: []int64{1800}},
	}
	const watch, refresh, rangeDur, viewers = 10 * time.Minute, 30 * time.Second, 6 * time.Hour, 10
	for _, layout := range layouts {
		b.Run(layout.name, func(b *testing.B) {
			var single, off, on simResult
			for range b.N {
				single = simulate(b, promURL, false, 1, layout.widths, watch, refresh, rangeDur)
				off = simulate(b, promURL, false, viewers, layout.widths, watch, refresh, rangeDur)
				on = simulate(b, promURL, true, viewers, layout.widths, watch, refresh, rangeDur)
			}
			b.ReportMetric(float64(single.requests), "single-viewer-requests")
			b.ReportMetric(float64(off.requests), "uncached-requests")
			b.ReportMetric(float64(on.requests), "cached-requests")
			b.ReportMetric(float64(on.requests)/float64(single.requests), "cached/single-requests")
			b.ReportMetric(off.samples, "uncached-samples")
			b.ReportMetric(on.samples, "cached-samples")
			b.ReportMetric(100*on.samples/off.samples, "cached-%-of-uncached-samples")
			b.ReportMetric(float64(off.cpu.Microseconds())/float64(off.refreshes), "uncached-cpu-µs/refresh")
			b.ReportMetric(float64(on.cpu.Microseconds())/float64(on.refreshes), "cached-cpu-µs/refresh")
			b.ReportMetric(float64(on.cacheBytes), "cache-bytes")
		})
	}
}
