package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func filter(key string, op FilterOperator, value string, values ...string) ScopeFilter {
	return ScopeFilter{Key: key, Operator: op, Value: value, Values: values}
}

func scope(filters ...ScopeFilter) ScopeSpec { return ScopeSpec{Filters: filters} }

// The examples and rules of the query contract, section 7.2.
func TestApplyFilters(t *testing.T) {
	tests := []struct {
		name    string
		expr    string
		scopes  []ScopeSpec
		adhoc   []ScopeFilter
		groupBy []string
		want    string
	}{
		{name: "contract example: two ad-hoc filters", expr: `http_requests_total`,
			adhoc: []ScopeFilter{filter("job", FilterEquals, "prometheus"), filter("method", FilterEquals, "get")},
			want:  `http_requests_total{job="prometheus",method="get"}`},
		{name: "contract example: two scopes on one key merge into a regex", expr: `up`,
			scopes: []ScopeSpec{scope(filter("namespace", FilterEquals, "default")), scope(filter("namespace", FilterEquals, "kube-system"))},
			want:   `up{namespace=~"default|kube-system"}`},
		{name: "contract example: group-by keys", expr: `sum(http_requests_total)`, groupBy: []string{"job", "instance"},
			want: `sum by (job, instance) (http_requests_total)`},
		{name: "re-printing normalises the aggregation form", expr: `sum(rate(x[5m])) by (le)`, groupBy: []string{"le"},
			want: `sum by (le) (rate(x[5m]))`},
		{name: "nothing to apply leaves the text alone", expr: `sum(rate(x[5m])) by (le)`, scopes: []ScopeSpec{scope()},
			want: `sum(rate(x[5m])) by (le)`},
		{name: "every operator", expr: `x`,
			adhoc: []ScopeFilter{filter("a", FilterEquals, "1"), filter("b", FilterNotEquals, "2"), filter("c", FilterRegexMatch, "3.*"),
				filter("d", FilterRegexNotMatch, "4.*"), filter("e", FilterOneOf, "", "5", "6"), filter("f", FilterNotOneOf, "", "7", "8")},
			want: `x{a="1",b!="2",c=~"3.*",d!~"4.*",e=~"5|6",f!~"7|8"}`},
		{name: "one-of without values uses value", expr: `x`, adhoc: []ScopeFilter{filter("a", FilterOneOf, "v")},
			want: `x{a=~"v"}`},
		{name: "regex metacharacters are not escaped", expr: `x`, adhoc: []ScopeFilter{filter("a", FilterOneOf, "", "a.b", "c+")},
			want: `x{a=~"a.b|c+"}`},
		{name: "same-key scope filters become =~ even for not-equals", expr: `x`,
			scopes: []ScopeSpec{scope(filter("ns", FilterNotEquals, "a"), filter("ns", FilterNotEquals, "b"))},
			want:   `x{ns=~"a|b"}`},
		{name: "an ad-hoc filter replaces a scope filter on its key", expr: `x`,
			scopes: []ScopeSpec{scope(filter("ns", FilterEquals, "a"), filter("zone", FilterEquals, "z"))},
			adhoc:  []ScopeFilter{filter("ns", FilterNotEquals, "b")},
			want:   `x{ns!="b",zone="z"}`},
		{name: "the last ad-hoc filter on a key wins", expr: `x`,
			adhoc: []ScopeFilter{filter("ns", FilterEquals, "a"), filter("ns", FilterRegexMatch, "b.*")},
			want:  `x{ns=~"b.*"}`},
		{name: "an existing matcher is overwritten, others are sorted", expr: `x{job="old",b="1",a="2"}`,
			adhoc: []ScopeFilter{filter("job", FilterRegexNotMatch, "new")},
			want:  `x{a="2",b="1",job!~"new"}`},
		{name: "duplicate matchers on the filtered label collapse", expr: `x{job=~"a.*",job!="ab"}`,
			adhoc: []ScopeFilter{filter("job", FilterEquals, "c")},
			want:  `x{job="c"}`},
		{name: "range selectors, subqueries and both sides of binary operators", expr: `rate(a[5m]) / on(job) b + max_over_time(c[1h:5m])`,
			adhoc: []ScopeFilter{filter("job", FilterEquals, "api")},
			want:  `rate(a{job="api"}[5m]) / on (job) b{job="api"} + max_over_time(c{job="api"}[1h:5m])`},
		{name: "__name__ is never touched", expr: `{__name__="x",job="a"}`,
			adhoc: []ScopeFilter{filter("__name__", FilterEquals, "y"), filter("job", FilterEquals, "b")},
			want:  `{__name__="x",job="b"}`},
		{name: "group-by appends missing keys in order to every aggregation", expr: `max by (job) (sum by (zone, job) (x))`,
			groupBy: []string{"job", "instance"},
			want:    `max by (job, instance) (sum by (zone, job, instance) (x))`},
		{name: "group-by is appended to without as well (Grafana quirk)", expr: `sum without (a) (x)`, groupBy: []string{"b"},
			want: `sum without (a, b) (x)`},
		{name: "group-by leaves non-aggregations unchanged", expr: `rate(x[5m]) * 2`, groupBy: []string{"job"},
			want: `rate(x[5m]) * 2`},
		{name: "filters and group-by together", expr: `topk(3, sum(rate(x[1m0s])))`,
			adhoc: []ScopeFilter{filter("job", FilterEquals, "api")}, groupBy: []string{"job"},
			want: `topk by (job) (3, sum by (job) (rate(x{job="api"}[1m])))`},
		{name: "UTF-8 label names are quoted", expr: `{"my.metric", "service.name"="a"}`,
			adhoc: []ScopeFilter{filter("k8s.namespace", FilterEquals, "prod")}, groupBy: []string{"deployment.env"},
			want: `{"k8s.namespace"="prod","service.name"="a",__name__="my.metric"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ApplyFilters(tc.expr, tc.scopes, tc.adhoc, tc.groupBy)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestApplyFiltersErrors(t *testing.T) {
	tests := []struct {
		name  string
		expr  string
		adhoc []ScopeFilter
		want  []string
	}{
		{name: "PromQL that does not parse", expr: `sum(rate(x[5m])`, adhoc: []ScopeFilter{filter("a", FilterEquals, "b")},
			want: []string{"not valid PromQL", "parse error"}},
		{name: "unknown operator", expr: `x`, adhoc: []ScopeFilter{filter("a", "contains", "b")},
			want: []string{`unknown operator "contains"`, `label "a"`}},
		{name: "filter without a label name", expr: `x`, adhoc: []ScopeFilter{filter("", FilterEquals, "b")},
			want: []string{"no label name"}},
		{name: "invalid regular expression", expr: `x`, adhoc: []ScopeFilter{filter("a", FilterRegexMatch, "(")},
			want: []string{`invalid filter on label "a"`, "missing closing )"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ApplyFilters(tc.expr, nil, tc.adhoc, nil)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestFilterMatchersKeepsFirstSeenOrder(t *testing.T) {
	ms, err := FilterMatchers([]ScopeSpec{scope(filter("b", FilterEquals, "1"), filter("a", FilterEquals, "2"))},
		[]ScopeFilter{filter("c", FilterEquals, "3"), filter("b", FilterNotEquals, "4")})
	require.NoError(t, err)
	var got []string
	for _, m := range ms {
		got = append(got, m.String())
	}
	assert.Equal(t, []string{`b!="4"`, `a="2"`, `c="3"`}, got)
}
