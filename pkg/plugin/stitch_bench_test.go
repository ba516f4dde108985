package plugin

import (
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
)

// BenchmarkStitch joins three sub-range answers of 1,000 series × 3,667 points, the most a 90-day split query
// at Prometheus' 11,000-point limit can bring back.
func BenchmarkStitch(b *testing.B) {
	const series, points = 1000, 3667
	parts := make([]*converter.Result, 3)
	for i := range parts {
		times := make([]time.Time, points)
		for p := range times {
			times[p] = time.Unix(int64((i*points+p)*720), 0)
		}
		// The converter gives the series of one answer one time field when their timestamps are equal.
		timeField := data.NewField(data.TimeSeriesTimeFieldName, nil, times)
		res := &converter.Result{}
		for s := range series {
			values := make([]float64, points)
			res.Frames = append(res.Frames, data.NewFrame("", timeField,
				data.NewField(data.TimeSeriesValueFieldName, data.Labels{"series": strconv.Itoa(s)}, values)))
		}
		parts[i] = res
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := stitch(parts, converter.Budget{})
		require.NoError(b, err)
		require.Equal(b, 3*points, out.Frames[0].Rows())
		require.Same(b, out.Frames[0].Fields[0], out.Frames[series-1].Fields[0], "series that shared a time field still do")
	}
}
