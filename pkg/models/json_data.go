package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// jsonData reads jsonData keys with explicit type checks. Grafana stores whatever provisioning, Terraform or the
// HTTP API sent, so every key may hold any JSON type; the plugin SDK's own parser panics on some of them.
type jsonData map[string]any

func parseJSONData(raw []byte) (jsonData, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return jsonData{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, &SettingsError{Field: "jsonData", Problem: "is not a JSON object: " + err.Error(),
			Fix: "save the data source again from the configuration page or fix the provisioning file"}
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// describe names a JSON value's type and value for error messages.
func describe(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("string %q", t)
	case json.Number:
		return "number " + t.String()
	case bool:
		return "boolean " + strconv.FormatBool(t)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// str returns a string key. Absent and null read as "".
func (d jsonData) str(key, fix string) (string, error) {
	switch v := d[key].(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(v), nil
	default:
		return "", &SettingsError{Field: "jsonData." + key, Problem: "must be a string, got " + describe(v), Fix: fix}
	}
}

// boolean returns a bool key. The strings "true" and "false" are accepted because provisioning files that
// expand environment variables can only produce strings.
func (d jsonData) boolean(key string, def bool) (bool, error) {
	switch v := d[key].(type) {
	case nil:
		return def, nil
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return false, &SettingsError{Field: "jsonData." + key, Problem: "must be a boolean, got " + describe(v),
			Fix: "use true or false"}
	default:
		return false, &SettingsError{Field: "jsonData." + key, Problem: "must be a boolean, got " + describe(v),
			Fix: "use true or false"}
	}
}

// number returns a numeric key; numeric strings are accepted for the same reason as in boolean.
func (d jsonData) number(key string, def float64, fix string) (float64, error) {
	switch v := d[key].(type) {
	case nil:
		return def, nil
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return 0, &SettingsError{Field: "jsonData." + key, Problem: "is not a valid number: " + v.String(), Fix: fix}
		}
		return f, nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return def, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, &SettingsError{Field: "jsonData." + key, Problem: "must be a number, got " + describe(v), Fix: fix}
		}
		return f, nil
	default:
		return 0, &SettingsError{Field: "jsonData." + key, Problem: "must be a number, got " + describe(v), Fix: fix}
	}
}

// SettingsError names the setting that is wrong and how to fix it.
type SettingsError struct {
	Field   string
	Problem string
	Fix     string
}

func (e *SettingsError) Error() string {
	msg := "invalid data source settings: " + e.Field + " " + e.Problem
	if e.Fix != "" {
		msg += "; " + e.Fix
	}
	return msg
}
