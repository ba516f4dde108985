package formats

import (
	"math"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTableMergesSeries(t *testing.T) {
	a := seriesFrame("matrix", data.Labels{"__name__": "up", "job": "api", "instance": "a:1"}, at(0, 15), []float64{1, math.Inf(1)})
	a.Meta.ExecutedQueryString = "Expr: up\nStep: 15s"
	a.Meta.Notices = []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "careful"}}
	a.Fields[1].Config = &data.FieldConfig{DisplayNameFromDS: "api"}
	b := seriesFrame("matrix", data.Labels{"__name__": "up", "job": "worker", "zone": "z"}, at(30), []float64{0})
	cells, ex := heatmapCellsFrame(), exemplarFrameOf(data.Labels{}, at(1), []float64{1}, nil)

	out := Table(data.Frames{a, b, cells, ex}, "Value #A")
	require.Len(t, out, 3)
	assert.Same(t, cells, out[1], "native histogram frames pass through")
	assert.Same(t, ex, out[2])

	table := out[0]
	assert.Equal(t, []string{"Time", "__name__", "instance", "job", "zone", "Value #A"}, fieldNames(table))
	assert.Equal(t, []any{at(0)[0], at(15)[0], at(30)[0]}, column(table.Fields[0]))
	assert.Equal(t, []any{"up", "up", "up"}, column(table.Fields[1]))
	assert.Equal(t, []any{"a:1", "a:1", ""}, column(table.Fields[2]), "a missing label is an empty string")
	assert.Equal(t, []any{"api", "api", "worker"}, column(table.Fields[3]))
	assert.Equal(t, []any{"", "", "z"}, column(table.Fields[4]))
	assert.Equal(t, []any{1.0, math.Inf(1), 0.0}, column(table.Fields[5]), "values, infinities included, are kept")
	for _, f := range table.Fields[1:5] {
		require.NotNil(t, f.Config)
		assert.True(t, *f.Config.Filterable, "label columns offer ad-hoc filter buttons")
	}
	assert.Nil(t, table.Fields[5].Labels, "labels moved into columns")
	assert.Nil(t, table.Fields[5].Config, "no display name: the column header is the value name")

	assert.Equal(t, data.FrameTypeTable, table.Meta.Type)
	assert.Equal(t, data.FrameTypeVersion{}, table.Meta.TypeVersion)
	assert.Equal(t, VisTypeRawPrometheus, table.Meta.PreferredVisualization)
	assert.Equal(t, "Expr: up\nStep: 15s", table.Meta.ExecutedQueryString)
	assert.Equal(t, a.Meta.Notices, table.Meta.Notices)
	assert.Equal(t, "matrix", ResultType(table))
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, a.Meta.Type, "the input frame's meta is not changed")
}

func TestTableLeColumnIsNumeric(t *testing.T) {
	frames := data.Frames{
		seriesFrame("vector", data.Labels{"le": "0.25"}, at(0), []float64{3}),
		seriesFrame("vector", data.Labels{"le": "+Inf"}, at(0), []float64{5}),
		seriesFrame("vector", data.Labels{"job": "x"}, at(0), []float64{7}),
	}
	table := Table(frames, "Value")[0]
	assert.Equal(t, []string{"Time", "job", "le", "Value"}, fieldNames(table))
	assert.Equal(t, data.FieldTypeNullableFloat64, table.Fields[2].Type())
	assert.Equal(t, []any{ptr(0.25), ptr(math.Inf(1)), (*float64)(nil)}, column(table.Fields[2]))
}

func TestTableKeepsStringResults(t *testing.T) {
	f := data.NewFrame("", data.NewField("Time", nil, at(0)), data.NewField("Value", data.Labels{}, []string{"hello"}))
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, Custom: map[string]any{"resultType": "string"}}
	table := Table(data.Frames{f}, "Value")[0]
	assert.Equal(t, []string{"Time", "Value"}, fieldNames(table))
	assert.Equal(t, []any{"hello"}, column(table.Fields[1]))
}

func TestTableLeavesOtherResponsesAlone(t *testing.T) {
	tests := map[string]data.Frames{
		"empty metadata frame":    {data.NewFrame("")},
		"only a native histogram": {heatmapCellsFrame()},
		"value types differ": {
			seriesFrame("matrix", data.Labels{}, at(0), []float64{1}),
			data.NewFrame("", data.NewField("Time", nil, at(0)), data.NewField("Value", nil, []string{"x"})),
		},
	}
	for name, frames := range tests {
		t.Run(name, func(t *testing.T) {
			out := Table(frames, "Value")
			require.Len(t, out, len(frames))
			for i := range frames {
				assert.Same(t, frames[i], out[i])
			}
		})
	}
}

func TestResultTypeReadsTypedCustomMeta(t *testing.T) {
	f := data.NewFrame("")
	f.Meta = &data.FrameMeta{Custom: struct {
		ResultType string `json:"resultType"`
	}{ResultType: "exemplar"}}
	assert.True(t, IsExemplar(f))
	assert.Equal(t, "", ResultType(data.NewFrame("")))
}
