package converter

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// frameTypeHeatmapCells is the frame type of native histogram frames; the SDK has no constant for it.
const frameTypeHeatmapCells data.FrameType = "heatmap-cells"

// histogramColumns are the scratch columns of a native histogram series: one row per bucket per timestamp.
type histogramColumns struct {
	xMax    []time.Time
	yMin    []float64
	yMax    []float64
	count   []float64
	yLayout []int8
}

func (h *histogramColumns) reset() {
	h.xMax, h.yMin, h.yMax, h.count, h.yLayout = h.xMax[:0], h.yMin[:0], h.yMax[:0], h.count[:0], h.yLayout[:0]
}

// histogramFrame builds a heatmap-cells frame; every field carries its own copy of the series labels.
func (d *decoder) histogramFrame(labels data.Labels) *data.Frame {
	h := &d.hist
	frame := data.NewFrame("",
		data.NewField("xMax", labels.Copy(), h.xMax),
		data.NewField("yMin", labels.Copy(), h.yMin),
		data.NewField("yMax", labels.Copy(), h.yMax),
		data.NewField("count", labels.Copy(), h.count),
		data.NewField("yLayout", labels, h.yLayout),
	)
	frame.Meta = &data.FrameMeta{Type: frameTypeHeatmapCells}
	return frame
}

// readHistogramSamples reads a matrix series' histograms: [[<seconds>, {histogram}], ...].
func (d *decoder) readHistogramSamples() error {
	s := &d.s
	if err := s.enterArray("histograms"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		ok, err := s.next(i, ']')
		if err != nil || !ok {
			return err
		}
		if err := d.readHistogramSample(); err != nil {
			return err
		}
	}
}

// readHistogramSample reads [<seconds>, {count, sum, buckets}].
func (d *decoder) readHistogramSample() error {
	s := &d.s
	if err := s.enterArray("a histogram sample"); err != nil {
		return err
	}
	if ok, err := s.next(0, ']'); err != nil || !ok {
		return d.pairError(err, "a histogram sample")
	}
	t, err := d.readTime()
	if err != nil {
		return err
	}
	if ok, err := s.next(1, ']'); err != nil || !ok {
		return d.pairError(err, "a histogram sample")
	}
	if err := s.enterObject("a histogram"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if string(key) == "buckets" {
			err = d.readBuckets(t)
		} else {
			err = s.skipValue() // count and sum are not shown
		}
		if err != nil {
			return err
		}
	}
	if ok, err := s.next(2, ']'); err != nil || ok {
		return d.pairError(err, "a histogram sample")
	}
	return nil
}

// readBuckets reads [[<boundaryRule>, "<lower>", "<upper>", "<count>"], ...] (or null), one row per bucket.
func (d *decoder) readBuckets(t time.Time) error {
	s := &d.s
	if null, err := s.skipNull(); err != nil || null {
		return err
	}
	if err := s.enterArray("buckets"); err != nil {
		return err
	}
	h := &d.hist
	for i := 0; ; i++ {
		if d.fastPaths {
			if s.end-s.pos < fastWindow {
				s.fill(fastWindow)
			}
			if n, layout, vals, ok := fastBucket(s.buf[s.pos:s.end], i > 0); ok {
				s.pos += n
				h.append(t, layout, vals)
				continue
			}
		}
		ok, err := s.next(i, ']')
		if err != nil || !ok {
			return err
		}
		if err := s.enterArray("a bucket"); err != nil {
			return err
		}
		if ok, err := s.next(0, ']'); err != nil || !ok {
			return d.bucketError(err)
		}
		layout, err := d.readBoundaryRule()
		if err != nil {
			return err
		}
		var vals [3]float64
		for j := range vals {
			if ok, err := s.next(j+1, ']'); err != nil || !ok {
				return d.bucketError(err)
			}
			if vals[j], err = d.readValue(); err != nil {
				return err
			}
		}
		if ok, err := s.next(4, ']'); err != nil || ok {
			return d.bucketError(err)
		}
		h.append(t, layout, vals)
	}
}

func (h *histogramColumns) append(t time.Time, layout int8, vals [3]float64) {
	h.xMax = append(h.xMax, t)
	h.yMin = append(h.yMin, vals[0])
	h.yMax = append(h.yMax, vals[1])
	h.count = append(h.count, vals[2])
	h.yLayout = append(h.yLayout, layout)
}

// fastBucket decodes `[<rule>,"<lower>","<upper>","<count>"]`, preceded by a comma when sep is set, from the start
// of b. It reports false, consuming nothing, for anything it does not handle.
func fastBucket(b []byte, sep bool) (int, int8, [3]float64, bool) {
	var vals [3]float64
	i := 0
	if sep {
		if len(b) == 0 || b[0] != ',' {
			return 0, 0, vals, false
		}
		i = 1
	}
	if i >= len(b) || b[i] != '[' {
		return 0, 0, vals, false
	}
	i++
	mant, neg, digits, decimals, n := decimalPrefix(b[i:])
	if n == 0 || decimals > 0 || digits > 3 || hasLeadingZero(b[i:i+n]) || mant > 127 {
		return 0, 0, vals, false
	}
	layout := int8(mant)
	if neg {
		layout = -layout
	}
	i += n
	for j := range vals {
		if i >= len(b) || b[i] != ',' {
			return 0, 0, vals, false
		}
		var ok bool
		if vals[j], i, ok = fastQuotedValue(b, i+1); !ok {
			return 0, 0, vals, false
		}
	}
	if i >= len(b) || b[i] != ']' {
		return 0, 0, vals, false
	}
	return i + 1, layout, vals, true
}

func (d *decoder) bucketError(err error) error {
	if err != nil {
		return err
	}
	return d.s.shapef("a bucket is not a [boundaryRule, lower, upper, count] array")
}

func (d *decoder) readBoundaryRule() (int8, error) {
	s := &d.s
	c, err := s.peek()
	if err != nil {
		return 0, err
	}
	if c != '-' && !isDigit(c) {
		return 0, s.shapef("a bucket boundary rule is not a number")
	}
	num, err := s.readNumber()
	if err != nil {
		return 0, err
	}
	rule, ok := parseInt8(num)
	if !ok {
		return 0, s.shapef("invalid bucket boundary rule %s", num)
	}
	return rule, nil
}
