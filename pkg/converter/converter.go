// Package converter turns Prometheus HTTP API responses into Grafana data frames. It decodes the body as a stream
// straight into frame columns; it knows nothing about HTTP.
package converter

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Result is a decoded Prometheus response envelope.
type Result struct {
	Frames   data.Frames
	Warnings []string
	Infos    []string
	// Stats is the raw data.stats object when the request asked for stats=all.
	Stats map[string]any
	// ErrorType and Error are set when the envelope's status is "error".
	ErrorType string
	Error     string
}

// Err returns the envelope error as a Go error, or nil.
func (r *Result) Err() error {
	if r.Error == "" && r.ErrorType == "" {
		return nil
	}
	return fmt.Errorf("%s: %s", r.ErrorType, r.Error)
}

// readBufferSize bounds how much of the body is held at once.
const readBufferSize = 32 * 1024

// ReadResponse decodes a Prometheus query response (query, query_range) from r.
func ReadResponse(r io.Reader) (*Result, error) {
	iter := jsoniter.Parse(jsoniter.ConfigDefault, r, readBufferSize)
	if iter.WhatIsNext() != jsoniter.ObjectValue {
		if iter.Error != nil && !errors.Is(iter.Error, io.EOF) {
			return nil, fmt.Errorf("response from prometheus couldn't be parsed. it is non-json: %w", iter.Error)
		}
		return nil, errors.New("response from prometheus couldn't be parsed. it is non-json")
	}
	res := &Result{}
	var status string
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		switch key {
		case "status":
			status = iter.ReadString()
		case "error":
			res.Error = iter.ReadString()
		case "errorType":
			res.ErrorType = iter.ReadString()
		case "warnings":
			res.Warnings = readStrings(iter)
		case "infos":
			res.Infos = readStrings(iter)
		case "data":
			if iter.WhatIsNext() == jsoniter.NilValue {
				iter.Skip()
				continue
			}
			if err := readData(iter, res); err != nil {
				return nil, err
			}
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			break
		}
	}
	if iter.Error != nil && !errors.Is(iter.Error, io.EOF) {
		return nil, fmt.Errorf("response from prometheus couldn't be parsed: %w", iter.Error)
	}
	if status == "error" && res.Error == "" {
		res.Error = "unknown error"
	}
	if status == "error" {
		res.Frames = nil
	}
	return res, nil
}

func readStrings(iter *jsoniter.Iterator) []string {
	var out []string
	iter.ReadArrayCB(func(it *jsoniter.Iterator) bool {
		out = append(out, it.ReadString())
		return true
	})
	return out
}

func readData(iter *jsoniter.Iterator, res *Result) error {
	if iter.WhatIsNext() != jsoniter.ObjectValue {
		return errors.New("response from prometheus couldn't be parsed: data is not an object")
	}
	var resultType string
	var buffered []byte
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		switch key {
		case "resultType":
			resultType = iter.ReadString()
		case "result":
			if resultType == "" {
				// Prometheus writes resultType first; other servers may not, so keep the raw result until we know.
				buffered = iter.SkipAndReturnBytes()
				continue
			}
			if err := readResult(iter, resultType, res); err != nil {
				return err
			}
		case "stats":
			if m, ok := iter.Read().(map[string]any); ok {
				res.Stats = m
			}
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			return nil
		}
	}
	if buffered != nil {
		if resultType == "" {
			return errors.New("no resultType found")
		}
		sub := jsoniter.ParseBytes(jsoniter.ConfigDefault, buffered)
		if err := readResult(sub, resultType, res); err != nil {
			return err
		}
		if sub.Error != nil && !errors.Is(sub.Error, io.EOF) {
			return fmt.Errorf("response from prometheus couldn't be parsed: %w", sub.Error)
		}
	}
	return nil
}

func readResult(iter *jsoniter.Iterator, resultType string, res *Result) error {
	switch resultType {
	case "matrix":
		return readSeriesList(iter, res, true)
	case "vector":
		return readSeriesList(iter, res, false)
	case "scalar":
		frame, err := readScalar(iter)
		if err != nil {
			return err
		}
		res.Frames = append(res.Frames, frame)
		return nil
	case "string":
		res.Frames = append(res.Frames, readStringResult(iter))
		return nil
	default:
		return fmt.Errorf("unknown result type: %s", resultType)
	}
}

// readSample reads a [<unix seconds>, "<value>"] pair.
func readSample(iter *jsoniter.Iterator) (time.Time, string, bool) {
	var ts time.Time
	var val string
	i := 0
	iter.ReadArrayCB(func(it *jsoniter.Iterator) bool {
		switch i {
		case 0:
			ts = secondsToTime(it.ReadFloat64())
		case 1:
			val = it.ReadString()
		default:
			it.Skip()
		}
		i++
		return it.Error == nil
	})
	return ts, val, i >= 2 && iter.Error == nil
}

func secondsToTime(sec float64) time.Time {
	return time.UnixMilli(int64(sec * 1000)).UTC()
}

func parseValue(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("response from prometheus couldn't be parsed: invalid sample value %q", s)
	}
	return v, nil
}
