// Package formats reshapes the frames of one Prometheus response the way Grafana's Prometheus frontend did for
// dashboards migrated from the core data source: the table and heatmap formats, and the sampling of exemplars.
// It works on frames only; it knows nothing about HTTP or the Prometheus JSON.
package formats

import (
	"encoding/json"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Frame types this package reads or writes that the SDK has no constant for.
const (
	FrameTypeHeatmapCells data.FrameType = "heatmap-cells"
	FrameTypeHeatmapRows  data.FrameType = "heatmap-rows"
)

// VisTypeRawPrometheus is the preferred visualisation Grafana's Prometheus frontend gives table-format frames;
// Explore shows such frames in its Prometheus table/raw view.
const VisTypeRawPrometheus data.VisType = "rawPrometheus"

// ResultTypeExemplar is meta.custom.resultType of exemplar frames.
const ResultTypeExemplar = "exemplar"

// ResultType returns meta.custom.resultType, or "" when the frame has none.
func ResultType(f *data.Frame) string {
	if f == nil || f.Meta == nil || f.Meta.Custom == nil {
		return ""
	}
	if m, ok := f.Meta.Custom.(map[string]any); ok {
		s, _ := m["resultType"].(string)
		return s
	}
	// A typed custom struct: read it the way the client would, from its JSON.
	raw, err := json.Marshal(f.Meta.Custom)
	if err != nil {
		return ""
	}
	var v struct {
		ResultType string `json:"resultType"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return v.ResultType
}

// IsExemplar reports whether a frame holds exemplars.
func IsExemplar(f *data.Frame) bool { return ResultType(f) == ResultTypeExemplar }

func isHeatmapCells(f *data.Frame) bool { return f.Meta != nil && f.Meta.Type == FrameTypeHeatmapCells }

// isSeries reports whether a frame is a Prometheus series frame: time at index 0, value with labels at index 1.
func isSeries(f *data.Frame) bool {
	if len(f.Fields) < 2 || isHeatmapCells(f) || IsExemplar(f) {
		return false
	}
	t := f.Fields[0].Type()
	return t == data.FieldTypeTime || t == data.FieldTypeNullableTime
}

// copyMeta returns a copy of m that can be changed without touching the original frame.
func copyMeta(m *data.FrameMeta) *data.FrameMeta {
	if m == nil {
		return &data.FrameMeta{}
	}
	c := *m
	if custom, ok := m.Custom.(map[string]any); ok {
		cc := make(map[string]any, len(custom))
		for k, v := range custom {
			cc[k] = v
		}
		c.Custom = cc
	}
	return &c
}
