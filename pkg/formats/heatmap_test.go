package formats

import (
	"math"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bucketFrame(le string, legend string, values ...float64) *data.Frame {
	secs := make([]int, len(values))
	for i := range secs {
		secs[i] = 60 * i
	}
	f := seriesFrame("matrix", data.Labels{"le": le, "handler": "/q"}, at(secs...), values)
	if legend != "" {
		f.Fields[1].Config = &data.FieldConfig{DisplayNameFromDS: legend}
	}
	return f
}

func TestHeatmapSortsAndDeaccumulates(t *testing.T) {
	inf := bucketFrame("+Inf", "+Inf", 10, 20)
	inf.Meta.ExecutedQueryString = "Expr: b\nStep: 1m0s"
	small := bucketFrame("0.1", "0.1", 3, 5)
	large := bucketFrame("1", "", 8, 15)
	cells := heatmapCellsFrame()

	out := Heatmap(data.Frames{inf, small, cells, large})
	require.Len(t, out, 2)
	assert.Same(t, cells, out[1], "native histogram frames pass through untouched")

	h := out[0]
	assert.Equal(t, FrameTypeHeatmapRows, h.Meta.Type)
	assert.Equal(t, "Expr: b\nStep: 1m0s", h.Meta.ExecutedQueryString, "meta of the response's first frame")
	assert.Equal(t, []string{"Time", "0.1", "1", "+Inf"}, fieldNames(h), "sorted by numeric le; no legend falls back to le")
	assert.Equal(t, []any{at(0)[0], at(60)[0]}, column(h.Fields[0]))
	assert.Equal(t, 15000.0, h.Fields[0].Config.Interval)
	assert.Equal(t, []any{3.0, 5.0}, column(h.Fields[1]), "the lowest bucket stays cumulative")
	assert.Equal(t, []any{5.0, 10.0}, column(h.Fields[2]))
	assert.Equal(t, []any{2.0, 5.0}, column(h.Fields[3]))
	assert.Equal(t, "+Inf", h.Fields[3].Labels["le"], "bucket labels stay on the column")
	assert.Equal(t, []any{10.0, 20.0}, column(inf.Fields[1]), "input frames are not changed")
}

func TestHeatmapUnalignedAndMissingValues(t *testing.T) {
	low := bucketFrame("0.5", "low", 1, 2, 4)
	high := bucketFrame("2", "high", 6, 7)
	high.Fields[0].Set(1, at(120)[0]) // high has 0s and 120s; low has 0s, 60s, 120s
	noLe := seriesFrame("matrix", data.Labels{"handler": "/q"}, at(0), []float64{100})

	h := Heatmap(data.Frames{noLe, high, low})[0]
	assert.Equal(t, []string{"Time", "low", "high", "Value"}, fieldNames(h), "series without le go last")
	assert.Equal(t, []any{at(0)[0], at(60)[0], at(120)[0]}, column(h.Fields[0]))
	assert.Equal(t, []any{ptr(1), ptr(2), ptr(4)}, nullableColumn(h.Fields[1]))
	assert.Equal(t, []any{ptr(5), nil, ptr(3)}, nullableColumn(h.Fields[2]), "matched by timestamp")
	assert.Equal(t, []any{ptr(94), nil, nil}, nullableColumn(h.Fields[3]))

	nan := Heatmap(data.Frames{bucketFrame("1", "b", 5), bucketFrame("0.5", "a", math.NaN())})[0]
	assert.Equal(t, []any{5.0}, column(nan.Fields[2]), "a NaN lower bucket counts as 0")
}

// nullableColumn shows missing cells as an untyped nil.
func nullableColumn(f *data.Field) []any {
	out := column(f)
	for i, v := range out {
		if p, ok := v.(*float64); ok && p == nil {
			out[i] = nil
		} else if ok {
			out[i] = ptr(*p)
		}
	}
	return out
}

func TestHeatmapLeavesOtherResponsesAlone(t *testing.T) {
	tests := map[string]data.Frames{
		"empty metadata frame":     {data.NewFrame("")},
		"only native histograms":   {heatmapCellsFrame(), heatmapCellsFrame()},
		"string result":            {data.NewFrame("", data.NewField("Time", nil, at(0)), data.NewField("Value", nil, []string{"x"}))},
		"exemplars are not bucket": {exemplarFrameOf(data.Labels{"le": "1"}, at(0), []float64{1}, nil)},
	}
	for name, frames := range tests {
		t.Run(name, func(t *testing.T) {
			out := Heatmap(frames)
			require.Len(t, out, len(frames))
			for i := range frames {
				assert.Same(t, frames[i], out[i])
			}
		})
	}
}
