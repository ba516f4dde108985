package formats

import (
	"maps"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// StatTotalQueryableSamples is the display name of the statistic Grafana's query inspector shows for stats=all.
const StatTotalQueryableSamples = "Total queryable samples"

// AddStats puts the data.stats object of a stats=all answer on the first frame: raw in meta.custom.stats, and
// totalQueryableSamples (zero included) as a meta.stats entry, where the query inspector reads it.
func AddStats(frames data.Frames, stats map[string]any) {
	if stats == nil || len(frames) == 0 {
		return
	}
	first := frames[0]
	if first.Meta == nil {
		first.Meta = &data.FrameMeta{}
	}
	// The decoder shares one Custom map between the frames of a response; the first frame gets its own.
	custom, _ := first.Meta.Custom.(map[string]any)
	if custom = maps.Clone(custom); custom == nil {
		custom = map[string]any{}
	}
	custom["stats"] = stats
	first.Meta.Custom = custom
	samples, _ := stats["samples"].(map[string]any)
	if total, ok := samples["totalQueryableSamples"].(float64); ok {
		first.Meta.Stats = []data.QueryStat{{FieldConfig: data.FieldConfig{DisplayName: StatTotalQueryableSamples}, Value: total}}
	}
}
