package converter

import (
	"errors"
	"io"
	"strconv"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// jsoniterRead is a second benchmark reference: a json-iterator streaming decoder in the style of Grafana's
// Prometheus converter and of this package before it got its own tokenizer (ReadObject for keys, ReadString for
// values, append-grown columns). It handles only what the benchmarks need: matrix and vector results, with float
// samples or native histograms, resultType first.
func jsoniterRead(r io.Reader) (*Result, error) {
	iter := jsoniter.Parse(jsoniter.ConfigDefault, r, 32*1024)
	res := &Result{}
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		if key != "data" {
			iter.Skip()
			continue
		}
		resultType := ""
		for dk := iter.ReadObject(); dk != ""; dk = iter.ReadObject() {
			switch dk {
			case "resultType":
				resultType = iter.ReadString()
			case "result":
				for iter.ReadArray() {
					res.Frames = append(res.Frames, jsoniterSeries(iter, resultType))
				}
			default:
				iter.Skip()
			}
		}
	}
	if iter.Error != nil && !errors.Is(iter.Error, io.EOF) {
		return nil, iter.Error
	}
	return res, nil
}

func jsoniterSeries(iter *jsoniter.Iterator, resultType string) *data.Frame {
	labels := data.Labels{}
	var times, xMax []time.Time
	var values, yMin, yMax, count []float64
	var layout []int8
	isHistogram := false
	sample := func() {
		iter.ReadArray()
		times = append(times, secondsToTime(iter.ReadFloat64()))
		iter.ReadArray()
		v, _ := strconv.ParseFloat(iter.ReadString(), 64)
		values = append(values, v)
		iter.ReadArray()
	}
	histogram := func() {
		iter.ReadArray()
		t := secondsToTime(iter.ReadFloat64())
		iter.ReadArray()
		for hk := iter.ReadObject(); hk != ""; hk = iter.ReadObject() {
			if hk != "buckets" {
				iter.Skip()
				continue
			}
			for iter.ReadArray() {
				iter.ReadArray()
				layout = append(layout, iter.ReadInt8())
				var v [3]float64
				for j := range v {
					iter.ReadArray()
					v[j], _ = strconv.ParseFloat(iter.ReadString(), 64)
				}
				iter.ReadArray()
				xMax, yMin, yMax, count = append(xMax, t), append(yMin, v[0]), append(yMax, v[1]), append(count, v[2])
			}
		}
		iter.ReadArray()
	}
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		switch key {
		case "metric":
			for name := iter.ReadObject(); name != ""; name = iter.ReadObject() {
				labels[name] = iter.ReadString()
			}
		case "values":
			for iter.ReadArray() {
				sample()
			}
		case "value":
			sample()
		case "histograms":
			isHistogram = true
			for iter.ReadArray() {
				histogram()
			}
		case "histogram":
			isHistogram = true
			histogram()
		default:
			iter.Skip()
		}
	}
	if isHistogram {
		frame := data.NewFrame("", data.NewField("xMax", labels.Copy(), xMax), data.NewField("yMin", labels.Copy(), yMin),
			data.NewField("yMax", labels.Copy(), yMax), data.NewField("count", labels.Copy(), count),
			data.NewField("yLayout", labels, layout))
		frame.Meta = &data.FrameMeta{Type: frameTypeHeatmapCells}
		return frame
	}
	frame := data.NewFrame("", data.NewField("Time", nil, times), data.NewField("Value", labels, values))
	if resultType == "matrix" {
		frame.Meta = newMeta(data.FrameTypeTimeSeriesMulti, "matrix")
	} else {
		frame.Meta = newMeta(data.FrameTypeNumericMulti, "vector")
	}
	return frame
}
