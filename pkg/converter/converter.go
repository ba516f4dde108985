// Package converter turns Prometheus HTTP API responses into Grafana data frames. It decodes the body as a stream
// straight into frame columns, with its own tokenizer, and knows nothing about HTTP.
package converter

import (
	"fmt"
	"io"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Result is a decoded Prometheus response envelope.
type Result struct {
	Frames   data.Frames
	Warnings []string
	Infos    []string
	// Notices are problems found in an otherwise valid body (severity error), such as an unknown key inside an
	// exemplar. Decorate adds them to every frame after the warnings and infos.
	Notices []data.Notice
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

// ReadResponse decodes a Prometheus API response (query, query_range, query_exemplars, labels, label values,
// series) from r. It reads r only up to the end of the top-level JSON object. On error it returns no Result.
//
// The body is decoded as it streams, straight into frame columns; nothing but the current token is buffered, even
// when result comes before resultType. Memory stays proportional to the frames produced: a kept string token is
// limited to 4 MiB (skipped ones are not limited), a number to 512 bytes, nesting to 128 levels, data.stats to
// 16 MiB, the string cells of label and exemplar tables to 2^20 plus one per byte read, and the read buffer never
// exceeds about 8 MiB. Past a limit, decoding stops with an error.
//
// The series frames of one response share their time field when their timestamps are equal, and share one
// meta.custom map. Replace a field, its values or the Custom map of one frame rather than change them in place;
// setting the same Config on every frame of the response is fine.
func ReadResponse(r io.Reader) (*Result, error) {
	return readResponse(r, defaultBufferSize, true)
}

// readResponse lets tests shrink the buffer and turn off the fast paths, to compare them with the general path.
func readResponse(r io.Reader, bufSize int, fastPaths bool) (*Result, error) {
	return readResponseWithin(r, bufSize, fastPaths, Budget{})
}

func readResponseWithin(r io.Reader, bufSize int, fastPaths bool, b Budget) (*Result, error) {
	d := getDecoder(r, bufSize)
	d.fastPaths = fastPaths
	d.budget, d.series, d.samples = b, 0, 0
	defer d.release()
	res, err := d.readEnvelope()
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (d *decoder) readEnvelope() (*Result, error) {
	s := &d.s
	c, err := s.peek()
	if err == nil && c != '{' {
		err = s.errorf("unexpected character %q", c)
	}
	if err != nil {
		return nil, fmt.Errorf("response from prometheus couldn't be parsed. it is non-json: %w", err)
	}
	if err := s.enterObject("response"); err != nil {
		return nil, err
	}
	res := &Result{}
	d.res = res
	var status string
	for i := 0; ; i++ {
		key, ok, err := s.nextKey(i)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch string(key) {
		case "status":
			status, err = d.readOptionalString("status")
		case "error":
			res.Error, err = d.readOptionalString("error")
		case "errorType":
			res.ErrorType, err = d.readOptionalString("errorType")
		case "warnings":
			res.Warnings, err = d.readStringList(res.Warnings)
		case "infos":
			res.Infos, err = d.readStringList(res.Infos)
		case "data":
			err = d.readData()
		default:
			err = s.skipValue()
		}
		if err != nil {
			return nil, err
		}
	}
	if status == "error" {
		if res.Error == "" {
			res.Error = "unknown error"
		}
		res.Frames, res.Notices = nil, nil
	}
	return res, nil
}

// readOptionalString reads a string or null (as "").
func (d *decoder) readOptionalString(what string) (string, error) {
	c, err := d.s.peek()
	if err != nil {
		return "", err
	}
	if c == 'n' {
		return "", d.s.skipLiteral()
	}
	if c != '"' {
		return "", d.s.shapef("%s is not a string", what)
	}
	b, err := d.s.readString()
	return string(b), err
}

// readStringList appends an array of strings (or null) to list.
func (d *decoder) readStringList(list []string) ([]string, error) {
	s := &d.s
	if null, err := s.skipNull(); err != nil || null {
		if err != nil {
			return nil, err
		}
		return list, nil
	}
	if err := s.enterArray("warnings and infos"); err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		ok, err := s.next(i, ']')
		if err != nil || !ok {
			return list, err
		}
		if c, err := s.peek(); err != nil || c != '"' {
			if err != nil {
				return nil, err
			}
			return nil, s.shapef("a warning or info is not a string")
		}
		b, err := s.readString()
		if err != nil {
			return nil, err
		}
		list = append(list, string(b))
	}
}

// readData reads the data member: an object for queries, an array for exemplars, labels and series.
func (d *decoder) readData() error {
	c, err := d.s.peek()
	if err != nil {
		return err
	}
	switch c {
	case '{':
		return d.readDataObject()
	case '[':
		return d.readDataArray()
	case 'n':
		return d.s.skipLiteral()
	}
	return d.s.shapef("data is not an object or array")
}
