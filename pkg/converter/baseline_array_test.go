package converter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// baselineMember is one member of a JSON object, in document order.
type baselineMember struct {
	key   string
	value json.RawMessage
}

// baselineObject decodes an object keeping the order of its members, which the label columns follow.
func baselineObject(raw []byte) ([]baselineMember, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object: %v", err)
	}
	var members []baselineMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		members = append(members, baselineMember{tok.(string), value})
	}
	return members, nil
}

// baselineTable mirrors stringTable with plain maps and slices.
type baselineTable struct {
	names []string
	cols  map[string][]string
	rows  int
}

func (t *baselineTable) addRow(pairs []baselineMember) error {
	if t.cols == nil {
		t.cols = map[string][]string{}
	}
	row := map[string]string{}
	for _, p := range pairs {
		var v string
		if err := json.Unmarshal(p.value, &v); err != nil {
			return err
		}
		if _, ok := t.cols[p.key]; !ok {
			t.names = append(t.names, p.key)
			t.cols[p.key] = make([]string, t.rows)
		}
		row[p.key] = v
	}
	t.rows++
	for _, name := range t.names {
		t.cols[name] = append(t.cols[name], row[name])
	}
	return nil
}

func (t *baselineTable) fields() []*data.Field {
	var fields []*data.Field
	for _, name := range t.names {
		fields = append(fields, data.NewField(name, nil, t.cols[name]))
	}
	return fields
}

func baselineDataArray(raw []byte, res *Result) error {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return err
	}
	var values []string
	var series baselineTable
	seen := map[string]bool{}
	for _, e := range elems {
		switch e[0] {
		case '"':
			var v string
			if err := json.Unmarshal(e, &v); err != nil {
				return err
			}
			values = append(values, v)
			continue
		case '{':
		default:
			return errors.New("an element of data is not a string or an object")
		}
		members, err := baselineObject(e)
		if err != nil {
			return err
		}
		var pairs []baselineMember
		var isExemplar bool
		var labels data.Labels
		var exemplars []json.RawMessage
		for _, m := range members {
			switch {
			case m.value[0] == '[' && m.key == "exemplars":
				isExemplar = true
				var list []json.RawMessage
				if err := json.Unmarshal(m.value, &list); err != nil {
					return err
				}
				exemplars = append(exemplars, list...)
			case m.value[0] == '{' && m.key == "seriesLabels":
				isExemplar = true
				labels = nil
				if err := json.Unmarshal(m.value, &labels); err != nil {
					return err
				}
			case m.value[0] == '"':
				pairs = append(pairs, m)
			default:
				return fmt.Errorf("unexpected value for %q", m.key)
			}
		}
		if !isExemplar {
			if err := series.addRow(pairs); err != nil {
				return err
			}
			continue
		}
		frame, err := baselineExemplarFrame(labels, exemplars, res, seen)
		if err != nil {
			return err
		}
		res.Frames = append(res.Frames, frame)
	}
	if values != nil {
		res.Frames = append(res.Frames, data.NewFrame("", data.NewField("Value", nil, values)))
	}
	if len(series.names) > 0 {
		res.Frames = append(res.Frames, data.NewFrame("", series.fields()...))
	}
	return nil
}

func baselineExemplarFrame(labels data.Labels, exemplars []json.RawMessage, res *Result, seen map[string]bool) (*data.Frame, error) {
	var times []time.Time
	var values []float64
	var table baselineTable
	for _, raw := range exemplars {
		members, err := baselineObject(raw)
		if err != nil {
			return nil, err
		}
		t, v := secondsToTime(0), 0.0
		var pairs []baselineMember
		for _, m := range members {
			switch m.key {
			case "labels":
				if m.value[0] == 'n' {
					continue
				}
				if pairs, err = baselineObject(m.value); err != nil {
					return nil, err
				}
			case "value":
				var s string
				if err := json.Unmarshal(m.value, &s); err != nil {
					return nil, err
				}
				if v, err = strconv.ParseFloat(s, 64); err != nil {
					return nil, err
				}
			case "timestamp":
				var sec float64
				if err := json.Unmarshal(m.value, &sec); err != nil {
					return nil, err
				}
				t = secondsToTime(sec)
			default:
				text := "unable to parse key: " + m.key + " in response body"
				if !seen[text] {
					seen[text] = true
					res.Notices = append(res.Notices, data.Notice{Severity: data.NoticeSeverityError, Text: text})
				}
			}
		}
		times, values = append(times, t), append(values, v)
		if err := table.addRow(pairs); err != nil {
			return nil, err
		}
	}
	if labels == nil {
		labels = data.Labels{}
	}
	fields := append([]*data.Field{data.NewField("Time", nil, times), data.NewField("Value", labels, values)},
		table.fields()...)
	frame := data.NewFrame("", fields...)
	frame.Meta = &data.FrameMeta{Custom: map[string]any{"resultType": ResultTypeExemplar}}
	return frame, nil
}
