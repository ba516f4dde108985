package converter

import (
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Decoration is the query context frames are labelled with.
type Decoration struct {
	Expr         string
	Step         time.Duration
	LegendFormat string
	// KeepEmpty adds an empty frame when there are none, so that executedQueryString reaches the client.
	KeepEmpty bool
}

// Decorate adds what Grafana's Prometheus clients read from frames: the step on the time field, display names,
// the metric name as value field name (not on heatmap-cells frames, whose display name lands on yMin), notices
// (warnings, then infos, then res.Notices), executedQueryString and calculatedMinStep on the first frame.
func Decorate(res *Result, d Decoration) data.Frames {
	frames := res.Frames
	if len(frames) == 0 {
		// Grafana names the frame that exists only to carry notices "Warnings".
		if len(res.Warnings)+len(res.Infos)+len(res.Notices) > 0 {
			frames = data.Frames{data.NewFrame("Warnings")}
		} else if d.KeepEmpty {
			frames = data.Frames{data.NewFrame("")}
		}
	}
	// One config for every time field: the series of a response share time fields anyway.
	timeConfig := &data.FieldConfig{Interval: float64(d.Step.Milliseconds())}
	for _, f := range frames {
		if f.Meta == nil {
			f.Meta = &data.FrameMeta{}
		}
		if len(f.Fields) < 2 {
			continue
		}
		f.Fields[0].Config = timeConfig
		if name := displayName(f.Fields[1].Labels, d.LegendFormat, d.Expr); name != "" {
			f.Fields[1].Config = &data.FieldConfig{DisplayNameFromDS: name}
		}
		if metric, ok := f.Fields[1].Labels["__name__"]; ok && f.Meta.Type != frameTypeHeatmapCells {
			f.Fields[1].Name = metric
		}
	}
	AddNotices(frames, res)
	MarkFirstFrame(frames, d.Expr, d.Step)
	return frames
}

// MarkFirstFrame puts what Grafana's clients read from the first frame of each response on it: the
// executedQueryString (annotations parse its "Step:") and calculatedMinStep (the incremental-query cache reads it).
func MarkFirstFrame(frames data.Frames, expr string, step time.Duration) {
	if len(frames) == 0 {
		return
	}
	first := frames[0]
	if first.Meta == nil {
		first.Meta = &data.FrameMeta{}
	}
	first.Meta.ExecutedQueryString = fmt.Sprintf("Expr: %s\nStep: %s", expr, step)
	// The frames of a response share their Custom map; the first frame gets its own.
	custom, _ := first.Meta.Custom.(map[string]any)
	if custom = maps.Clone(custom); custom == nil {
		custom = map[string]any{}
	}
	custom["calculatedMinStep"] = step.Milliseconds()
	first.Meta.Custom = custom
}

// AddNotices copies the response's warnings, infos and parse notices onto every frame, in that order.
func AddNotices(frames data.Frames, res *Result) {
	var notices []data.Notice
	for _, w := range res.Warnings {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: w})
	}
	for _, i := range res.Infos {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: i})
	}
	notices = append(notices, res.Notices...)
	if len(notices) == 0 {
		return
	}
	for _, f := range frames {
		f.Meta.Notices = append(f.Meta.Notices, notices...)
	}
}

var legendLabel = regexp.MustCompile(`\{\{\s*(.+?)\s*\}\}`)

// displayName applies Grafana's legend rules: __auto, {{label}} templates, and the default
// metric{k="v", ...} text, where a series without labels is named by its expression.
func displayName(labels data.Labels, legend, expr string) string {
	switch legend {
	case "__auto":
		if len(labels) > 0 {
			return ""
		}
		return expr
	case "":
		name := defaultName(labels)
		if name == "{}" {
			return expr
		}
		return name
	}
	name := legendLabel.ReplaceAllStringFunc(legend, func(m string) string {
		return labels[strings.TrimSpace(legendLabel.FindStringSubmatch(m)[1])]
	})
	if name == "{}" {
		return expr
	}
	return name
}

func defaultName(labels data.Labels) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	metric := labels["__name__"]
	if len(keys) == 0 && metric != "" {
		return metric
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, labels[k])
	}
	return metric + "{" + strings.Join(parts, ", ") + "}"
}
