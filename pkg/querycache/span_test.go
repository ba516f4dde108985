package querycache

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestGridFloor(t *testing.T) {
	tests := []struct {
		name            string
		start, step, at int64
		want, wantPhase int64
	}{
		{name: "UTC grid", start: 60_000, step: 15_000, at: 74_999, want: 60_000},
		{name: "on a point", start: 60_000, step: 15_000, at: 75_000, want: 75_000},
		{name: "offset grid (utcOffsetSec)", start: 3_600_000 + 7_000, step: 60_000, at: 3_700_000, want: 3_667_000, wantPhase: 7_000},
		{name: "before the epoch", start: -45_000, step: 30_000, at: -1, want: -15_000, wantPhase: 15_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newGrid(tc.start, tc.step)
			assert.Equal(t, tc.wantPhase, g.phase)
			assert.Equal(t, tc.want, g.floor(tc.at))
		})
	}
}

func TestPlanFetch(t *testing.T) {
	const s = 10_000 // a 10 s step
	g := grid{step: s}
	none := span{From: 1, To: 0}
	tests := []struct {
		name      string
		cached    span
		fetchedAt int64
		req       span
		fresh     int64
		want      []span
		replace   bool
	}{
		{name: "empty cache fetches the whole range", cached: none, req: span{0, 100 * s}, fresh: 50 * s,
			want: []span{{0, 100 * s}}, replace: true},
		{name: "a past range is a full hit", cached: span{0, 100 * s}, fetchedAt: 200 * s, req: span{10 * s, 90 * s}, fresh: 150 * s},
		{name: "sliding window: new points and the overlap window", cached: span{0, 100 * s}, fetchedAt: 100 * s,
			req: span{3 * s, 103 * s}, fresh: 93 * s, want: []span{{94 * s, 103 * s}}},
		{name: "overlap window reaches past the cached end", cached: span{0, 100 * s}, fetchedAt: 100 * s,
			req: span{3 * s, 103 * s}, fresh: 101 * s, want: []span{{101 * s, 103 * s}}},
		{name: "the same step bucket again reuses the fetch", cached: span{0, 100 * s}, fetchedAt: 100*s + 4_000,
			req: span{0, 100 * s}, fresh: 40 * s},
		{name: "a fetch made before the requested end existed is not reused", cached: span{0, 100 * s}, fetchedAt: 100*s - 1,
			req: span{0, 100 * s}, fresh: 40 * s, want: []span{{41 * s, 100 * s}}},
		{name: "missing head", cached: span{50 * s, 100 * s}, fetchedAt: 500 * s, req: span{20 * s, 100 * s}, fresh: 300 * s,
			want: []span{{20 * s, 49 * s}}},
		{name: "missing head and tail", cached: span{50 * s, 60 * s}, fetchedAt: 500 * s, req: span{20 * s, 100 * s}, fresh: 300 * s,
			want: []span{{20 * s, 49 * s}, {61 * s, 100 * s}}},
		{name: "a gap replaces the entry", cached: span{0, 10 * s}, fetchedAt: 500 * s, req: span{20 * s, 30 * s}, fresh: 300 * s,
			want: []span{{20 * s, 30 * s}}, replace: true},
		{name: "cached data all inside the overlap window is not used", cached: span{90 * s, 100 * s}, fetchedAt: 100 * s,
			req: span{0, 101 * s}, fresh: 80 * s, want: []span{{0, 101 * s}}, replace: true},
		{name: "a single-point range", cached: span{0, 100 * s}, fetchedAt: 100 * s, req: span{50 * s, 50 * s}, fresh: 90 * s},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := planFetch(g, tc.cached, tc.fetchedAt, tc.req, tc.fresh)
			assert.Equal(t, tc.want, p.fetch)
			assert.Equal(t, tc.replace, p.replace)
		})
	}
}

func TestSpanPoints(t *testing.T) {
	assert.Equal(t, int64(11), span{0, 100}.points(10))
	assert.Equal(t, int64(1), span{5, 5}.points(10))
	assert.Equal(t, int64(0), span{6, 5}.points(10))
	assert.Equal(t, int64(24*60*4+1), span{0, (24 * time.Hour).Milliseconds()}.points(15_000))
}

// TestDayStepsAcrossDaylightSavingTime checks that a 1d grid for a user in New York (utcOffsetSec -18000, as the
// frontend sends it for the whole range) stays exactly 24 h apart across the March DST change: Grafana aligns with
// a fixed offset, so the cache's grid must not follow the zone's rules either.
func TestDayStepsAcrossDaylightSavingTime(t *testing.T) {
	day := 24 * time.Hour
	offset := -5 * time.Hour
	// Grafana's alignment: floor((t + offset) / step) * step - offset.
	align := func(t time.Time) time.Time { return t.Add(offset).Truncate(day).Add(-offset) }
	start := align(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	g := newGrid(start.UnixMilli(), day.Milliseconds())
	assert.Equal(t, (5 * time.Hour).Milliseconds(), g.phase)
	var prev int64
	for d := range 20 {
		at := time.Date(2026, 3, 1+d, 4, 59, 0, 0, time.UTC) // a minute before local midnight, before and after 8 March
		p := g.floor(at.UnixMilli())
		assert.Equal(t, align(at).UnixMilli(), p, "day %d", d)
		if d > 0 {
			assert.Equal(t, day.Milliseconds(), p-prev, "day %d", d)
		}
		prev = p
	}
}
