package pluginhost

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// LookupFunc resolves an environment variable; os.LookupEnv is the default.
type LookupFunc func(name string) (string, bool)

// providerPattern matches Grafana's $__provider{argument} expanders.
var providerPattern = regexp.MustCompile(`\$__(\w+)\{(.*?)\}`)

// Expand interpolates a provisioning string value the way Grafana does:
// "$$" is a literal "$"; in between, $__env{NAME} and $__file{path} are
// expanded first, then $NAME and ${NAME} with os.Expand rules. Unset
// variables expand to "".
func Expand(s string, lookup LookupFunc) (string, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	env := func(name string) string {
		v, _ := lookup(name)
		return v
	}
	parts := strings.Split(s, "$$")
	for i, part := range parts {
		var err error
		if part, err = expandProviders(part, env); err != nil {
			return "", fmt.Errorf("interpolate %q: %w", s, err)
		}
		parts[i] = os.Expand(part, env)
	}
	return strings.Join(parts, "$"), nil
}

func expandProviders(s string, env func(string) string) (string, error) {
	var firstErr error
	out := providerPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := providerPattern.FindStringSubmatch(m)
		switch sub[1] {
		case "env":
			return env(sub[2])
		case "file":
			b, err := os.ReadFile(sub[2])
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("$__file: %w", err)
			}
			// Grafana trims file contents so a trailing newline in a
			// secret file does not end up in the value.
			return strings.TrimSpace(string(b))
		default:
			if firstErr == nil {
				firstErr = fmt.Errorf("unsupported expander $__%s", sub[1])
			}
			return m
		}
	})
	return out, firstErr
}

// expandTree copies a decoded YAML value, expanding every string and leaving
// numbers, booleans and nulls as they are. Keys are not expanded, as in
// Grafana, and non-string keys are dropped because JSON cannot hold them.
func expandTree(v any, lookup LookupFunc) (any, error) {
	switch t := v.(type) {
	case string:
		return Expand(t, lookup)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			var err error
			if out[i], err = expandTree(e, lookup); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			var err error
			if out[k], err = expandTree(e, lookup); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			key, ok := k.(string)
			if !ok {
				continue
			}
			var err error
			if out[key], err = expandTree(e, lookup); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
		return out, nil
	default:
		return v, nil
	}
}
