package formats

import (
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// bucket is one classic-histogram bucket series.
type bucket struct {
	le      float64
	hasLe   bool
	times   []time.Time
	values  []float64
	valueOf *data.Field // the original value field, for its name, labels and config
}

// Heatmap turns the cumulative bucket series of a classic histogram into the single heatmap-rows frame Grafana's
// Prometheus frontend built for the heatmap format: buckets sorted by their numeric `le` label (series without
// one go last, in response order), each bucket minus the one below it at the same timestamp (a missing or NaN
// lower value counts as 0, as in the frontend), then one value column per bucket named by its display name.
// Native histogram (heatmap-cells) and exemplar frames follow unchanged; a response without float series frames
// is returned as it is.
func Heatmap(frames data.Frames) data.Frames {
	var buckets []*bucket
	var rest data.Frames
	var first *data.Frame
	for _, f := range frames {
		if !isSeries(f) {
			rest = append(rest, f)
			continue
		}
		b, ok := readBucket(f)
		if !ok {
			return frames
		}
		if first == nil {
			first = f
		}
		buckets = append(buckets, b)
	}
	if len(buckets) == 0 {
		return frames
	}
	sort.SliceStable(buckets, func(i, j int) bool {
		a, b := buckets[i], buckets[j]
		if a.hasLe != b.hasLe {
			return a.hasLe
		}
		return a.hasLe && a.le < b.le
	})
	// Top down, so that each bucket subtracts the still cumulative values of the one below.
	for i := len(buckets) - 1; i > 0; i-- {
		lower := map[int64]float64{}
		for j, t := range buckets[i-1].times {
			lower[t.UnixNano()] = buckets[i-1].values[j]
		}
		for j, t := range buckets[i].times {
			if v := lower[t.UnixNano()]; !math.IsNaN(v) {
				buckets[i].values[j] -= v
			}
		}
	}
	heatmap := mergeBuckets(buckets, first)
	return append(data.Frames{heatmap}, rest...)
}

func readBucket(f *data.Frame) (*bucket, bool) {
	tf, vf := f.Fields[0], f.Fields[1]
	if vf.Type() != data.FieldTypeFloat64 {
		return nil, false
	}
	b := &bucket{valueOf: vf}
	if le := parseBound(vf.Labels, labelLe); le != nil {
		b.le, b.hasLe = *le, true
	}
	for i := 0; i < f.Rows(); i++ {
		t, ok := tf.ConcreteAt(i)
		if !ok {
			continue
		}
		b.times = append(b.times, t.(time.Time))
		b.values = append(b.values, vf.At(i).(float64))
	}
	return b, true
}

// mergeBuckets joins the buckets on time. When every bucket has the same timestamps, as a range query over one
// histogram gives, the columns are plain numbers; otherwise missing cells are null.
func mergeBuckets(buckets []*bucket, first *data.Frame) *data.Frame {
	var times []time.Time
	aligned := true
	seen := map[int64]bool{}
	for _, b := range buckets {
		aligned = aligned && sameTimes(b.times, buckets[0].times)
		for _, t := range b.times {
			if !seen[t.UnixNano()] {
				seen[t.UnixNano()] = true
				times = append(times, t)
			}
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if aligned {
		times = buckets[0].times
	}
	timeField := data.NewField(data.TimeSeriesTimeFieldName, nil, times)
	timeField.Config = first.Fields[0].Config
	fields := []*data.Field{timeField}
	for _, b := range buckets {
		var f *data.Field
		if aligned {
			f = data.NewField(bucketName(b), b.valueOf.Labels, b.values)
		} else {
			byTime := map[int64]float64{}
			for j, t := range b.times {
				byTime[t.UnixNano()] = b.values[j]
			}
			cells := make([]*float64, len(times))
			for j, t := range times {
				if v, ok := byTime[t.UnixNano()]; ok {
					cells[j] = &v
				}
			}
			f = data.NewField(bucketName(b), b.valueOf.Labels, cells)
		}
		f.Config = b.valueOf.Config
		fields = append(fields, f)
	}
	frame := data.NewFrame("", fields...)
	frame.RefID = first.RefID
	frame.Meta = copyMeta(first.Meta)
	frame.Meta.Type = FrameTypeHeatmapRows
	frame.Meta.TypeVersion = data.FrameTypeVersion{}
	return frame
}

// bucketName is the column name the heatmap panel reads the bucket bound from: the display name (the legend,
// usually {{le}}), else the bound itself.
func bucketName(b *bucket) string {
	if c := b.valueOf.Config; c != nil && c.DisplayNameFromDS != "" {
		return c.DisplayNameFromDS
	}
	if le, ok := b.valueOf.Labels[labelLe]; ok {
		return le
	}
	return b.valueOf.Name
}

func sameTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}
