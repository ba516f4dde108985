package converter

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNativeHistogramVector(t *testing.T) {
	res := read(t, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"rpc_seconds","job":"api"},
		"histogram":[1767225600.1239,{"count":"7","sum":"3.5","buckets":[[0,"0.5","1","3"],[3,"-0.001","0.001","4"]]}]}]}}`)
	require.Len(t, res.Frames, 1)
	f := res.Frames[0]
	assert.Equal(t, &data.FrameMeta{Type: "heatmap-cells"}, f.Meta, "no typeVersion, no custom.resultType")
	labels := data.Labels{"__name__": "rpc_seconds", "job": "api"}
	ts := time.UnixMilli(1767225600123).UTC()
	want := data.NewFrame("",
		data.NewField("xMax", labels, []time.Time{ts, ts}),
		data.NewField("yMin", labels, []float64{0.5, -0.001}),
		data.NewField("yMax", labels, []float64{1, 0.001}),
		data.NewField("count", labels, []float64{3, 4}),
		data.NewField("yLayout", labels, []int8{0, 3}),
	)
	want.Meta = f.Meta
	assert.Equal(t, frameJSON(t, want), frameJSON(t, f))
	f.Fields[0].Labels["job"] = "changed"
	assert.Equal(t, "api", f.Fields[1].Labels["job"], "each field has its own labels")
}

func TestNativeHistogramMatrix(t *testing.T) {
	res := read(t, `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"__name__":"a"},"values":[[1,"1"]],"histograms":[[1,{"buckets":[[1,"1","2","5"]]}],[2,{"count":"0","sum":"0"}],
			[3,{"buckets":[[0,"2","4","NaN"],[2,"4","8","+Inf"]]}]]},
		{"metric":{"__name__":"b"},"histograms":[],"values":[[1,"1"]]},
		{"metric":{"__name__":"c"},"values":[[1,"1"]]}]}}`)
	require.Len(t, res.Frames, 3)
	h := res.Frames[0]
	require.Equal(t, frameTypeHeatmapCells, h.Meta.Type)
	require.Len(t, h.Fields, 5)
	assert.Equal(t, 3, h.Fields[0].Len(), "one row per bucket, histograms without buckets add none")
	assert.Equal(t, []any{time.UnixMilli(1000).UTC(), time.UnixMilli(3000).UTC(), time.UnixMilli(3000).UTC()},
		[]any{h.Fields[0].At(0), h.Fields[0].At(1), h.Fields[0].At(2)})
	assert.True(t, math.IsNaN(h.Fields[3].At(1).(float64)))
	assert.True(t, math.IsInf(h.Fields[3].At(2).(float64), 1))
	assert.Equal(t, int8(2), h.Fields[4].At(2))
	assert.Equal(t, frameTypeHeatmapCells, res.Frames[1].Meta.Type, "histograms win over values, even when empty")
	assert.Equal(t, 0, res.Frames[1].Fields[0].Len())
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, res.Frames[2].Meta.Type)

	frames := Decorate(res, Decoration{Expr: "a", Step: time.Minute})
	assert.Equal(t, "yMin", frames[0].Fields[1].Name, "heatmap-cells fields are not renamed")
	assert.Equal(t, "a", frames[0].Fields[1].Config.DisplayNameFromDS, "the display name lands on yMin")
	assert.Equal(t, 60000.0, frames[0].Fields[0].Config.Interval)
	assert.Nil(t, frames[0].Fields[2].Config)
	assert.Equal(t, "c", frames[2].Fields[1].Name, "float series are still renamed")
}

func TestNativeHistogramErrors(t *testing.T) {
	tests := []struct{ name, histogram, want string }{
		{"short bucket", `[1,{"buckets":[[0,"1","2"]]}]`, "a bucket is not a [boundaryRule, lower, upper, count] array"},
		{"long bucket", `[1,{"buckets":[[0,"1","2","3","4"]]}]`, "a bucket is not"},
		{"rule out of range", `[1,{"buckets":[[128,"1","2","3"]]}]`, "invalid bucket boundary rule 128"},
		{"fractional rule", `[1,{"buckets":[[1.5,"1","2","3"]]}]`, "invalid bucket boundary rule 1.5"},
		{"rule as string", `[1,{"buckets":[["0","1","2","3"]]}]`, "boundary rule is not a number"},
		{"bad count", `[1,{"buckets":[[0,"1","2","many"]]}]`, `invalid sample value "many"`},
		{"not a pair", `[1]`, "a histogram sample is not a [time, value] pair"},
		{"not an object", `[1,[]]`, "a histogram is not an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"data":{"resultType":"vector","result":[{"metric":{},"histogram":` + tc.histogram + `}]}}`
			_, err := ReadResponse(strings.NewReader(body))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
