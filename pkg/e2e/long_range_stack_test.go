package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promwrite"
)

// longRangeDays is how much data the long-range fixture holds: well over AMP's 32-day query limit.
const longRangeDays = 91

// longRangeStack is a Prometheus with a long-range fixture and an emulator with AMP's default limits in front of
// it; the shared plugin queries it through a data source whose URL points at this emulator.
type longRangeStack struct {
	start time.Time
	prom  string
	amp   *ampemu.Emulator
}

// longRangeData is two counters sampled hourly: series "a" over all the days, series "b" only over the second
// half, so that some sub-ranges of a split query lack it. The data is remote-written rather than backfilled:
// promtool cuts a backfill into two-hour blocks, over a thousand for three months, which takes minutes.
func longRangeData(start time.Time) *prompb.WriteRequest {
	req := &prompb.WriteRequest{}
	hours := longRangeDays * 24
	for _, series := range []string{"a", "b"} {
		ts := prompb.TimeSeries{Labels: []prompb.Label{{Name: "__name__", Value: "long_range_total"}, {Name: "series", Value: series}}}
		for h := 0; h <= hours; h++ {
			if series == "b" && h < hours/2 {
				continue
			}
			ts.Samples = append(ts.Samples, prompb.Sample{Value: float64(h * (h%7 + 1)), Timestamp: start.Add(time.Duration(h) * time.Hour).UnixMilli()})
		}
		req.Timeseries = append(req.Timeseries, ts)
	}
	return req
}

func startLongRangeStack(t *testing.T) longRangeStack {
	t.Helper()
	// The head takes samples after the fixture's blocks only, and the data must end before now.
	start := promserver.FixtureEnd.Add(24 * time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fixture, err := promserver.DefaultFixturePath()
	require.NoError(t, err)
	// NativeHistograms also turns on the remote-write receiver.
	prom, amp := startOwnWorkspace(t, ctx, promserver.Options{Fixture: fixture, WorkDir: t.TempDir(), NativeHistograms: true})
	require.NoError(t, promwrite.Push(ctx, nil, prom.URL, longRangeData(start)), prom.Logs())
	return longRangeStack{start: start, prom: prom.URL, amp: amp}
}
