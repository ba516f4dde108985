package querycache

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// errUncacheable marks an answer whose frames are not series this package can store and slice by time.
var errUncacheable = errors.New("the answer holds frames the query cache cannot store")

// field is a frame field's identity without its values.
type field struct {
	name   string
	labels data.Labels
}

// series is the raw samples of one series: the rows of its frame, ordered by the time in the first field. Float
// series have one row per timestamp; native histogram (heatmap-cells) series one row per bucket per timestamp.
// A series is never changed once built; merges make new ones.
type series struct {
	id     string // the labels in canonical form
	labels data.Labels
	meta   *data.FrameMeta
	fields []field
	times  []int64 // Unix milliseconds
	// cols holds the values of fields[1:], each a []float64 or an []int8.
	cols []any
}

// seriesFromFrame copies a converter frame into a series; it refuses anything but a time field followed by float64
// and int8 fields.
func seriesFromFrame(f *data.Frame) (*series, error) {
	if len(f.Fields) < 2 || f.Fields[0].Type() != data.FieldTypeTime {
		return nil, errUncacheable
	}
	n := f.Fields[0].Len()
	s := &series{meta: f.Meta, times: make([]int64, n), cols: make([]any, len(f.Fields)-1)}
	for i, fl := range f.Fields {
		s.fields = append(s.fields, field{name: fl.Name, labels: fl.Labels})
		if fl.Len() != n {
			return nil, errUncacheable
		}
		switch fl.Type() {
		case data.FieldTypeTime:
			if i != 0 {
				return nil, errUncacheable
			}
			for r := range n {
				s.times[r] = fl.PointerAt(r).(*time.Time).UnixMilli()
			}
		case data.FieldTypeFloat64:
			s.cols[i-1] = typedValues[float64](fl)
		case data.FieldTypeInt8:
			s.cols[i-1] = typedValues[int8](fl)
		default:
			return nil, errUncacheable
		}
	}
	if !slices.IsSorted(s.times) {
		return nil, fmt.Errorf("%w: samples out of time order", errUncacheable)
	}
	s.labels = f.Fields[1].Labels
	s.id = CanonicalLabels(s.labels)
	return s, nil
}

func typedValues[T any](f *data.Field) []T {
	out := make([]T, f.Len())
	for i := range out {
		out[i] = *f.PointerAt(i).(*T)
	}
	return out
}

// CanonicalLabels writes labels in sorted order, unambiguously: each name and value quoted, as %q quotes them.
// Two label sets give the same text only if they are equal.
func CanonicalLabels(l data.Labels) string {
	var b []byte
	for _, k := range sortedKeys(l) {
		b = strconv.AppendQuote(b, k)
		b = append(b, '=')
		b = strconv.AppendQuote(b, l[k])
		b = append(b, ',')
	}
	return string(b)
}

// rows returns the row range [i, j) whose times fall in sp.
func (s *series) rows(sp span) (int, int) {
	return s.firstAtOrAfter(sp.From), s.firstAfter(sp.To)
}

func (s *series) firstAtOrAfter(t int64) int {
	return sort.Search(len(s.times), func(i int) bool { return s.times[i] >= t })
}

func (s *series) firstAfter(t int64) int {
	return sort.Search(len(s.times), func(i int) bool { return s.times[i] > t })
}

// slice returns the rows in [i, j) of each column, sharing memory with s.
func (s *series) slice(i, j int) (times []int64, cols []any) {
	cols = make([]any, len(s.cols))
	for c, col := range s.cols {
		switch v := col.(type) {
		case []float64:
			cols[c] = v[i:j]
		case []int8:
			cols[c] = v[i:j]
		}
	}
	return s.times[i:j], cols
}

// splice returns a new series: s's rows outside cut, with add's rows inside cut in their place. Either may be nil.
// It returns nil when no row is left.
func splice(s *series, cut span, add *series) *series {
	if s != nil && add != nil && !sameShape(s, add) {
		// A series that changed type (float to histogram) keeps only the new rows.
		s = nil
	}
	type piece struct {
		from *series
		i, j int
	}
	var pieces []piece
	if s != nil {
		pieces = append(pieces, piece{s, 0, s.firstAtOrAfter(cut.From)})
	}
	if add != nil {
		i, j := add.rows(cut)
		pieces = append(pieces, piece{add, i, j})
	}
	if s != nil {
		pieces = append(pieces, piece{s, s.firstAfter(cut.To), len(s.times)})
	}
	n := 0
	for _, p := range pieces {
		n += max(p.j-p.i, 0)
	}
	if n == 0 {
		return nil
	}
	base := add
	if base == nil {
		base = s
	}
	// The newest answer's field names and meta win: they are what an uncached query would show.
	out := &series{id: base.id, labels: base.labels, meta: base.meta, fields: base.fields,
		times: make([]int64, 0, n), cols: make([]any, len(base.cols))}
	for _, p := range pieces {
		if p.j <= p.i {
			continue
		}
		t, cols := p.from.slice(p.i, p.j)
		out.times = append(out.times, t...)
		for c, col := range cols {
			out.cols[c] = appendCol(out.cols[c], col, n)
		}
	}
	return out
}

func sameShape(a, b *series) bool {
	if len(a.cols) != len(b.cols) {
		return false
	}
	for i := range a.cols {
		_, af := a.cols[i].([]float64)
		_, bf := b.cols[i].([]float64)
		if af != bf {
			return false
		}
	}
	return true
}

func appendCol(dst, src any, capacity int) any {
	switch v := src.(type) {
	case []float64:
		d, _ := dst.([]float64)
		if d == nil {
			d = make([]float64, 0, capacity)
		}
		return append(d, v...)
	case []int8:
		d, _ := dst.([]int8)
		if d == nil {
			d = make([]int8, 0, capacity)
		}
		return append(d, v...)
	}
	return dst
}

// frame builds a new frame from the rows of s inside sp, or returns nil when there are none.
func (s *series) frame(sp span) *data.Frame {
	i, j := s.rows(sp)
	if i >= j {
		return nil
	}
	times, cols := s.slice(i, j)
	tv := make([]time.Time, len(times))
	for k, t := range times {
		tv[k] = time.UnixMilli(t).UTC()
	}
	fields := make([]*data.Field, len(s.fields))
	fields[0] = data.NewField(s.fields[0].name, copyLabels(s.fields[0].labels), tv)
	for c, col := range cols {
		fields[c+1] = data.NewField(s.fields[c+1].name, copyLabels(s.fields[c+1].labels), col)
	}
	f := data.NewFrame("", fields...)
	if s.meta != nil {
		m := *s.meta
		f.Meta = &m
	}
	return f
}

// copyLabels gives every answer its own labels, as later steps may change them; nil stays nil.
func copyLabels(l data.Labels) data.Labels {
	if l == nil {
		return nil
	}
	return l.Copy()
}

// bytes estimates the memory s holds.
func (s *series) bytes() int64 {
	n := int64(len(s.times)*8) + 200
	for _, col := range s.cols {
		switch v := col.(type) {
		case []float64:
			n += int64(len(v) * 8)
		case []int8:
			n += int64(len(v))
		}
	}
	for _, f := range s.fields {
		n += int64(len(f.name)) + 48
		for k, v := range f.labels {
			n += int64(len(k)+len(v)) + 32
		}
	}
	return n + int64(len(s.id))
}
