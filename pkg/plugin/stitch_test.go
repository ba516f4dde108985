package plugin

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
)

// Labels printed as k=v pairs can read the same for different series: {a="1, b=2"} and {a="1", b="2"} both
// print as "a=1, b=2". Stitching must keep them apart.
func TestStitchKeepsSeriesWithLookalikeLabelsApart(t *testing.T) {
	part := func(from int64, values ...float64) *converter.Result {
		res := &converter.Result{}
		for i, labels := range []data.Labels{{"a": "1, b=2"}, {"a": "1", "b": "2"}} {
			times := []time.Time{time.Unix(from, 0)}
			res.Frames = append(res.Frames, data.NewFrame("",
				data.NewField(data.TimeSeriesTimeFieldName, nil, times),
				data.NewField(data.TimeSeriesValueFieldName, labels, []float64{values[i]})))
		}
		return res
	}
	out, err := stitch([]*converter.Result{part(0, 1, 10), part(60, 2, 20)}, converter.Budget{})
	require.NoError(t, err)
	require.Len(t, out.Frames, 2, "two series, not one")
	got := map[string][]float64{}
	for _, f := range out.Frames {
		values := make([]float64, f.Rows())
		for i := range values {
			values[i] = f.Fields[1].At(i).(float64)
		}
		got[f.Fields[1].Labels.String()+"|"+f.Fields[1].Labels["a"]] = values
	}
	assert.Equal(t, map[string][]float64{
		"a=1, b=2|1, b=2": {1, 2},
		"a=1, b=2|1":      {10, 20},
	}, got)
}
