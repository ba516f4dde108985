package querycache

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/require"
)

// epoch is a fixed, step-aligned start for simulated clocks.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// clock is a simulated clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// upstream is a fake Prometheus: series "a" always exists, "0" and "b" (one sorting before "a", one after) only
// between bFrom and bTo, and a value can be
// revised (a late sample) with revise. It answers a range with one frame per series, shaped like the converter's.
type upstream struct {
	step       time.Duration
	bFrom, bTo time.Time
	mu         sync.Mutex
	revised    map[int64]float64
	calls      atomic.Int64
	warnings   []string
	ranges     [][2]time.Time
}

func (u *upstream) value(name string, t time.Time) float64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	if v, ok := u.revised[t.UnixMilli()]; ok && name == "a" {
		return v
	}
	return float64(t.Unix()%1000) + float64(len(name))
}

func (u *upstream) revise(t time.Time, v float64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.revised == nil {
		u.revised = map[int64]float64{}
	}
	u.revised[t.UnixMilli()] = v
}

func (u *upstream) answer(from, to time.Time) *Part {
	p := &Part{Warnings: u.warnings, Stats: map[string]any{"samples": map[string]any{"totalQueryableSamples": float64(0)}}}
	for _, name := range []string{"0", "a", "b"} {
		var times []time.Time
		var values []float64
		for t := from; !t.After(to); t = t.Add(u.step) {
			if name != "a" && (t.Before(u.bFrom) || !t.Before(u.bTo)) {
				continue
			}
			times = append(times, t)
			values = append(values, u.value(name, t))
		}
		if len(times) == 0 {
			continue
		}
		p.Frames = append(p.Frames, seriesFrame(data.Labels{"__name__": "m", "s": name}, times, values))
		samples := p.Stats["samples"].(map[string]any)
		samples["totalQueryableSamples"] = samples["totalQueryableSamples"].(float64) + float64(len(times))
	}
	return p
}

func seriesFrame(labels data.Labels, times []time.Time, values []float64) *data.Frame {
	f := data.NewFrame("", data.NewField("Time", nil, times), data.NewField("Value", labels, values))
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1},
		Custom: map[string]any{"resultType": "matrix"}}
	return f
}

func (u *upstream) fetch(_ context.Context, from, to time.Time) (*Part, error) {
	u.calls.Add(1)
	u.mu.Lock()
	u.ranges = append(u.ranges, [2]time.Time{from, to})
	u.mu.Unlock()
	return u.answer(from, to), nil
}

func testKey(step time.Duration) Key {
	return Key{DataSource: DataSource{ID: 1, UID: "ds", Version: 1}, Expr: "m", Step: step}
}

// rowsOf flattens frames to "labels@time=value" lines, sorted by frame order then time, for comparison.
func rowsOf(t *testing.T, frames data.Frames) []string {
	t.Helper()
	var out []string
	for _, f := range frames {
		require.Len(t, f.Fields, 2)
		for i := range f.Rows() {
			out = append(out, fmt.Sprintf("%s@%s=%v", f.Fields[1].Labels, f.Fields[0].At(i).(time.Time).Format(time.RFC3339), f.Fields[1].At(i)))
		}
	}
	return out
}

// requireSameFrames checks that two answers have the same series in the same order, with the same rows, names
// and meta.
func requireSameFrames(t *testing.T, want, got data.Frames) {
	t.Helper()
	require.Equal(t, rowsOf(t, want), rowsOf(t, got))
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, want[i].Meta, got[i].Meta)
		for j := range want[i].Fields {
			require.Equal(t, want[i].Fields[j].Name, got[i].Fields[j].Name)
			require.Equal(t, want[i].Fields[j].Labels, got[i].Fields[j].Labels)
		}
	}
}
