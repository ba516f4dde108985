package formats

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// ExemplarFrameName is the name of the sampled exemplar frame.
const ExemplarFrameName = "exemplar"

// exemplar is one exemplar with the labels of its series and its own labels kept apart.
type exemplar struct {
	at     time.Time
	value  float64
	series data.Labels
	own    map[string]string
}

// label is the exemplar's own label if it has a non-empty one, else its series' label.
func (e exemplar) label(name string) string {
	if v := e.own[name]; v != "" {
		return v
	}
	return e.series[name]
}

// SampleExemplars replaces the exemplar frames of one response by a single frame of sampled exemplars, appended
// after the other frames, as Grafana's Prometheus backend does so that a dense histogram does not draw thousands
// of markers. Exemplars are grouped in buckets of one step; each bucket keeps its largest exemplar, and after it
// only exemplars more than two standard deviations (sample standard deviation over all exemplars of the response)
// below the previously kept one. The result is sorted by time and has the fields Time, Value, then one string
// field per label name (the union of series and exemplar labels), sorted. It takes the meta and RefID of the
// last exemplar frame. Without exemplars no frame is added.
func SampleExemplars(frames data.Frames, step time.Duration) data.Frames {
	var others data.Frames
	var all []exemplar
	var last *data.Frame
	for _, f := range frames {
		if !IsExemplar(f) {
			others = append(others, f)
			continue
		}
		last = f
		all = append(all, readExemplars(f)...)
	}
	if last == nil {
		return frames
	}
	kept := sample(all, step)
	if len(kept) == 0 {
		return others
	}
	return append(others, exemplarFrame(kept, last))
}

func readExemplars(f *data.Frame) []exemplar {
	if len(f.Fields) < 2 || f.Fields[1].Type() != data.FieldTypeFloat64 {
		return nil
	}
	out := make([]exemplar, 0, f.Rows())
	for row := 0; row < f.Rows(); row++ {
		t, ok := f.Fields[0].ConcreteAt(row)
		if !ok {
			continue
		}
		at, ok := t.(time.Time)
		if !ok {
			continue
		}
		e := exemplar{at: at, value: f.Fields[1].At(row).(float64), series: f.Fields[1].Labels, own: map[string]string{}}
		for _, lf := range f.Fields[2:] {
			if v, ok := lf.ConcreteAt(row); ok {
				e.own[lf.Name] = fmt.Sprint(v)
			}
		}
		out = append(out, e)
	}
	return out
}

// sample keeps, per step bucket, the largest exemplar and then each one more than 2σ below the last kept one.
func sample(all []exemplar, step time.Duration) []exemplar {
	stddev := sampleStdDev(all)
	size := step.Milliseconds()
	if size <= 0 {
		size = 1
	}
	buckets := map[int64][]exemplar{}
	var keys []int64
	for _, e := range all {
		k := floorDiv(e.at.UnixMilli(), size)
		if _, ok := buckets[k]; !ok {
			keys = append(keys, k)
		}
		buckets[k] = append(buckets[k], e)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var kept []exemplar
	for _, k := range keys {
		b := buckets[k]
		sort.SliceStable(b, func(i, j int) bool { return greater(b[i].value, b[j].value) })
		prev := b[0]
		kept = append(kept, prev)
		for _, e := range b[1:] {
			if stddev != 0 && prev.value-e.value > 2*stddev {
				kept = append(kept, e)
				prev = e
			}
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].at.Before(kept[j].at) })
	return kept
}

// greater orders values descending with NaN last, so that a NaN never hides a real maximum.
func greater(a, b float64) bool {
	if math.IsNaN(b) {
		return !math.IsNaN(a)
	}
	return a > b
}

// sampleStdDev is the n-1 standard deviation by Welford's online algorithm; 0 with fewer than two values.
func sampleStdDev(all []exemplar) float64 {
	var n, mean, m2 float64
	for _, e := range all {
		n++
		delta := e.value - mean
		mean += delta / n
		m2 += delta * (e.value - mean)
	}
	if n < 2 {
		return 0
	}
	return math.Sqrt(m2 / (n - 1))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func exemplarFrame(kept []exemplar, last *data.Frame) *data.Frame {
	names := map[string]bool{}
	for _, e := range kept {
		for k := range e.series {
			names[k] = true
		}
		for k := range e.own {
			names[k] = true
		}
	}
	labelNames := make([]string, 0, len(names))
	for k := range names {
		labelNames = append(labelNames, k)
	}
	sort.Strings(labelNames)

	times := make([]time.Time, len(kept))
	values := make([]float64, len(kept))
	columns := make([][]string, len(labelNames))
	for i, e := range kept {
		times[i], values[i] = e.at, e.value
		for j, name := range labelNames {
			columns[j] = append(columns[j], e.label(name))
		}
	}
	fields := []*data.Field{
		data.NewField(data.TimeSeriesTimeFieldName, nil, times),
		data.NewField(data.TimeSeriesValueFieldName, nil, values),
	}
	for j, name := range labelNames {
		fields = append(fields, data.NewField(name, nil, columns[j]))
	}
	frame := data.NewFrame(ExemplarFrameName, fields...)
	frame.RefID = last.RefID
	frame.Meta = copyMeta(last.Meta)
	return frame
}
