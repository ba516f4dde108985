package pluginhost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// scalar is a provisioning value before expansion; null counts as unset.
type scalar struct {
	set   bool
	value string
}

func (s *scalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a single value", n.Line)
	}
	if n.ShortTag() != "!!null" {
		s.set, s.value = true, n.Value
	}
	return nil
}

// converter expands and converts fields, keeping the first error.
type converter struct {
	lookup LookupFunc
	err    error
}

func (c *converter) fail(field string, err error) {
	if c.err == nil {
		c.err = fmt.Errorf("%s: %w", field, err)
	}
}

func (c *converter) str(field string, s scalar) string {
	v, err := Expand(s.value, c.lookup)
	if err != nil {
		c.fail(field, err)
	}
	return v
}

func (c *converter) int(field string, s scalar) int64 {
	v := c.str(field, s)
	if !s.set || v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		c.fail(field, fmt.Errorf("%q is not an integer", v))
	}
	return n
}

func (c *converter) bool(field string, s scalar) bool {
	v := c.str(field, s)
	if !s.set {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.fail(field, fmt.Errorf("%q is not a boolean", v))
	}
	return b
}

func (c *converter) jsonData(node *yaml.Node) json.RawMessage {
	if node.Kind == 0 || node.ShortTag() == "!!null" {
		return json.RawMessage("{}")
	}
	if node.Kind != yaml.MappingNode {
		c.fail("jsonData", fmt.Errorf("line %d: must be a mapping", node.Line))
		return nil
	}
	var decoded any
	if err := node.Decode(&decoded); err != nil {
		c.fail("jsonData", err)
		return nil
	}
	expanded, err := expandTree(decoded, c.lookup)
	if err != nil {
		c.fail("jsonData", err)
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(expanded); err != nil {
		c.fail("jsonData", err)
		return nil
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
}

func (c *converter) secure(node *yaml.Node) map[string]string {
	if node.Kind == 0 || node.ShortTag() == "!!null" {
		return map[string]string{}
	}
	var raw map[string]scalar
	if err := node.Decode(&raw); err != nil {
		c.fail("secureJsonData", err)
		return nil
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		out[k] = c.str("secureJsonData."+k, v)
	}
	return out
}

var (
	updatedMu   sync.Mutex
	lastUpdated time.Time
)

// nextUpdated returns the current time, moved forward so every call differs
// by at least a millisecond: each load must look like a settings change.
func nextUpdated() time.Time {
	updatedMu.Lock()
	defer updatedMu.Unlock()
	now := time.Now().Truncate(time.Millisecond)
	if !now.After(lastUpdated) {
		now = lastUpdated.Add(time.Millisecond)
	}
	lastUpdated = now
	return now
}
