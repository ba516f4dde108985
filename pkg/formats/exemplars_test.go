package formats

import (
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleExemplarsTwoSigmaRule(t *testing.T) {
	// Values 10, 9, 1 in the first one-second bucket and 5 in the second: mean 6.25, sample variance 50.75/3,
	// so 2σ ≈ 8.23. The first bucket keeps 10, drops 9 (only 1 below 10) and keeps 1 (9 below 10).
	series := data.Labels{"__name__": "m_bucket", "job": "api"}
	f := exemplarFrameOf(series, []time.Time{t0.Add(100 * time.Millisecond), t0.Add(900 * time.Millisecond), t0.Add(500 * time.Millisecond), t0.Add(1500 * time.Millisecond)},
		[]float64{9, 10, 1, 5}, map[string][]string{"traceID": {"t9", "t10", "t1", "t5"}})
	other := seriesFrame("matrix", data.Labels{}, at(0), []float64{1})

	out := SampleExemplars(data.Frames{f, other}, time.Second)
	require.Len(t, out, 2)
	assert.Same(t, other, out[0], "the sampled frame comes after the others")
	ex := out[1]
	assert.Equal(t, "exemplar", ex.Name)
	assert.Equal(t, []string{"Time", "Value", "__name__", "job", "traceID"}, fieldNames(ex))
	assert.Equal(t, []any{t0.Add(500 * time.Millisecond), t0.Add(900 * time.Millisecond), t0.Add(1500 * time.Millisecond)}, column(ex.Fields[0]))
	assert.Equal(t, []any{1.0, 10.0, 5.0}, column(ex.Fields[1]))
	assert.Equal(t, []any{"t1", "t10", "t5"}, column(ex.Fields[4]))
	assert.Nil(t, ex.Fields[1].Labels)
	assert.Equal(t, "exemplar", ResultType(ex))
}

func TestSampleExemplarsEqualValuesKeepOnlyTheMaximum(t *testing.T) {
	f := exemplarFrameOf(data.Labels{}, at(0, 1, 2, 20), []float64{3, 3, 3, 3}, nil)
	ex := SampleExemplars(data.Frames{f}, 15*time.Second)[0]
	assert.Equal(t, []any{at(0)[0], at(20)[0]}, column(ex.Fields[0]), "σ = 0 keeps one exemplar per 15s bucket")
}

func TestSampleExemplarsSingleExemplar(t *testing.T) {
	f := exemplarFrameOf(data.Labels{"a": "b"}, at(7), []float64{42}, nil)
	ex := SampleExemplars(data.Frames{f}, time.Minute)
	require.Len(t, ex, 1)
	assert.Equal(t, []any{42.0}, column(ex[0].Fields[1]))
	assert.Equal(t, []any{"b"}, column(ex[0].Fields[2]))
}

func TestSampleExemplarsLabelUnionAndMeta(t *testing.T) {
	first := exemplarFrameOf(data.Labels{"__name__": "m", "job": "api", "zone": "a"}, at(0), []float64{1},
		map[string][]string{"traceID": {"t1"}, "zone": {"override"}})
	second := exemplarFrameOf(data.Labels{"__name__": "m", "instance": "i-2"}, at(30), []float64{2},
		map[string][]string{"spanID": {"s2"}, "traceID": {""}})
	second.RefID = "A"
	second.Meta.Notices = []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "from the last frame"}}

	out := SampleExemplars(data.Frames{first, second}, 15*time.Second)
	require.Len(t, out, 1)
	ex := out[0]
	assert.Equal(t, []string{"Time", "Value", "__name__", "instance", "job", "spanID", "traceID", "zone"}, fieldNames(ex))
	assert.Equal(t, []any{"m", "m"}, column(ex.Fields[2]))
	assert.Equal(t, []any{"", "i-2"}, column(ex.Fields[3]))
	assert.Equal(t, []any{"api", ""}, column(ex.Fields[4]))
	assert.Equal(t, []any{"", "s2"}, column(ex.Fields[5]))
	assert.Equal(t, []any{"t1", ""}, column(ex.Fields[6]))
	assert.Equal(t, []any{"override", ""}, column(ex.Fields[7]), "an exemplar label wins over its series label")
	assert.Equal(t, "A", ex.RefID)
	assert.Equal(t, second.Meta.Notices, ex.Meta.Notices, "meta of the last exemplar frame")
}

func TestSampleExemplarsWithoutExemplars(t *testing.T) {
	plain := data.Frames{seriesFrame("matrix", data.Labels{}, at(0), []float64{1})}
	assert.Equal(t, plain, SampleExemplars(plain, time.Second), "no exemplar frames: unchanged")

	empty := exemplarFrameOf(data.Labels{"a": "b"}, []time.Time{}, []float64{}, nil)
	assert.Empty(t, SampleExemplars(data.Frames{empty}, time.Second), "no exemplars: no frame")
}

func TestSampleExemplarsNaNNeverHidesTheMaximum(t *testing.T) {
	f := exemplarFrameOf(data.Labels{}, at(0, 1), []float64{math.NaN(), 2}, nil)
	ex := SampleExemplars(data.Frames{f}, time.Minute)[0]
	assert.Equal(t, []any{2.0}, column(ex.Fields[1]))
}

func TestSampleStdDevIsTheSampleDeviation(t *testing.T) {
	var all []exemplar
	for _, v := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		all = append(all, exemplar{value: v})
	}
	assert.InDelta(t, math.Sqrt(32.0/7), sampleStdDev(all), 1e-12, "n-1 in the denominator")
	assert.Equal(t, 0.0, sampleStdDev(all[:1]))
	assert.Equal(t, int64(-2), floorDiv(-1500, 1000), "timestamps before 1970 fall in the bucket below")
}
