package converter

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter/internal/benchgen"
)

// matrixBody builds a matrix answer; each series is given as its sample times in seconds, and its value is its
// index.
func matrixBody(series ...[]int) string {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for i, times := range series {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"metric":{"s":"%d"},"values":[`, i)
		for j, t := range times {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `[%d,"%d"]`, t, i)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}}`)
	return b.String()
}

// timesOf returns a frame's time column.
func timesOf(f *data.Frame) []time.Time {
	out := make([]time.Time, f.Fields[0].Len())
	for i := range out {
		out[i] = f.Fields[0].At(i).(time.Time)
	}
	return out
}

func seconds(ts ...int) []time.Time {
	out := make([]time.Time, len(ts))
	for i, s := range ts {
		out[i] = time.Unix(int64(s), 0).UTC()
	}
	return out
}

func TestSeriesWithEqualTimestampsShareTheTimeField(t *testing.T) {
	full := []int{0, 15, 30, 45}
	gapA := []int{0, 30, 45}
	gapB := []int{0, 15, 45}
	sameEnds := []int{0, 20, 45} // equal length and ends, different middle
	res := read(t, matrixBody(full, gapA, full, gapB, full, sameEnds, full, gapA))
	require.Len(t, res.Frames, 8)
	want := [][]int{full, gapA, full, gapB, full, sameEnds, full, gapA}
	for i, f := range res.Frames {
		assert.Equal(t, seconds(want[i]...), timesOf(f), "frame %d times", i)
		for row := 0; row < f.Fields[1].Len(); row++ {
			assert.Equal(t, float64(i), f.Fields[1].At(row), "frame %d value", i)
		}
	}
	fr := res.Frames
	assert.Same(t, fr[0].Fields[0], fr[2].Fields[0], "equal columns share one field")
	assert.Same(t, fr[0].Fields[0], fr[4].Fields[0])
	assert.Same(t, fr[0].Fields[0], fr[6].Fields[0], "the common column survives gaps in between")
	assert.Same(t, fr[1].Fields[0], fr[7].Fields[0])
	assert.NotSame(t, fr[0].Fields[0], fr[1].Fields[0], "a series with a gap has its own column")
	assert.NotSame(t, fr[1].Fields[0], fr[3].Fields[0])
	assert.NotSame(t, fr[3].Fields[0], fr[5].Fields[0], "equal length and ends are not enough")
	assert.NotSame(t, fr[0].Fields[0], fr[5].Fields[0])
	for i, f := range fr {
		assert.NotSame(t, f.Fields[1], fr[(i+1)%len(fr)].Fields[1], "value fields are never shared")
	}
}

func TestSharedTimeFieldsEvictTheLeastRecentlyUsed(t *testing.T) {
	series := [][]int{{0, 15}}
	for i := 1; i <= sharedTimeSlots; i++ {
		series = append(series, []int{i}) // fills the other slots, then evicts one of them, not {0, 15}
		series = append(series, []int{0, 15})
	}
	series = append(series, []int{1})
	res := read(t, matrixBody(series...))
	first := res.Frames[0].Fields[0]
	for i := 2; i < len(series)-1; i += 2 {
		assert.Same(t, first, res.Frames[i].Fields[0], "frame %d", i)
	}
	last := res.Frames[len(series)-1]
	assert.Equal(t, seconds(1), timesOf(last))
	assert.NotSame(t, res.Frames[1].Fields[0], last.Fields[0], "{1} was the least recently used column and was evicted")
}

func TestResponsesNeverShareFields(t *testing.T) {
	body := matrixBody([]int{0, 15}, []int{0, 15})
	first := read(t, body)
	second := read(t, body)
	assert.Same(t, first.Frames[0].Fields[0], first.Frames[1].Fields[0])
	assert.NotSame(t, first.Frames[0].Fields[0], second.Frames[0].Fields[0], "a pooled decoder forgets its fields")

	Decorate(first, Decoration{Expr: "a", Step: 15 * time.Second})
	Decorate(second, Decoration{Expr: "b", Step: time.Minute})
	assert.Equal(t, 15000.0, first.Frames[1].Fields[0].Config.Interval, "decorating one response leaves the other")
	assert.Equal(t, 60000.0, second.Frames[1].Fields[0].Config.Interval)
}

func TestFirstFrameGetsItsOwnCustomMeta(t *testing.T) {
	res := read(t, matrixBody([]int{0}, []int{15}))
	assert.Equal(t, res.Frames[0].Meta.Custom, res.Frames[1].Meta.Custom)
	assert.NotSame(t, res.Frames[0].Meta, res.Frames[1].Meta, "each frame has its own meta")
	frames := Decorate(res, Decoration{Expr: "s", Step: 15 * time.Second})
	assert.Equal(t, map[string]any{"resultType": "matrix", "calculatedMinStep": int64(15000)}, frames[0].Meta.Custom)
	assert.Equal(t, map[string]any{"resultType": "matrix"}, frames[1].Meta.Custom, "the other frames keep theirs")
	assert.Empty(t, frames[1].Meta.ExecutedQueryString)
}

func TestEqualTimes(t *testing.T) {
	a := seconds(1, 2, 3)
	assert.True(t, equalTimes(a, seconds(1, 2, 3)))
	assert.True(t, equalTimes(nil, []time.Time{}))
	assert.False(t, equalTimes(a, seconds(1, 2)))
	assert.False(t, equalTimes(a, seconds(0, 2, 3)))
	assert.False(t, equalTimes(a, seconds(1, 2, 4)))
	assert.False(t, equalTimes(a, seconds(1, 5, 3)))
	assert.False(t, equalTimes(a, []time.Time{a[0].In(time.FixedZone("X", 3600)), a[1], a[2]}),
		"the same instant in another location is another value")
}

func TestBenchmarkMatricesShareAsIntended(t *testing.T) {
	full, err := ReadResponse(benchgen.Matrix(3, 5))
	require.NoError(t, err)
	gaps, err := ReadResponse(benchgen.MatrixWithGaps(3, 5))
	require.NoError(t, err)
	require.Len(t, full.Frames, 3)
	require.Len(t, gaps.Frames, 3)
	for i := range 3 {
		assert.Same(t, full.Frames[0].Fields[0], full.Frames[i].Fields[0])
		assert.Equal(t, 4, gaps.Frames[i].Rows())
		missing := time.Unix(1767225600+15*int64(i), 0).UTC()
		assert.NotContains(t, timesOf(gaps.Frames[i]), missing, "series %d lacks step %d", i, i)
		for j := range i {
			assert.NotSame(t, gaps.Frames[j].Fields[0], gaps.Frames[i].Fields[0])
		}
	}
}

// BenchmarkSharedTimes compares a matrix whose series share their timestamps with one where every series has a gap
// of its own, so that no column is shared.
func BenchmarkSharedTimes(b *testing.B) {
	const series, points = 200, 2000
	full := make([]int, points)
	for i := range full {
		full[i] = i * 15
	}
	shared := make([][]int, series)
	distinct := make([][]int, series)
	for s := range shared {
		shared[s] = full
		distinct[s] = append(append([]int{}, full[:s]...), full[s+1:]...)
	}
	for _, bc := range []struct {
		name string
		body string
	}{{"shared", matrixBody(shared...)}, {"distinct", matrixBody(distinct...)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadResponse(strings.NewReader(bc.body)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
