package models

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// FilterOperator is the operator of a scope or ad-hoc filter, spelled as Grafana sends it.
type FilterOperator string

// The operators Grafana's scopes and ad-hoc filter variables use.
const (
	FilterEquals        FilterOperator = "equals"
	FilterNotEquals     FilterOperator = "not-equals"
	FilterRegexMatch    FilterOperator = "regex-match"
	FilterRegexNotMatch FilterOperator = "regex-not-match"
	FilterOneOf         FilterOperator = "one-of"
	FilterNotOneOf      FilterOperator = "not-one-of"
)

// ScopeFilter is one label filter of a scope or of an ad-hoc filter variable.
type ScopeFilter struct {
	Key      string         `json:"key"`
	Operator FilterOperator `json:"operator"`
	Value    string         `json:"value"`
	// Values holds the alternatives of the one-of operators.
	Values []string `json:"values,omitempty"`
}

// ScopeSpec is the part of a Grafana scope the backend reads: its label filters.
type ScopeSpec struct {
	Filters []ScopeFilter `json:"filters"`
}

// promqlParser accepts every feature a recent Prometheus may have switched on: the plugin only rewrites
// selectors and groupings, and the server decides which functions and modifiers it allows. The grammar of this
// parser version always validates label names as UTF-8, so quoted names such as {"service.name"="x"} parse.
var promqlParser = parser.NewParser(parser.Options{
	EnableExperimentalFunctions:  true,
	ExperimentalDurationExpr:     true,
	EnableExtendedRangeSelectors: true,
	EnableBinopFillModifiers:     true,
})

// ApplyFilters adds scope and ad-hoc filters to every selector of expr and groupBy keys to every aggregation.
// With nothing to add, expr is returned unchanged; otherwise it is parsed and printed again, which normalises
// it (sorted matchers, "sum by (le) (...)" form, shortest durations).
func ApplyFilters(expr string, scopes []ScopeSpec, adhoc []ScopeFilter, groupBy []string) (string, error) {
	matchers, err := FilterMatchers(scopes, adhoc)
	if err != nil {
		return "", err
	}
	if len(matchers) == 0 && len(groupBy) == 0 {
		return expr, nil
	}
	if err := checkExprComplexity(expr); err != nil {
		return "", err
	}
	node, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", fmt.Errorf("cannot apply ad-hoc filters, scopes or group-by keys, the query is not valid PromQL: %w", err)
	}
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		switch n := n.(type) {
		case *parser.VectorSelector:
			n.LabelMatchers = withMatchers(n.LabelMatchers, matchers)
		case *parser.AggregateExpr:
			for _, k := range groupBy {
				if !slices.Contains(n.Grouping, k) {
					n.Grouping = append(n.Grouping, k)
				}
			}
		}
		return nil
	})
	return node.String(), nil
}

// withMatchers overwrites the matchers of a selector that name a filtered label and appends the others.
// A selector with several matchers on one label keeps only the first, overwritten: they would all be equal.
func withMatchers(existing, filters []*labels.Matcher) []*labels.Matcher {
	out := slices.Clone(existing)
	for _, f := range filters {
		i := slices.IndexFunc(out, func(m *labels.Matcher) bool { return m.Name == f.Name })
		if i < 0 {
			out = append(out, f)
			continue
		}
		out[i] = f
		out = slices.DeleteFunc(out, func(m *labels.Matcher) bool { return m != f && m.Name == f.Name })
	}
	return out
}

// pendingMatcher is a matcher before its regular expression is compiled.
type pendingMatcher struct {
	typ   labels.MatchType
	value string
}

// FilterMatchers merges scope and ad-hoc filters into label matchers, in first-seen key order. Scope filters on
// the same key are merged into one regex alternative (always =~, even for negative operators, as Grafana does);
// an ad-hoc filter replaces any earlier filter on its key. Filters on __name__ are dropped: the metric name of
// a selector is never rewritten.
func FilterMatchers(scopes []ScopeSpec, adhoc []ScopeFilter) ([]*labels.Matcher, error) {
	var keys []string
	pending := map[string]pendingMatcher{}
	add := func(f ScopeFilter, mergeSameKey bool) error {
		typ, value, err := matcherOf(f)
		if err != nil {
			return err
		}
		if f.Key == labels.MetricName {
			return nil
		}
		prev, seen := pending[f.Key]
		switch {
		case !seen:
			keys = append(keys, f.Key)
			pending[f.Key] = pendingMatcher{typ: typ, value: value}
		case mergeSameKey:
			pending[f.Key] = pendingMatcher{typ: labels.MatchRegexp, value: prev.value + "|" + value}
		default:
			pending[f.Key] = pendingMatcher{typ: typ, value: value}
		}
		return nil
	}
	for _, s := range scopes {
		for _, f := range s.Filters {
			if err := add(f, true); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range adhoc {
		if err := add(f, false); err != nil {
			return nil, err
		}
	}
	out := make([]*labels.Matcher, 0, len(keys))
	for _, k := range keys {
		p := pending[k]
		m, err := labels.NewMatcher(p.typ, k, p.value)
		if err != nil {
			return nil, fmt.Errorf("invalid filter on label %q: %w", k, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// matcherOf maps a filter to a matcher type and value. The one-of operators join their values into a regex
// alternative without escaping them, so a value may itself be a pattern.
func matcherOf(f ScopeFilter) (labels.MatchType, string, error) {
	if f.Key == "" {
		return 0, "", fmt.Errorf("invalid filter: no label name (key) for operator %q and value %q", f.Operator, f.Value)
	}
	oneOf := func() string {
		if len(f.Values) == 0 {
			return f.Value
		}
		return strings.Join(f.Values, "|")
	}
	switch f.Operator {
	case FilterEquals:
		return labels.MatchEqual, f.Value, nil
	case FilterNotEquals:
		return labels.MatchNotEqual, f.Value, nil
	case FilterRegexMatch:
		return labels.MatchRegexp, f.Value, nil
	case FilterRegexNotMatch:
		return labels.MatchNotRegexp, f.Value, nil
	case FilterOneOf:
		return labels.MatchRegexp, oneOf(), nil
	case FilterNotOneOf:
		return labels.MatchNotRegexp, oneOf(), nil
	}
	return 0, "", fmt.Errorf("invalid filter on label %q: unknown operator %q", f.Key, f.Operator)
}
