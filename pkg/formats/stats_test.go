package formats

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
)

func TestAddStats(t *testing.T) {
	first := seriesFrame("matrix", data.Labels{}, at(0), []float64{1})
	second := seriesFrame("matrix", data.Labels{}, at(0), []float64{2})
	stats := map[string]any{"samples": map[string]any{"totalQueryableSamples": 1234.0}, "timings": map[string]any{}}
	AddStats(data.Frames{first, second}, stats)
	assert.Equal(t, []data.QueryStat{{FieldConfig: data.FieldConfig{DisplayName: "Total queryable samples"}, Value: 1234}}, first.Meta.Stats)
	assert.Equal(t, map[string]any{"resultType": "matrix", "stats": stats}, first.Meta.Custom, "custom meta is kept")
	assert.Nil(t, second.Meta.Stats)
	assert.NotContains(t, second.Meta.Custom, "stats")

	bare := data.NewFrame("Query statistics")
	AddStats(data.Frames{bare}, map[string]any{"timings": map[string]any{}})
	assert.Equal(t, map[string]any{"stats": map[string]any{"timings": map[string]any{}}}, bare.Meta.Custom)
	assert.Nil(t, bare.Meta.Stats, "no samples count, no stat entry")

	AddStats(data.Frames{second}, nil)
	assert.NotContains(t, second.Meta.Custom, "stats")
}

func TestAddStatsLeavesASharedCustomMapAlone(t *testing.T) {
	first := seriesFrame("matrix", data.Labels{}, at(0), []float64{1})
	second := seriesFrame("matrix", data.Labels{}, at(0), []float64{2})
	second.Meta.Custom = first.Meta.Custom // as the decoder shares it between the frames of a response
	AddStats(data.Frames{first, second}, map[string]any{"timings": map[string]any{}})
	assert.Contains(t, first.Meta.Custom, "stats")
	assert.Equal(t, map[string]any{"resultType": "matrix"}, second.Meta.Custom)
}
