package plugin

import (
	"slices"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
)

// stitch joins the answers of consecutive sub-ranges into the answer one request over the whole range gives:
// the rows of each series in time order, series sorted by their labels as Prometheus sorts a matrix, warnings
// and infos once each, and statistics added up. The joined answer is held to the budget as a whole.
func stitch(parts []*converter.Result, b converter.Budget) (*converter.Result, error) {
	out := &converter.Result{}
	byKey := map[string]*data.Frame{}
	var samples int64
	for _, p := range parts {
		for _, f := range p.Frames {
			key := seriesKey(f)
			joined, ok := byKey[key]
			if !ok {
				joined = emptyLike(f)
				byKey[key] = joined
				out.Frames = append(out.Frames, joined)
			}
			appendRows(joined, f)
			samples += int64(f.Rows())
		}
		out.Warnings = appendNew(out.Warnings, p.Warnings...)
		out.Infos = appendNew(out.Infos, p.Infos...)
		for _, n := range p.Notices {
			if !slices.Contains(out.Notices, n) {
				out.Notices = append(out.Notices, n)
			}
		}
		out.Stats = addStats(out.Stats, p.Stats)
	}
	switch {
	case b.MaxSeries > 0 && len(out.Frames) > b.MaxSeries:
		return nil, &converter.BudgetError{Limit: "series", Max: int64(b.MaxSeries)}
	case b.MaxSamples > 0 && samples > b.MaxSamples:
		return nil, &converter.BudgetError{Limit: "samples", Max: b.MaxSamples}
	}
	sort.SliceStable(out.Frames, func(i, j int) bool {
		return compareLabels(seriesLabels(out.Frames[i]), seriesLabels(out.Frames[j])) < 0
	})
	return out, nil
}

// seriesKey identifies a series across sub-ranges: the frame name and every field's name and labels.
func seriesKey(f *data.Frame) string {
	var sb strings.Builder
	sb.WriteString(f.Name)
	for _, field := range f.Fields {
		sb.WriteByte(0)
		sb.WriteString(field.Name)
		sb.WriteByte(0)
		sb.WriteString(field.Labels.String())
	}
	return sb.String()
}

func seriesLabels(f *data.Frame) data.Labels {
	for _, field := range f.Fields {
		if field.Labels != nil {
			return field.Labels
		}
	}
	return nil
}

// compareLabels orders label sets as Prometheus' labels.Compare does: pair by pair in name order, names first,
// then values; a set that is a prefix of the other comes first.
func compareLabels(a, b data.Labels) int {
	ak, bk := sortedKeys(a), sortedKeys(b)
	for i := 0; i < len(ak) && i < len(bk); i++ {
		if c := strings.Compare(ak[i], bk[i]); c != 0 {
			return c
		}
		if c := strings.Compare(a[ak[i]], b[bk[i]]); c != 0 {
			return c
		}
	}
	return len(ak) - len(bk)
}

func sortedKeys(l data.Labels) []string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// emptyLike is a frame with f's name, meta and fields, without rows. The fields are new: the converter shares
// time fields between the series of one answer.
func emptyLike(f *data.Frame) *data.Frame {
	out := data.NewFrame(f.Name)
	out.Meta = f.Meta
	for _, field := range f.Fields {
		nf := data.NewFieldFromFieldType(field.Type(), 0)
		nf.Name, nf.Labels, nf.Config = field.Name, field.Labels, field.Config
		out.Fields = append(out.Fields, nf)
	}
	return out
}

func appendRows(dst, src *data.Frame) {
	for i, field := range src.Fields {
		for row := 0; row < field.Len(); row++ {
			dst.Fields[i].Append(field.At(row))
		}
	}
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// addStats adds the statistics of one sub-range to the others': numbers are summed (totals such as
// totalQueryableSamples), lists are joined (per-step values, in time order), anything else keeps its first value.
func addStats(into, from map[string]any) map[string]any {
	if from == nil {
		return into
	}
	if into == nil {
		into = map[string]any{}
	}
	for k, v := range from {
		prev, ok := into[k]
		if !ok {
			into[k] = v
			continue
		}
		switch pv := prev.(type) {
		case float64:
			if fv, ok := v.(float64); ok {
				into[k] = pv + fv
			}
		case []any:
			if fv, ok := v.([]any); ok {
				into[k] = append(slices.Clone(pv), fv...)
			}
		case map[string]any:
			if fv, ok := v.(map[string]any); ok {
				into[k] = addStats(pv, fv)
			}
		}
	}
	return into
}
