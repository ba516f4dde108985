package resources

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The suggestions resource only needs the metric names a query selects. The Prometheus PromQL parser is not
// available to the plugin's module graph, so a small scanner finds them: identifiers that are not functions,
// aggregations, keywords or grouping labels, and the values of __name__ matchers (or bare quoted names) inside
// braces. It never fails: text it does not understand is skipped, which at worst drops a name from the filter.

type tokenKind int

const (
	tokIdent tokenKind = iota
	tokString
	tokOther
)

type token struct {
	kind tokenKind
	text string // identifier text, the unquoted string value, or the punctuation/operator
}

var (
	// groupingKeywords are followed by a parenthesised list of label names, which are not metric names.
	groupingKeywords = []string{"by", "without", "on", "ignoring", "group_left", "group_right"}
	// otherKeywords are aggregation operators (which may be followed by "by" instead of "("), binary operators
	// and literals.
	otherKeywords = []string{"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk",
		"count_values", "quantile", "limitk", "limit_ratio", "and", "or", "unless", "atan2", "bool", "offset",
		"inf", "nan"}
	macroPattern = regexp.MustCompile(`\$(?:\{(__[a-z_]+)\}|(__[a-z_]+))`)
	// dummyMacros are the values the suggestions resource gives Grafana's interval macros: only names matter.
	dummyMacros = map[string]string{"__interval": "1m", "__interval_ms": "60000", "__rate_interval": "1m",
		"__rate_interval_ms": "60000", "__range": "1m", "__range_ms": "60000", "__range_s": "60"}
)

// metricNames returns the sorted, distinct metric names expr selects.
func metricNames(expr string) []string {
	expr = macroPattern.ReplaceAllStringFunc(expr, func(m string) string {
		sub := macroPattern.FindStringSubmatch(m)
		if v, ok := dummyMacros[sub[1]+sub[2]]; ok {
			return v
		}
		return m
	})
	toks := tokenize(expr)
	var names []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tokIdent && slices.Contains(groupingKeywords, strings.ToLower(t.text)):
			if i+1 < len(toks) && toks[i+1].text == "(" {
				i = closing(toks, i+1, "(", ")")
			}
		case t.kind == tokIdent && (slices.Contains(otherKeywords, strings.ToLower(t.text)) || next(toks, i) == "("):
		case t.kind == tokIdent:
			names = append(names, t.text)
		case t.text == "{":
			end := closing(toks, i, "{", "}")
			names = append(names, braceNames(toks[i+1:end])...)
			i = end
		case t.text == "[":
			i = closing(toks, i, "[", "]")
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func next(toks []token, i int) string {
	if i+1 < len(toks) && toks[i+1].kind == tokOther {
		return toks[i+1].text
	}
	return ""
}

// closing returns the index of the token that closes the bracket at open, or the last index.
func closing(toks []token, open int, left, right string) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		if toks[i].kind != tokOther {
			continue
		}
		switch toks[i].text {
		case left:
			depth++
		case right:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks) - 1
}

// braceNames reads the matchers between braces: __name__ matchers and bare quoted names give metric names.
func braceNames(toks []token) []string {
	var names []string
	for _, item := range splitOn(toks, ",") {
		switch {
		case len(item) == 1 && item[0].kind == tokString:
			names = append(names, item[0].text)
		case len(item) == 3 && item[0].text == "__name__" && item[1].kind == tokOther && item[2].kind == tokString:
			names = append(names, item[2].text)
		}
	}
	return names
}

func splitOn(toks []token, sep string) [][]token {
	var out [][]token
	start := 0
	for i, t := range toks {
		if t.kind == tokOther && t.text == sep {
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	return append(out, toks[start:])
}

// tokenize splits PromQL into identifiers, strings and punctuation; numbers, durations, comments and template
// variables are dropped. Matcher operators (=, !=, =~, !~) are single tokens.
func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'' || c == '`':
			end := stringEnd(s, i)
			toks = append(toks, token{kind: tokString, text: unquote(s[i:end])})
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && (isIdentStart(s[j]) || isDigitByte(s[j])) {
				j++
			}
			toks = append(toks, token{kind: tokIdent, text: s[i:j]})
			i = j
		case isDigitByte(c) || c == '.' || c == '$':
			// Numbers, durations and unresolved template variables ($job, ${job}) select no metric.
			j := i + 1
			for j < len(s) && (isIdentStart(s[j]) || isDigitByte(s[j]) || s[j] == '.' || s[j] == '{' && c == '$' || s[j] == '}' && c == '$') {
				j++
			}
			i = j
		case strings.HasPrefix(s[i:], "=~") || strings.HasPrefix(s[i:], "!~") || strings.HasPrefix(s[i:], "!=") ||
			strings.HasPrefix(s[i:], "=="):
			toks = append(toks, token{kind: tokOther, text: s[i : i+2]})
			i += 2
		default:
			toks = append(toks, token{kind: tokOther, text: s[i : i+1]})
			i++
		}
	}
	return toks
}

func isIdentStart(c byte) bool { return c == '_' || c == ':' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isDigitByte(c byte) bool  { return c >= '0' && c <= '9' }

// stringEnd returns the index after the string literal starting at i (or len(s) when it is unterminated).
func stringEnd(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q != '`':
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return len(s)
}

func unquote(lit string) string {
	if len(lit) >= 2 && lit[0] == '\'' && lit[len(lit)-1] == '\'' {
		// Go has no multi-character single-quoted strings; PromQL's use the same escapes as double-quoted ones.
		inner := strings.ReplaceAll(lit[1:len(lit)-1], `\'`, `'`)
		lit = `"` + strings.ReplaceAll(inner, `"`, `\"`) + `"`
	}
	if v, err := strconv.Unquote(lit); err == nil {
		return v
	}
	return strings.Trim(lit, "\"'`")
}
