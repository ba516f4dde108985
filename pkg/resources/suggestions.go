package resources

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// suggestionsRequest is the JSON body the Prometheus frontend POSTs to suggestions when scopes are active.
type suggestionsRequest struct {
	LabelName    string          `json:"labelName"`
	Queries      []string        `json:"queries"`
	Scopes       []filter        `json:"scopes"`
	AdhocFilters []filter        `json:"adhocFilters"`
	Start        json.RawMessage `json:"start"`
	End          json.RawMessage `json:"end"`
	Limit        int64           `json:"limit"`
}

// filter is Grafana's ScopeFilter, also used for ad-hoc filters.
type filter struct {
	Key      string   `json:"key"`
	Value    string   `json:"value"`
	Values   []string `json:"values"`
	Operator string   `json:"operator"`
}

// matcher is one label matcher of a series selector.
type matcher struct {
	name, op, value string
}

func (m matcher) String() string {
	name := m.name
	if !isLegacyLabelName(name) {
		name = strconv.Quote(name)
	}
	return name + m.op + strconv.Quote(m.value)
}

// suggestions lists label names (or the values of labelName) for the metrics of the panel's queries, narrowed by
// the scope and ad-hoc filters. It answers with the raw Prometheus reply of labels or label values.
func (h *Handler) suggestions(ctx context.Context, req *backend.CallResourceRequest) *backend.CallResourceResponse {
	if req.Method != http.MethodPost && req.Method != http.MethodGet {
		return methodNotAllowed("suggestions accepts POST with a JSON body", http.MethodPost)
	}
	var body suggestionsRequest
	if err := json.Unmarshal(req.Body, &body); err != nil {
		return jsonError(http.StatusBadRequest, "the suggestions body is not valid JSON: "+err.Error())
	}
	matchers, err := mergeFilters(body.Scopes, body.AdhocFilters)
	if err != nil {
		return jsonError(http.StatusBadRequest, err.Error())
	}
	var names []string
	for _, q := range body.Queries {
		names = append(names, metricNames(q)...)
	}
	slices.Sort(names)
	params := url.Values{}
	for _, sel := range selectors(slices.Compact(names), matchers) {
		params.Add("match[]", sel)
	}
	for key, raw := range map[string]json.RawMessage{"start": body.Start, "end": body.End} {
		if v := rawScalar(raw); v != "" {
			params.Set(key, v)
		}
	}
	if body.Limit > 0 {
		params.Set("limit", strconv.FormatInt(body.Limit, 10))
	}
	if body.LabelName != "" {
		return h.forward(ctx, req, http.MethodGet, "api/v1/label/"+EscapeLabelName(body.LabelName)+"/values", params)
	}
	return h.forward(ctx, req, h.settings.HTTPMethod, "api/v1/labels", params)
}

// mergeFilters applies Grafana's merge rules: scope filters first, where two filters on one label become one
// regex alternative; then ad-hoc filters, which replace a filter on the same label (the last one wins).
// Matchers are sorted by label name.
func mergeFilters(scopes, adhoc []filter) ([]matcher, error) {
	byName := map[string]matcher{}
	for _, f := range scopes {
		m, err := toMatcher(f)
		if err != nil {
			return nil, err
		}
		if prev, ok := byName[m.name]; ok {
			m = matcher{name: m.name, op: "=~", value: prev.value + "|" + m.value}
		}
		byName[m.name] = m
	}
	for _, f := range adhoc {
		m, err := toMatcher(f)
		if err != nil {
			return nil, err
		}
		byName[m.name] = m
	}
	out := make([]matcher, 0, len(byName))
	for _, m := range byName {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b matcher) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

func toMatcher(f filter) (matcher, error) {
	value := f.Value
	if len(f.Values) > 0 {
		value = strings.Join(f.Values, "|")
	}
	ops := map[string]string{"equals": "=", "not-equals": "!=", "regex-match": "=~", "regex-not-match": "!~",
		"one-of": "=~", "not-one-of": "!~"}
	op, ok := ops[f.Operator]
	if !ok {
		return matcher{}, fmt.Errorf("unknown operator %q", f.Operator)
	}
	if f.Key == "" {
		return matcher{}, fmt.Errorf("a filter has no key")
	}
	return matcher{name: f.Key, op: op, value: value}, nil
}

// selectors builds one match[] selector per metric name with the matchers, or a single one with the matchers
// alone when there are no names.
func selectors(names []string, matchers []matcher) []string {
	parts := make([]string, len(matchers))
	for i, m := range matchers {
		parts[i] = m.String()
	}
	joined := strings.Join(parts, ",")
	if len(names) == 0 {
		if joined == "" {
			return nil
		}
		return []string{"{" + joined + "}"}
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		if isLegacyMetricName(n) {
			out = append(out, n+"{"+joined+"}")
			continue
		}
		// Prometheus 3 syntax for a UTF-8 metric name: the quoted name first inside the braces.
		inner := strconv.Quote(n)
		if joined != "" {
			inner += "," + joined
		}
		out = append(out, "{"+inner+"}")
	}
	return out
}

func isLegacyMetricName(n string) bool {
	for i := 0; i < len(n); i++ {
		if !isIdentStart(n[i]) && !(isDigitByte(n[i]) && i > 0) {
			return false
		}
	}
	return n != ""
}

// rawScalar renders a JSON string or number verbatim ("" for null or absent).
func rawScalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
