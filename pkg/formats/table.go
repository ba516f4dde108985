package formats

import (
	"sort"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// labelLe is the bucket-bound label of classic histograms.
const labelLe = "le"

// Table merges the series frames of one response into the table Grafana's Prometheus frontend built for the
// table format: Time, one column per label (names sorted, values "" where a series lacks the label), then the
// value column called valueName. The `le` column holds numbers so that buckets sort numerically. The table
// takes the first series frame's meta (executedQueryString, stats, notices) and is marked for Explore's
// Prometheus table view. Native histogram and exemplar frames follow unchanged; a response without series frames
// is returned as it is.
func Table(frames data.Frames, valueName string) data.Frames {
	var series, rest data.Frames
	for _, f := range frames {
		if isSeries(f) {
			series = append(series, f)
		} else {
			rest = append(rest, f)
		}
	}
	if len(series) == 0 {
		return frames
	}
	timeType, valueType := series[0].Fields[0].Type(), series[0].Fields[1].Type()
	names := map[string]bool{}
	for _, f := range series {
		if f.Fields[0].Type() != timeType || f.Fields[1].Type() != valueType {
			// Frames of different kinds cannot share columns; leave them as series rather than guess.
			return frames
		}
		for k := range f.Fields[1].Labels {
			names[k] = true
		}
	}
	labelNames := make([]string, 0, len(names))
	for k := range names {
		labelNames = append(labelNames, k)
	}
	sort.Strings(labelNames)

	timeField := data.NewFieldFromFieldType(timeType, 0)
	timeField.Name = data.TimeSeriesTimeFieldName
	valueField := data.NewFieldFromFieldType(valueType, 0)
	valueField.Name = valueName
	labelFields := make([]*data.Field, len(labelNames))
	filterable := true
	for i, name := range labelNames {
		if name == labelLe {
			labelFields[i] = data.NewField(name, nil, []*float64{})
		} else {
			labelFields[i] = data.NewField(name, nil, []string{})
		}
		// Filterable gives table cells the "filter for value" buttons that add ad-hoc filters.
		labelFields[i].Config = &data.FieldConfig{Filterable: &filterable}
	}
	for _, f := range series {
		labels := f.Fields[1].Labels
		for row := 0; row < f.Rows(); row++ {
			timeField.Append(f.Fields[0].At(row))
			valueField.Append(f.Fields[1].At(row))
			for i, name := range labelNames {
				if name == labelLe {
					labelFields[i].Append(parseBound(labels, name))
				} else {
					labelFields[i].Append(labels[name])
				}
			}
		}
	}
	fields := append(append([]*data.Field{timeField}, labelFields...), valueField)
	table := data.NewFrame("", fields...)
	table.RefID = series[0].RefID
	table.Meta = copyMeta(series[0].Meta)
	table.Meta.Type = data.FrameTypeTable
	table.Meta.TypeVersion = data.FrameTypeVersion{}
	table.Meta.PreferredVisualization = VisTypeRawPrometheus
	return append(data.Frames{table}, rest...)
}

// parseBound reads a bucket bound such as "0.25" or "+Inf"; nil when the label is missing or not a number.
func parseBound(labels data.Labels, name string) *float64 {
	raw, ok := labels[name]
	if !ok {
		return nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return nil
	}
	return &v
}
