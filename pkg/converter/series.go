package converter

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// fastWindow is how many buffered bytes the sample fast path asks for; a sample that does not fit takes the
// general path.
const fastWindow = 128

// readSeries reads one {metric, values|value|histograms|histogram} object into a frame. Matrix and vector frames
// get their meta from the caller; a series with histograms gives only its heatmap-cells frame.
func (d *decoder) readSeries() (*data.Frame, error) {
	s := &d.s
	if err := s.enterObject("a series"); err != nil {
		return nil, err
	}
	var labels data.Labels
	d.times, d.values = d.times[:0], d.values[:0]
	d.hist.reset()
	isHistogram := false
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if null, err := s.skipNull(); err != nil || null {
			if err != nil {
				return nil, err
			}
			continue // null reads as an absent member
		}
		switch string(key) {
		case "metric":
			labels, err = d.readLabels()
		case "values":
			err = d.readSamples()
		case "value":
			err = d.readOneSample()
		case "histograms":
			isHistogram = true
			err = d.readHistogramSamples()
		case "histogram":
			isHistogram = true
			err = d.readHistogramSample()
		default:
			err = s.skipValue()
		}
		if err != nil {
			return nil, err
		}
	}
	if labels == nil {
		labels = data.Labels{}
	}
	if isHistogram {
		return d.histogramFrame(labels), nil
	}
	timeField, spare := d.sharedTimes.field(d.times)
	d.times = spare[:0]
	return data.NewFrame("", timeField, data.NewField(data.TimeSeriesValueFieldName, labels, d.values)), nil
}

// readLabels reads a label object into a new map. A label that repeats the name and value found at the same
// position in the previous series reuses its strings, which is cheaper than hashing; other names and values go
// through the intern table.
func (d *decoder) readLabels() (data.Labels, error) {
	s := &d.s
	if err := s.enterObject("metric"); err != nil {
		return nil, err
	}
	labels := make(data.Labels, len(d.prevLabels))
	prev, cur := d.prevLabels, d.curLabels[:0]
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		var p labelPair
		if i < len(prev) && string(key) == prev[i].name {
			p.name = prev[i].name
		} else {
			p.name = d.internString(key)
		}
		if c, err := s.peek(); err != nil || c != '"' {
			if err != nil {
				return nil, err
			}
			return nil, s.shapef("label %q is not a string", truncate(p.name))
		}
		value, err := s.readString()
		if err != nil {
			return nil, err
		}
		if i < len(prev) && p.name == prev[i].name && string(value) == prev[i].value {
			p.value = prev[i].value
		} else {
			p.value = d.internString(value)
		}
		labels[p.name] = p.value
		cur = append(cur, p)
	}
	d.prevLabels, d.curLabels = cur, prev
	return labels, nil
}

// readSamples appends a values array to the scratch columns. Most samples go through fastSample straight from the
// buffer; whitespace, escapes, unusual numbers and errors fall back to the general path.
func (d *decoder) readSamples() error {
	s := &d.s
	if err := s.enterArray("values"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		if d.fastPaths {
			if s.end-s.pos < fastWindow {
				s.fill(fastWindow)
			}
			if n, t, v, ok := fastSample(s.buf[s.pos:s.end], i > 0); ok {
				s.pos += n
				d.times, d.values = append(d.times, t), append(d.values, v)
				continue
			}
		}
		ok, err := s.next(i, ']')
		if err != nil || !ok {
			return err
		}
		t, v, err := d.readSample()
		if err != nil {
			return err
		}
		d.times, d.values = append(d.times, t), append(d.values, v)
	}
}

// readOneSample appends the sample of a vector series.
func (d *decoder) readOneSample() error {
	s := &d.s
	if d.fastPaths {
		if s.end-s.pos < fastWindow {
			s.fill(fastWindow)
		}
		if n, t, v, ok := fastSample(s.buf[s.pos:s.end], false); ok {
			s.pos += n
			d.times, d.values = append(d.times, t), append(d.values, v)
			return nil
		}
	}
	t, v, err := d.readSample()
	if err != nil {
		return err
	}
	d.times, d.values = append(d.times, t), append(d.values, v)
	return nil
}

// fastSample decodes `[<seconds>,"<value>"]`, preceded by a comma when sep is set, from the start of b. It reports
// false, consuming nothing, for anything it does not handle.
func fastSample(b []byte, sep bool) (int, time.Time, float64, bool) {
	i := 0
	if sep {
		if len(b) == 0 || b[0] != ',' {
			return 0, time.Time{}, 0, false
		}
		i = 1
	}
	if i >= len(b) || b[i] != '[' {
		return 0, time.Time{}, 0, false
	}
	i++
	mant, neg, digits, decimals, n := decimalPrefix(b[i:])
	if n == 0 || hasLeadingZero(b[i:i+n]) || i+n >= len(b) || b[i+n] != ',' {
		return 0, time.Time{}, 0, false
	}
	sec, ok := decimalValue(mant, neg, digits, decimals)
	if !ok {
		return 0, time.Time{}, 0, false
	}
	v, i, ok := fastQuotedValue(b, i+n+1)
	if !ok || i >= len(b) || b[i] != ']' {
		return 0, time.Time{}, 0, false
	}
	return i + 1, secondsToTime(sec), v, true
}

// fastQuotedValue decodes the sample value string that starts at b[i] and returns the index after it.
func fastQuotedValue(b []byte, i int) (float64, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false
	}
	i++
	mant, neg, digits, decimals, n := decimalPrefix(b[i:])
	if n > 0 && i+n < len(b) && b[i+n] == '"' {
		if v, ok := decimalValue(mant, neg, digits, decimals); ok {
			return v, i + n + 1, true
		}
	}
	// NaN, infinities, exponents, very long mantissas.
	n = 0
	for i+n < len(b) && b[i+n] != '"' && b[i+n] != '\\' && b[i+n] >= 0x20 {
		n++
	}
	if i+n >= len(b) || b[i+n] != '"' {
		return 0, 0, false
	}
	v, err := parseFloat(b[i : i+n])
	if err != nil {
		return 0, 0, false
	}
	return v, i + n + 1, true
}

// readSample reads one [<seconds>, "<value>"] pair.
func (d *decoder) readSample() (time.Time, float64, error) {
	s := &d.s
	if err := s.enterArray("a sample"); err != nil {
		return time.Time{}, 0, err
	}
	if ok, err := s.next(0, ']'); err != nil || !ok {
		return time.Time{}, 0, d.pairError(err, "a sample")
	}
	t, err := d.readTime()
	if err != nil {
		return time.Time{}, 0, err
	}
	if ok, err := s.next(1, ']'); err != nil || !ok {
		return time.Time{}, 0, d.pairError(err, "a sample")
	}
	v, err := d.readValue()
	if err != nil {
		return time.Time{}, 0, err
	}
	if ok, err := s.next(2, ']'); err != nil || ok {
		return time.Time{}, 0, d.pairError(err, "a sample")
	}
	return t, v, nil
}

// pairError returns err, or the shape error of a [time, value] array with the wrong number of elements.
func (d *decoder) pairError(err error, what string) error {
	if err != nil {
		return err
	}
	return d.s.shapef("%s is not a [time, value] pair", what)
}

// readTime reads float seconds.
func (d *decoder) readTime() (time.Time, error) {
	s := &d.s
	c, err := s.peek()
	if err != nil {
		return time.Time{}, err
	}
	if c != '-' && !isDigit(c) {
		return time.Time{}, s.shapef("a sample time is not a number")
	}
	num, err := s.readNumber()
	if err != nil {
		return time.Time{}, err
	}
	sec, err := parseFloat(num)
	if err != nil {
		return time.Time{}, s.shapef("invalid sample time %q", num)
	}
	return secondsToTime(sec), nil
}

// readValueString reads the string of a sample value, valid until the next scanner call.
func (d *decoder) readValueString() ([]byte, error) {
	s := &d.s
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	if c != '"' {
		return nil, s.shapef("a sample value is not a string")
	}
	return s.readString()
}

// readValue reads a sample value string as float64.
func (d *decoder) readValue() (float64, error) {
	b, err := d.readValueString()
	if err != nil {
		return 0, err
	}
	v, err := parseFloat(b)
	if err != nil {
		return 0, d.s.shapef("invalid sample value %q", truncate(string(b)))
	}
	return v, nil
}
