package plugin

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/querycache"
)

// stitch joins the answers of consecutive sub-ranges into the answer one request over the whole range gives:
// the rows of each series in time order, series sorted by their labels as Prometheus sorts a matrix, warnings
// and infos once each, and statistics added up. The joined answer is held to the budget as a whole.
func stitch(parts []*converter.Result, b converter.Budget) (*converter.Result, error) {
	out := &converter.Result{}
	byKey := map[string]*joinedSeries{}
	var series []*joinedSeries
	var samples int64
	// The first pass sizes each series, so that its columns are allocated once.
	keys := make([][]string, len(parts))
	for i, p := range parts {
		keys[i] = make([]string, len(p.Frames))
		for k, f := range p.Frames {
			keys[i][k] = seriesKey(f)
			joined, ok := byKey[keys[i][k]]
			if !ok {
				joined = newJoinedSeries(f)
				byKey[keys[i][k]] = joined
				series = append(series, joined)
			}
			joined.rows += f.Rows()
			samples += int64(f.Rows())
		}
	}
	switch {
	case b.MaxSeries > 0 && len(series) > b.MaxSeries:
		return nil, &converter.BudgetError{Limit: "series", Max: int64(b.MaxSeries)}
	case b.MaxSamples > 0 && samples > b.MaxSamples:
		return nil, &converter.BudgetError{Limit: "samples", Max: b.MaxSamples}
	}
	for i, p := range parts {
		for k, f := range p.Frames {
			byKey[keys[i][k]].append(f)
		}
		out.Warnings = appendNew(out.Warnings, p.Warnings...)
		out.Infos = appendNew(out.Infos, p.Infos...)
		out.Notices = appendNew(out.Notices, p.Notices...)
		out.Stats = addStats(out.Stats, p.Stats)
	}
	timeFields := map[string]*data.Field{}
	for _, j := range series {
		out.Frames = append(out.Frames, j.frame(timeFields))
	}
	sort.SliceStable(out.Frames, func(i, j int) bool {
		return querycache.CompareLabels(seriesLabels(out.Frames[i]), seriesLabels(out.Frames[j])) < 0
	})
	return out, nil
}

// seriesKey identifies a series across sub-ranges: the frame name and every field's name and labels, each part
// quoted so that no two different series share a key (labels printed as k=v, k=v can: a value may hold ", ").
func seriesKey(f *data.Frame) string {
	b := strconv.AppendQuote(nil, f.Name)
	for _, field := range f.Fields {
		b = strconv.AppendQuote(b, field.Name)
		b = append(b, querycache.CanonicalLabels(field.Labels)...)
		b = append(b, ';')
	}
	return string(b)
}

func seriesLabels(f *data.Frame) data.Labels {
	for _, field := range f.Fields {
		if field.Labels != nil {
			return field.Labels
		}
	}
	return nil
}

// joinedSeries gathers the rows of one series from consecutive sub-ranges. Time and float64 columns, all of a
// matrix, are copied through typed slices: reading them value by value as interfaces costs an allocation per
// sample, seconds for a long range.
type joinedSeries struct {
	first   *data.Frame
	columns []joinedColumn
	// rows is the number of rows of all sub-ranges together.
	rows int
}

type joinedColumn struct {
	// timeSources are the time fields of the sub-ranges, joined when the frame is built: the series of one
	// answer share their time field, and series that shared one in every sub-range share the joined one.
	timeSources []*data.Field
	floats      []float64
	// other holds columns of any other type, such as those of native histogram frames.
	other *data.Field
}

func newJoinedSeries(f *data.Frame) *joinedSeries {
	j := &joinedSeries{first: f, columns: make([]joinedColumn, len(f.Fields))}
	for i, field := range f.Fields {
		switch field.Type() {
		case data.FieldTypeTime, data.FieldTypeFloat64:
		default:
			j.columns[i].other = data.NewFieldFromFieldType(field.Type(), 0)
		}
	}
	return j
}

func (j *joinedSeries) append(f *data.Frame) {
	for i, field := range f.Fields {
		c := &j.columns[i]
		n := field.Len()
		switch {
		case c.other != nil:
			c.other.AppendAll(field)
		case field.Type() == data.FieldTypeTime:
			c.timeSources = append(c.timeSources, field)
		default:
			if c.floats == nil {
				c.floats = make([]float64, 0, j.rows)
			}
			for row := range n {
				// PointerAt does not box the value, unlike At.
				c.floats = append(c.floats, *field.PointerAt(row).(*float64))
			}
		}
	}
}

// frame is the joined series with the first sub-range's name, meta, field names, labels and configs. Its fields
// are new; time fields joined from the same sources are shared through timeFields.
func (j *joinedSeries) frame(timeFields map[string]*data.Field) *data.Frame {
	out := data.NewFrame(j.first.Name)
	out.Meta = j.first.Meta
	for i, field := range j.first.Fields {
		c := j.columns[i]
		var nf *data.Field
		switch {
		case c.other != nil:
			nf = c.other
		case field.Type() == data.FieldTypeTime:
			key := sourcesKey(c.timeSources)
			if nf = timeFields[key]; nf == nil {
				nf = joinTimes(field.Name, c.timeSources, j.rows)
				timeFields[key] = nf
			}
			out.Fields = append(out.Fields, nf)
			continue
		default:
			nf = data.NewField(field.Name, nil, c.floats)
		}
		nf.Name, nf.Labels, nf.Config = field.Name, field.Labels, field.Config
		out.Fields = append(out.Fields, nf)
	}
	return out
}

// sourcesKey identifies a list of fields by their addresses.
func sourcesKey(fields []*data.Field) string {
	var sb strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&sb, "%p,", f)
	}
	return sb.String()
}

func joinTimes(name string, sources []*data.Field, rows int) *data.Field {
	times := make([]time.Time, 0, rows)
	for _, f := range sources {
		for row := range f.Len() {
			times = append(times, *f.PointerAt(row).(*time.Time))
		}
	}
	out := data.NewField(name, sources[0].Labels, times)
	out.Config = sources[0].Config
	return out
}

// appendNew appends the items that list does not hold yet.
func appendNew[T comparable](list []T, items ...T) []T {
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
