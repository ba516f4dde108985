package converter

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// ResultTypeExemplar is meta.custom.resultType of the frames of a query_exemplars response.
const ResultTypeExemplar = "exemplar"

// IsExemplarFrame reports whether f is an exemplar frame from ReadResponse: fields[0] is Time, fields[1] is Value
// (float64) with the series labels as field labels, and fields[2:] are string fields named by the exemplar label
// names in first-seen order, "" where an exemplar lacks that label. All fields have one row per exemplar.
func IsExemplarFrame(f *data.Frame) bool {
	if f == nil || f.Meta == nil {
		return false
	}
	custom, ok := f.Meta.Custom.(map[string]any)
	return ok && custom["resultType"] == ResultTypeExemplar
}

// stringTable is a frame of string columns built row by row; a column that appears late is backfilled with "".
type stringTable struct {
	names []string
	index map[string]int
	cols  [][]string
	rows  int
}

// set sets the value of column name in the current row.
func (t *stringTable) set(d *decoder, name, value string) error {
	ci, ok := t.index[name]
	if !ok {
		if err := d.chargeCells(columnCells + t.rows); err != nil {
			return err
		}
		if t.index == nil {
			t.index = map[string]int{}
		}
		ci = len(t.names)
		t.index[name] = ci
		t.names = append(t.names, name)
		t.cols = append(t.cols, make([]string, t.rows, t.rows+1))
	}
	if col := t.cols[ci]; len(col) > t.rows {
		col[t.rows] = value
	} else {
		t.cols[ci] = append(col, value)
	}
	return nil
}

// endRow pads the columns the current row did not set.
func (t *stringTable) endRow(d *decoder) error {
	t.rows++
	for i, col := range t.cols {
		if len(col) < t.rows {
			t.cols[i] = append(col, "")
		}
	}
	return d.chargeCells(len(t.cols))
}

func (t *stringTable) fields() []*data.Field {
	fields := make([]*data.Field, len(t.names))
	for i, name := range t.names {
		fields[i] = data.NewField(name, nil, t.cols[i])
	}
	return fields
}

// exemplarSeries collects one {seriesLabels, exemplars} object.
type exemplarSeries struct {
	labels data.Labels
	times  []time.Time
	values []float64
	table  stringTable
}

func (e *exemplarSeries) frame() *data.Frame {
	labels := e.labels
	if labels == nil {
		labels = data.Labels{}
	}
	fields := append([]*data.Field{
		data.NewField(data.TimeSeriesTimeFieldName, nil, e.times),
		data.NewField(data.TimeSeriesValueFieldName, labels, e.values),
	}, e.table.fields()...)
	frame := data.NewFrame("", fields...)
	frame.Meta = &data.FrameMeta{Custom: map[string]any{"resultType": ResultTypeExemplar}}
	return frame
}

// readDataArray reads an array data member: exemplar objects become one frame each (in order), label names or
// values one frame with a string field Value, and series label sets one frame with a string field per label name.
func (d *decoder) readDataArray() error {
	s := &d.s
	if err := s.enterArray("data"); err != nil {
		return err
	}
	var values []string
	var series stringTable
	for i := 0; ; i++ {
		ok, err := s.next(i, ']')
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		c, err := s.peek()
		if err != nil {
			return err
		}
		switch c {
		case '"':
			var b []byte
			if b, err = s.readString(); err == nil {
				values = append(values, string(b))
			}
		case '{':
			err = d.readDataElement(&series)
		default:
			err = s.shapef("an element of data is not a string or an object")
		}
		if err != nil {
			return err
		}
	}
	if values != nil {
		d.res.Frames = append(d.res.Frames, data.NewFrame("", data.NewField(data.TimeSeriesValueFieldName, nil, values)))
	}
	if len(series.names) > 0 {
		d.res.Frames = append(d.res.Frames, data.NewFrame("", series.fields()...))
	}
	return nil
}

type labelPair struct{ name, value string }

// readDataElement reads an exemplar object, or a series label set that becomes a row of series.
func (d *decoder) readDataElement(series *stringTable) error {
	s := &d.s
	if err := s.enterObject("an element of data"); err != nil {
		return err
	}
	var ex *exemplarSeries
	var pairs []labelPair
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		c, err := s.peek()
		if err != nil {
			return err
		}
		switch {
		case c == '[' && string(key) == "exemplars":
			if ex == nil {
				ex = &exemplarSeries{}
			}
			err = d.readExemplars(ex)
		case c == '{' && string(key) == "seriesLabels":
			if ex == nil {
				ex = &exemplarSeries{}
			}
			ex.labels, err = d.readLabels()
		case c == '"':
			name := d.internString(key)
			var b []byte
			if b, err = s.readString(); err == nil {
				pairs = append(pairs, labelPair{name, d.internString(b)})
			}
		default:
			err = s.shapef("unexpected value for %q in an element of data", truncate(string(key)))
		}
		if err != nil {
			return err
		}
	}
	if ex != nil {
		d.res.Frames = append(d.res.Frames, ex.frame())
		return nil
	}
	for _, p := range pairs {
		if err := series.set(d, p.name, p.value); err != nil {
			return err
		}
	}
	return series.endRow(d)
}

// readExemplars reads [{labels, value, timestamp}, ...]. An unknown key becomes a notice, not an error.
func (d *decoder) readExemplars(ex *exemplarSeries) error {
	s := &d.s
	if err := s.enterArray("exemplars"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		ok, err := s.next(i, ']')
		if err != nil || !ok {
			return err
		}
		if err := s.enterObject("an exemplar"); err != nil {
			return err
		}
		t, v := secondsToTime(0), 0.0
		for j := 0; ; j++ {
			key, ok, err := s.nextKey(j)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			switch string(key) {
			case "labels":
				err = d.readExemplarLabels(&ex.table)
			case "value":
				v, err = d.readValue()
			case "timestamp":
				t, err = d.readTime()
			default:
				d.addNotice("unable to parse key: " + truncate(string(key)) + " in response body")
				err = s.skipValue()
			}
			if err != nil {
				return err
			}
		}
		ex.times, ex.values = append(ex.times, t), append(ex.values, v)
		if err := ex.table.endRow(d); err != nil {
			return err
		}
	}
}

func (d *decoder) readExemplarLabels(table *stringTable) error {
	s := &d.s
	if null, err := s.skipNull(); err != nil || null {
		return err
	}
	if err := s.enterObject("exemplar labels"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil || !ok {
			return err
		}
		name := d.internString(key)
		if c, err := s.peek(); err != nil || c != '"' {
			if err != nil {
				return err
			}
			return s.shapef("exemplar label %q is not a string", truncate(name))
		}
		b, err := s.readString()
		if err != nil {
			return err
		}
		if err := table.set(d, name, string(b)); err != nil {
			return err
		}
	}
}

// addNotice adds an error notice once per text.
func (d *decoder) addNotice(text string) {
	if d.notices[text] {
		return
	}
	if d.notices == nil {
		d.notices = map[string]bool{}
	}
	d.notices[text] = true
	d.res.Notices = append(d.res.Notices, data.Notice{Severity: data.NoticeSeverityError, Text: text})
}
