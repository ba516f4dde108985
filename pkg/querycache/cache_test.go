package querycache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestCache(clk *clock) *Cache {
	return NewWithClock(DefaultMaxBytes, clk.now)
}

// request is a relative range "now-rangeDur to now", aligned like Grafana aligns it.
func request(k Key, now time.Time, rangeDur, overlap time.Duration) Request {
	end := now.Truncate(k.Step)
	return Request{Key: k, From: now.Add(-rangeDur).Truncate(k.Step), To: end, Overlap: overlap}
}

// TestSlidingWindowMatchesUncached refreshes a 1 h panel every 30 s for an hour while a series appears and
// disappears and late samples revise recent values, and compares every answer with an uncached one.
func TestSlidingWindowMatchesUncached(t *testing.T) {
	step := 15 * time.Second
	clk := &clock{t: epoch.Add(6 * time.Hour)}
	up := &upstream{step: step, bFrom: clk.t.Add(10 * time.Minute), bTo: clk.t.Add(40 * time.Minute)}
	c := newTestCache(clk)
	k := testKey(step)
	for i := 0; i < 120; i++ {
		if i%7 == 3 {
			// A late sample inside the overlap window.
			up.revise(clk.now().Truncate(step).Add(-5*time.Minute), float64(-i))
		}
		req := request(k, clk.now(), time.Hour, 10*time.Minute)
		before := up.calls.Load()
		got, err := c.Query(context.Background(), req, up.fetch)
		require.NoError(t, err)
		want := up.answer(req.From, req.To)
		requireSameFrames(t, want.Frames, got.Frames)
		if i == 0 {
			assert.Equal(t, StatusMiss, got.Status)
		} else {
			assert.Equal(t, StatusPartial, got.Status, "refresh %d", i)
			assert.Equal(t, int64(1), up.calls.Load()-before, "one upstream request per refresh")
			// The points newer than now-10m (40 of 15 s, new ones included) out of the hour's 241 are fetched.
			assert.InDelta(t, 1-40.0/241, got.CachedFraction, 1e-9)
		}
		clk.advance(30 * time.Second)
	}
}

func TestFullHitForPastRange(t *testing.T) {
	step := time.Minute
	clk := &clock{t: epoch.Add(48 * time.Hour)}
	up := &upstream{step: step}
	c := newTestCache(clk)
	req := Request{Key: testKey(step), From: epoch, To: epoch.Add(6 * time.Hour), Overlap: 10 * time.Minute}
	_, err := c.Query(context.Background(), req, up.fetch)
	require.NoError(t, err)
	clk.advance(time.Hour)
	// A narrower range inside the cached one is a hit.
	req.From, req.To = epoch.Add(time.Hour), epoch.Add(2*time.Hour)
	got, err := c.Query(context.Background(), req, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, StatusHit, got.Status)
	assert.Equal(t, 1.0, got.CachedFraction)
	assert.Equal(t, int64(1), up.calls.Load())
	requireSameFrames(t, up.answer(req.From, req.To).Frames, got.Frames)
	// A wider one fetches only the missing head.
	req.From = epoch.Add(-time.Hour)
	got, err = c.Query(context.Background(), req, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, StatusPartial, got.Status)
	assert.Equal(t, [][2]time.Time{{epoch.Add(-time.Hour), epoch.Add(-time.Minute)}}, got.Fetched)
	requireSameFrames(t, up.answer(req.From, req.To).Frames, got.Frames)
}

func TestStepsAndOffsetsDoNotMix(t *testing.T) {
	clk := &clock{t: epoch.Add(48 * time.Hour)}
	c := newTestCache(clk)
	for _, tc := range []struct {
		step   time.Duration
		offset time.Duration
	}{{time.Minute, 0}, {30 * time.Second, 0}, {time.Minute, 0}, {time.Minute, 7 * time.Second}} {
		up := &upstream{step: tc.step}
		from := epoch.Add(-tc.offset)
		req := Request{Key: testKey(tc.step), From: from, To: from.Add(time.Hour), Overlap: time.Minute}
		got, err := c.Query(context.Background(), req, up.fetch)
		require.NoError(t, err)
		requireSameFrames(t, up.answer(req.From, req.To).Frames, got.Frames)
	}
	_, entries := c.Usage()
	assert.Equal(t, 3, entries, "one entry per step and grid offset")
}

func TestErrorsAreNotCached(t *testing.T) {
	clk := &clock{t: epoch.Add(48 * time.Hour)}
	c := newTestCache(clk)
	req := Request{Key: testKey(time.Minute), From: epoch, To: epoch.Add(time.Hour)}
	boom := errors.New("upstream failed")
	calls := 0
	_, err := c.Query(context.Background(), req, func(context.Context, time.Time, time.Time) (*Part, error) {
		calls++
		return nil, boom
	})
	require.ErrorIs(t, err, boom)
	up := &upstream{step: time.Minute}
	got, err := c.Query(context.Background(), req, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, StatusMiss, got.Status)
	assert.Equal(t, 1, calls)
}

func TestPartialAnswersAreServedButNotCached(t *testing.T) {
	clk := &clock{t: epoch.Add(48 * time.Hour)}
	c := newTestCache(clk)
	up := &upstream{step: time.Minute, warnings: []string{"PromQL warning: partial response: store unavailable"}}
	req := Request{Key: testKey(time.Minute), From: epoch, To: epoch.Add(time.Hour)}
	for range 2 {
		got, err := c.Query(context.Background(), req, up.fetch)
		require.NoError(t, err)
		assert.Equal(t, StatusMiss, got.Status)
		assert.Equal(t, up.warnings, got.Warnings)
	}
	assert.Equal(t, int64(2), up.calls.Load())
	_, entries := c.Usage()
	assert.Zero(t, entries)
}

func TestWarningsTravelWithCachedData(t *testing.T) {
	clk := &clock{t: epoch.Add(48 * time.Hour)}
	c := newTestCache(clk)
	up := &upstream{step: time.Minute}
	req := Request{Key: testKey(time.Minute), From: epoch, To: epoch.Add(time.Hour)}
	_, err := c.Query(context.Background(), req, func(ctx context.Context, from, to time.Time) (*Part, error) {
		p, _ := up.fetch(ctx, from, to)
		p.Infos = []string{"PromQL info: metric might not be a counter"}
		return p, nil
	})
	require.NoError(t, err)
	got, err := c.Query(context.Background(), req, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, StatusHit, got.Status)
	assert.Equal(t, []string{"PromQL info: metric might not be a counter"}, got.Infos)
	assert.Nil(t, got.Stats, "a hit cost upstream nothing")
}

func TestHistogramSeriesAreSlicedByTime(t *testing.T) {
	clk := &clock{t: epoch.Add(48 * time.Hour)}
	c := newTestCache(clk)
	step := time.Minute
	// Two bucket rows per timestamp, as native histogram frames have.
	hist := func(from, to time.Time) *Part {
		var xs []time.Time
		var lo, hi, n []float64
		var layout []int8
		for t := from; !t.After(to); t = t.Add(step) {
			for b := range 2 {
				xs = append(xs, t)
				lo, hi, n = append(lo, float64(b)), append(hi, float64(b+1)), append(n, float64(t.Unix()%97+int64(b)))
				layout = append(layout, 0)
			}
		}
		l := data.Labels{"__name__": "h"}
		f := data.NewFrame("", data.NewField("xMax", l, xs), data.NewField("yMin", l, lo), data.NewField("yMax", l, hi),
			data.NewField("count", l, n), data.NewField("yLayout", l, layout))
		f.Meta = &data.FrameMeta{Type: "heatmap-cells"}
		return &Part{Frames: data.Frames{f}}
	}
	fetch := func(_ context.Context, from, to time.Time) (*Part, error) { return hist(from, to), nil }
	req := Request{Key: testKey(step), From: epoch, To: epoch.Add(time.Hour)}
	_, err := c.Query(context.Background(), req, fetch)
	require.NoError(t, err)
	req.From, req.To = epoch.Add(-10*time.Minute), epoch.Add(30*time.Minute)
	got, err := c.Query(context.Background(), req, fetch)
	require.NoError(t, err)
	assert.Equal(t, StatusPartial, got.Status)
	want := hist(req.From, req.To).Frames[0]
	require.Len(t, got.Frames, 1)
	assert.Equal(t, want.Meta, got.Frames[0].Meta)
	require.Equal(t, want.Rows(), got.Frames[0].Rows())
	for i, f := range want.Fields {
		for r := range want.Rows() {
			require.Equal(t, f.At(r), got.Frames[0].Fields[i].At(r), "field %s row %d", f.Name, r)
		}
	}
}

func TestUncacheableRequests(t *testing.T) {
	c := New(DefaultMaxBytes)
	up := &upstream{step: time.Second}
	_, err := c.Query(context.Background(), Request{Key: testKey(0), From: epoch, To: epoch}, up.fetch)
	assert.True(t, IsUncacheable(err))
	_, err = c.Query(context.Background(), Request{Key: testKey(1500 * time.Microsecond), From: epoch, To: epoch}, up.fetch)
	assert.True(t, IsUncacheable(err))
	_, err = c.Query(context.Background(), Request{Key: testKey(time.Second), From: epoch, To: epoch.Add(time.Minute)},
		func(context.Context, time.Time, time.Time) (*Part, error) {
			return &Part{Frames: data.Frames{data.NewFrame("", data.NewField("Value", nil, []string{"x"}))}}, nil
		})
	assert.True(t, IsUncacheable(err))
}
