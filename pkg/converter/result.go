package converter

import (
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// resultValue is a decoded data.result before its resultType is applied. Matrix and vector series decode the same
// way and differ only in meta, so a result that arrives before its resultType is decoded as it streams, without
// buffering, and typed afterwards.
type resultValue struct {
	frames []*data.Frame
	// pair is set for a [time, "value"] result (scalar or string).
	pair      bool
	pairTime  time.Time
	pairValue string
}

func knownResultType(t string) bool {
	switch t {
	case "matrix", "vector", "scalar", "string":
		return true
	}
	return false
}

// readDataObject reads {resultType, result, stats, ...}.
func (d *decoder) readDataObject() error {
	s := &d.s
	if err := s.enterObject("data"); err != nil {
		return err
	}
	var resultType string
	var haveType bool
	var pending []resultValue // results read before resultType
	var pendingErr error
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch string(key) {
		case "resultType":
			resultType, err = d.readOptionalString("resultType")
			haveType = err == nil
		case "result":
			if haveType {
				if !knownResultType(resultType) {
					return fmt.Errorf("unknown result type: %s", resultType)
				}
				var rv resultValue
				if rv, err = d.readResultValue(); err == nil {
					err = d.addResult(resultType, rv)
				}
				break
			}
			depth := s.depth
			rv, rerr := d.readResultValue()
			switch {
			case rerr == nil:
				pending = append(pending, rv)
			case isShapeError(rerr):
				// The resultType that follows may explain the shape (an unknown type); skip to find it.
				pendingErr = errors.Join(pendingErr, rerr)
				if s.depth > depth {
					err = s.skipToDepth(depth)
				} else {
					err = s.skipValue()
				}
			default:
				err = rerr
			}
		case "stats":
			err = d.readStats()
		default:
			err = s.skipValue()
		}
		if err != nil {
			return err
		}
	}
	if haveType && !knownResultType(resultType) {
		return fmt.Errorf("unknown result type: %s", resultType)
	}
	if len(pending) > 0 || pendingErr != nil {
		if !haveType {
			return errors.New("no resultType found")
		}
		if pendingErr != nil {
			return pendingErr
		}
	}
	for _, rv := range pending {
		if err := d.addResult(resultType, rv); err != nil {
			return err
		}
	}
	return nil
}

// readResultValue reads a result array: a list of series, or a [time, "value"] pair.
func (d *decoder) readResultValue() (resultValue, error) {
	s := &d.s
	var rv resultValue
	if null, err := s.skipNull(); err != nil || null {
		return rv, err
	}
	if err := s.enterArray("result"); err != nil {
		return rv, err
	}
	ok, err := s.next(0, ']')
	if err != nil || !ok {
		return rv, err
	}
	c, err := s.peek()
	if err != nil {
		return rv, err
	}
	if c != '{' {
		rv.pair = true
		if rv.pairTime, err = d.readTime(); err != nil {
			return rv, err
		}
		if ok, err = s.next(1, ']'); err != nil || !ok {
			return rv, d.pairError(err, "result")
		}
		b, err := d.readValueString()
		if err != nil {
			return rv, err
		}
		rv.pairValue = string(b)
		if ok, err = s.next(2, ']'); err != nil || ok {
			return rv, d.pairError(err, "result")
		}
		return rv, nil
	}
	for i := 1; ; i++ {
		frame, err := d.readSeries()
		if err != nil {
			return rv, err
		}
		if err := d.charge(frame); err != nil {
			return rv, err
		}
		rv.frames = append(rv.frames, frame)
		if ok, err = s.next(i, ']'); err != nil || !ok {
			return rv, err
		}
	}
}

// addResult types a decoded result and appends its frames.
func (d *decoder) addResult(resultType string, rv resultValue) error {
	switch resultType {
	case "matrix", "vector":
		if rv.pair {
			return d.s.shapef("a %s result is not a list of series", resultType)
		}
		frameType := data.FrameTypeTimeSeriesMulti
		if resultType == "vector" {
			frameType = data.FrameTypeNumericMulti
		}
		setSeriesMeta(rv.frames, frameType, resultType)
		d.res.Frames = append(d.res.Frames, rv.frames...)
		return nil
	case "scalar":
		if !rv.pair {
			return d.s.shapef("a scalar result is not a [time, value] pair")
		}
		v, err := parseFloat([]byte(rv.pairValue))
		if err != nil {
			return d.s.shapef("invalid scalar value %q", truncate(rv.pairValue))
		}
		frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, []time.Time{rv.pairTime}),
			data.NewField(data.TimeSeriesValueFieldName, data.Labels{}, []float64{v}))
		frame.Meta = newMeta(data.FrameTypeNumericMulti, "scalar")
		d.res.Frames = append(d.res.Frames, frame)
		return nil
	}
	if !rv.pair {
		return d.s.shapef("a string result is not a [time, value] pair")
	}
	frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, []time.Time{rv.pairTime}),
		data.NewField(data.TimeSeriesValueFieldName, data.Labels{}, []string{rv.pairValue}))
	// Grafana's Prometheus backend sends string results without a type version.
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, Custom: map[string]any{"resultType": "string"}}
	d.res.Frames = append(d.res.Frames, frame)
	return nil
}

// setSeriesMeta gives the frames of a matrix or vector result their meta. Histogram frames already have theirs.
// The frames share one Custom map, as a vector can have tens of thousands of frames; code that changes Custom on
// one frame must replace the map (MarkFirstFrame and formats.AddStats clone it).
func setSeriesMeta(frames []*data.Frame, frameType data.FrameType, resultType string) {
	var custom map[string]any
	for _, f := range frames {
		if f.Meta == nil {
			if custom == nil {
				custom = map[string]any{"resultType": boxedResultType(resultType)}
			}
			f.Meta = &data.FrameMeta{Type: frameType, TypeVersion: data.FrameTypeVersion{0, 1}, Custom: custom}
		}
	}
}

func newMeta(frameType data.FrameType, resultType string) *data.FrameMeta {
	return &data.FrameMeta{
		Type:        frameType,
		TypeVersion: data.FrameTypeVersion{0, 1},
		Custom:      map[string]any{"resultType": boxedResultType(resultType)},
	}
}

// boxedResultType returns the result type as an interface without allocating: constant strings convert to any
// for free, variables do not, and there is one meta per frame.
func boxedResultType(resultType string) any {
	switch resultType {
	case "matrix":
		return "matrix"
	case "vector":
		return "vector"
	case "scalar":
		return "scalar"
	}
	return resultType
}

// readStats keeps data.stats when it is an object; it is small, so a generic decode is fine.
func (d *decoder) readStats() error {
	if c, err := d.s.peek(); err != nil || c != '{' {
		if err != nil {
			return err
		}
		return d.s.skipValue()
	}
	v, err := d.readGeneric(d.s.offset())
	if err != nil {
		return err
	}
	d.res.Stats = v.(map[string]any)
	return nil
}
