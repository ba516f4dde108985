package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

// roundTripCorpus is the query builder's round-trip table, shared with its jest test.
var roundTripCorpus = filepath.Join("src", "querybuilder", "testdata", "roundtrip.json")

// builderVariables are the fixed values Grafana variables in the corpus get before Prometheus sees a query.
var builderVariables = map[string]string{
	"__rate_interval": "1m",
	"__interval":      "15s",
	"__range":         "6h",
	"instance":        "api-1:8080",
	"namespace":       "default",
	"job":             "api",
	"quantile":        "0.9",
	"threshold":       "0.5",
}

// otherVariableForms are the variable forms interpolate does not read: ${var:format} and [[var]] / [[var:format]].
var otherVariableForms = regexp.MustCompile(`\$\{(\w+):\w+\}|\[\[(\w+)(?::\w+)?\]\]`)

type roundTripEntry struct {
	Source      string `json:"source"`
	Expr        string `json:"expr"`
	Rendered    string `json:"rendered"`
	Unsupported string `json:"unsupported"`
	Fixture     bool   `json:"fixture"`
}

// corpusQuery gives a corpus query's Grafana variables their builderVariables values; other `$` text ("$1" in
// label_replace) stays, and a variable missing from the table makes Prometheus reject the query.
func corpusQuery(expr string) string {
	return interpolate(otherVariableForms.ReplaceAllString(expr, "$${$1$2}"), builderVariables)
}

// promRange asks the test Prometheus for a range query over the whole fixture and returns its raw result.
func promRange(t *testing.T, expr string) (string, []json.RawMessage) {
	t.Helper()
	params := url.Values{"query": {expr}, "start": {fmt.Sprint(promserver.FixtureStart.Unix())},
		"end": {fmt.Sprint(promserver.FixtureEnd.Unix())}, "step": {"300"}}
	resp, err := http.Get(st.Prometheus.URL + "/api/v1/query_range?" + params.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string            `json:"resultType"`
			Result     []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	require.Equal(t, "success", env.Status, "Prometheus rejected %q: %s", expr, env.Error)
	return env.Data.ResultType, env.Data.Result
}

// TestBuilderRoundTripAnswers proves the builder's equivalent forms equivalent: for every corpus query whose
// builder output differs from what was written (parentheses, grouping position, quoting, spacing), the test
// Prometheus answers both over the whole fixture and the answers must be identical, series for series.
func TestBuilderRoundTripAnswers(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(st.Root, roundTripCorpus))
	require.NoError(t, err)
	var corpus struct {
		Queries []roundTripEntry `json:"queries"`
	}
	require.NoError(t, json.Unmarshal(raw, &corpus))

	var compared, withData int
	for _, e := range corpus.Queries {
		if e.Unsupported != "" || e.Rendered == "" {
			continue
		}
		compared++
		t.Run(e.Source, func(t *testing.T) {
			wantType, want := promRange(t, corpusQuery(e.Expr))
			gotType, got := promRange(t, corpusQuery(e.Rendered))
			assert.Equal(t, wantType, gotType)
			assert.Equal(t, canonicalSeries(t, want), canonicalSeries(t, got))
			if e.Fixture {
				withData++
				require.NotEmpty(t, want, "a fixture query must select data, or the comparison proves nothing")
			}
		})
	}
	require.GreaterOrEqual(t, compared, 10, "the corpus lists equivalent forms to compare")
	require.GreaterOrEqual(t, withData, 5, "several comparisons run over fixture data")
}

// canonicalSeries keys each series of a matrix by its labels, so the order Prometheus lists them in does not matter.
func canonicalSeries(t *testing.T, result []json.RawMessage) map[string]string {
	t.Helper()
	out := make(map[string]string, len(result))
	for _, r := range result {
		var s struct {
			Metric map[string]string `json:"metric"`
			Values json.RawMessage   `json:"values"`
		}
		require.NoError(t, json.Unmarshal(r, &s))
		out[labelsKey(s.Metric)] = string(s.Values)
	}
	return out
}
