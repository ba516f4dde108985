package formats

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// at is t0 plus the given seconds.
func at(sec ...int) []time.Time {
	out := make([]time.Time, len(sec))
	for i, s := range sec {
		out[i] = t0.Add(time.Duration(s) * time.Second)
	}
	return out
}

// seriesFrame builds a converter-style series frame: Time, then a value field with labels.
func seriesFrame(resultType string, labels data.Labels, times []time.Time, values []float64) *data.Frame {
	f := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, times),
		data.NewField(data.TimeSeriesValueFieldName, labels, values))
	f.Fields[0].Config = &data.FieldConfig{Interval: 15000}
	typ := data.FrameTypeTimeSeriesMulti
	if resultType == "vector" {
		typ = data.FrameTypeNumericMulti
	}
	f.Meta = &data.FrameMeta{Type: typ, TypeVersion: data.FrameTypeVersion{0, 1}, Custom: map[string]any{"resultType": resultType}}
	return f
}

func heatmapCellsFrame() *data.Frame {
	f := data.NewFrame("", data.NewField("xMax", nil, at(0)), data.NewField("yMin", nil, []float64{0}),
		data.NewField("yMax", nil, []float64{1}), data.NewField("count", nil, []float64{3}), data.NewField("yLayout", nil, []int8{0}))
	f.Meta = &data.FrameMeta{Type: FrameTypeHeatmapCells}
	return f
}

func exemplarFrameOf(series data.Labels, times []time.Time, values []float64, own map[string][]string) *data.Frame {
	f := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, times),
		data.NewField(data.TimeSeriesValueFieldName, series, values))
	for name, col := range own {
		f.Fields = append(f.Fields, data.NewField(name, nil, col))
	}
	f.Meta = &data.FrameMeta{Custom: map[string]any{"resultType": "exemplar"}}
	return f
}

func ptr(v float64) *float64 { return &v }

// column returns a field's values as a slice of any, for compact assertions.
func column(f *data.Field) []any {
	out := make([]any, f.Len())
	for i := range out {
		out[i] = f.At(i)
	}
	return out
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}
