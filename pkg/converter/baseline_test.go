package converter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// baselineRead is a straightforward encoding/json implementation of ReadResponse: it decodes the whole body into
// Go values and builds the frames from them. It is the reference of the differential test and the baseline of the
// benchmarks; it does not bound anything.
func baselineRead(r io.Reader) (*Result, error) {
	var env struct {
		Status    string          `json:"status"`
		Error     string          `json:"error"`
		ErrorType string          `json:"errorType"`
		Warnings  []string        `json:"warnings"`
		Infos     []string        `json:"infos"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(r).Decode(&env); err != nil {
		return nil, err
	}
	res := &Result{Error: env.Error, ErrorType: env.ErrorType, Warnings: env.Warnings, Infos: env.Infos}
	data := bytes.TrimSpace(env.Data)
	var err error
	switch {
	case len(data) == 0 || data[0] == 'n':
	case data[0] == '{':
		err = baselineDataObject(data, res)
	case data[0] == '[':
		err = baselineDataArray(data, res)
	default:
		err = errors.New("data is not an object or array")
	}
	if err != nil {
		return nil, err
	}
	if env.Status == "error" {
		if res.Error == "" {
			res.Error = "unknown error"
		}
		res.Frames, res.Notices = nil, nil
	}
	return res, nil
}

func baselineDataObject(raw []byte, res *Result) error {
	var obj struct {
		ResultType *string          `json:"resultType"`
		Result     json.RawMessage  `json:"result"`
		Stats      *json.RawMessage `json:"stats"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return err
	}
	if obj.Stats != nil && bytes.HasPrefix(bytes.TrimSpace(*obj.Stats), []byte("{")) {
		if err := json.Unmarshal(*obj.Stats, &res.Stats); err != nil {
			return err
		}
	}
	if obj.ResultType == nil {
		if obj.Result != nil {
			return errors.New("no resultType found")
		}
		return nil
	}
	resultType := *obj.ResultType
	if !knownResultType(resultType) {
		return fmt.Errorf("unknown result type: %s", resultType)
	}
	if obj.Result == nil {
		return nil
	}
	switch resultType {
	case "matrix", "vector":
		var series []baselineSeries
		if err := json.Unmarshal(obj.Result, &series); err != nil {
			return err
		}
		for _, s := range series {
			res.Frames = append(res.Frames, s.frame(resultType))
		}
		return nil
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(obj.Result, &pair); err != nil {
		return err
	}
	if len(pair) != 2 {
		return errors.New("result is not a pair")
	}
	var sec float64
	var value string
	if err := errors.Join(json.Unmarshal(pair[0], &sec), json.Unmarshal(pair[1], &value)); err != nil {
		return err
	}
	times := []time.Time{secondsToTime(sec)}
	if resultType == "string" {
		frame := data.NewFrame("", data.NewField("Time", nil, times), data.NewField("Value", data.Labels{}, []string{value}))
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, Custom: map[string]any{"resultType": "string"}}
		res.Frames = append(res.Frames, frame)
		return nil
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return err
	}
	frame := data.NewFrame("", data.NewField("Time", nil, times), data.NewField("Value", data.Labels{}, []float64{v}))
	frame.Meta = newMeta(data.FrameTypeNumericMulti, "scalar")
	res.Frames = append(res.Frames, frame)
	return nil
}

type baselineSeries struct {
	Metric     map[string]string `json:"metric"`
	Values     []baselineSample  `json:"values"`
	Value      *baselineSample   `json:"value"`
	Histograms []baselineHist    `json:"histograms"`
	Histogram  *baselineHist     `json:"histogram"`
}

func (s baselineSeries) frame(resultType string) *data.Frame {
	labels := data.Labels(s.Metric)
	if labels == nil {
		labels = data.Labels{}
	}
	if s.Histograms != nil || s.Histogram != nil {
		hists := s.Histograms
		if s.Histogram != nil {
			hists = append(hists, *s.Histogram)
		}
		var xMax []time.Time
		var yMin, yMax, count []float64
		var layout []int8
		for _, h := range hists {
			for _, b := range h.buckets {
				xMax, layout = append(xMax, h.t), append(layout, b.rule)
				yMin, yMax, count = append(yMin, b.lower), append(yMax, b.upper), append(count, b.count)
			}
		}
		frame := data.NewFrame("", data.NewField("xMax", labels.Copy(), xMax), data.NewField("yMin", labels.Copy(), yMin),
			data.NewField("yMax", labels.Copy(), yMax), data.NewField("count", labels.Copy(), count),
			data.NewField("yLayout", labels, layout))
		frame.Meta = &data.FrameMeta{Type: frameTypeHeatmapCells}
		return frame
	}
	samples := s.Values
	if s.Value != nil {
		samples = append(samples, *s.Value)
	}
	times := make([]time.Time, 0, len(samples))
	values := make([]float64, 0, len(samples))
	for _, p := range samples {
		times, values = append(times, p.t), append(values, p.v)
	}
	frame := data.NewFrame("", data.NewField("Time", nil, times), data.NewField("Value", labels, values))
	if resultType == "matrix" {
		frame.Meta = newMeta(data.FrameTypeTimeSeriesMulti, "matrix")
	} else {
		frame.Meta = newMeta(data.FrameTypeNumericMulti, "vector")
	}
	return frame
}

type baselineSample struct {
	t time.Time
	v float64
}

func (p *baselineSample) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if len(pair) != 2 {
		return errors.New("sample is not a pair")
	}
	var sec float64
	var value string
	if err := errors.Join(json.Unmarshal(pair[0], &sec), json.Unmarshal(pair[1], &value)); err != nil {
		return err
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return err
	}
	p.t, p.v = secondsToTime(sec), v
	return nil
}

type baselineBucket struct {
	rule                int8
	lower, upper, count float64
}

type baselineHist struct {
	t       time.Time
	buckets []baselineBucket
}

func (h *baselineHist) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if len(pair) != 2 {
		return errors.New("histogram sample is not a pair")
	}
	var sec float64
	var body struct {
		Buckets [][]json.RawMessage `json:"buckets"`
	}
	if err := errors.Join(json.Unmarshal(pair[0], &sec), json.Unmarshal(pair[1], &body)); err != nil {
		return err
	}
	h.t = secondsToTime(sec)
	for _, raw := range body.Buckets {
		if len(raw) != 4 {
			return errors.New("bucket is not a 4-tuple")
		}
		var bk baselineBucket
		var s [3]string
		if err := errors.Join(json.Unmarshal(raw[0], &bk.rule), json.Unmarshal(raw[1], &s[0]),
			json.Unmarshal(raw[2], &s[1]), json.Unmarshal(raw[3], &s[2])); err != nil {
			return err
		}
		var err [3]error
		bk.lower, err[0] = strconv.ParseFloat(s[0], 64)
		bk.upper, err[1] = strconv.ParseFloat(s[1], 64)
		bk.count, err[2] = strconv.ParseFloat(s[2], 64)
		if err := errors.Join(err[:]...); err != nil {
			return err
		}
		h.buckets = append(h.buckets, bk)
	}
	return nil
}
