package converter

import (
	"errors"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func newMeta(frameType data.FrameType, resultType string) *data.FrameMeta {
	return &data.FrameMeta{
		Type:        frameType,
		TypeVersion: data.FrameTypeVersion{0, 1},
		Custom:      map[string]any{"resultType": resultType},
	}
}

// readSeriesList reads a matrix (isMatrix) or vector result: one frame per series, in response order.
func readSeriesList(iter *jsoniter.Iterator, res *Result, isMatrix bool) error {
	var err error
	iter.ReadArrayCB(func(it *jsoniter.Iterator) bool {
		var frame *data.Frame
		frame, err = readSeries(it, isMatrix)
		if err != nil {
			return false
		}
		res.Frames = append(res.Frames, frame)
		return it.Error == nil
	})
	return err
}

func readSeries(iter *jsoniter.Iterator, isMatrix bool) (*data.Frame, error) {
	labels := data.Labels{}
	var times []time.Time
	var values []float64
	var err error
	for key := iter.ReadObject(); key != "" && err == nil; key = iter.ReadObject() {
		switch key {
		case "metric":
			for name := iter.ReadObject(); name != ""; name = iter.ReadObject() {
				labels[name] = iter.ReadString()
			}
		case "values":
			iter.ReadArrayCB(func(it *jsoniter.Iterator) bool {
				err = appendSample(it, &times, &values)
				return err == nil
			})
		case "value":
			err = appendSample(iter, &times, &values)
		case "histogram", "histograms":
			return nil, errors.New("native histogram results are not supported by this plugin version")
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			return nil, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if times == nil {
		times, values = []time.Time{}, []float64{}
	}
	frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, times),
		data.NewField(data.TimeSeriesValueFieldName, labels, values))
	if isMatrix {
		frame.Meta = newMeta(data.FrameTypeTimeSeriesMulti, "matrix")
	} else {
		frame.Meta = newMeta(data.FrameTypeNumericMulti, "vector")
	}
	return frame, nil
}

func appendSample(iter *jsoniter.Iterator, times *[]time.Time, values *[]float64) error {
	ts, raw, ok := readSample(iter)
	if !ok {
		if iter.Error != nil {
			return nil
		}
		return errors.New("response from prometheus couldn't be parsed: a sample is not a [time, value] pair")
	}
	v, err := parseValue(raw)
	if err != nil {
		return err
	}
	*times = append(*times, ts)
	*values = append(*values, v)
	return nil
}

func readScalar(iter *jsoniter.Iterator) (*data.Frame, error) {
	times, values := []time.Time{}, []float64{}
	if err := appendSample(iter, &times, &values); err != nil {
		return nil, err
	}
	frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, times),
		data.NewField(data.TimeSeriesValueFieldName, data.Labels{}, values))
	frame.Meta = newMeta(data.FrameTypeNumericMulti, "scalar")
	return frame, nil
}

func readStringResult(iter *jsoniter.Iterator) *data.Frame {
	ts, val, ok := readSample(iter)
	times, values := []time.Time{}, []string{}
	if ok {
		times, values = append(times, ts), append(values, val)
	}
	frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, times),
		data.NewField(data.TimeSeriesValueFieldName, data.Labels{}, values))
	// Grafana's Prometheus backend sends string results without a type version.
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, Custom: map[string]any{"resultType": "string"}}
	return frame
}

// frameTypeHeatmapCells is the frame type of native histogram frames; the SDK has no constant for it.
const frameTypeHeatmapCells data.FrameType = "heatmap-cells"
