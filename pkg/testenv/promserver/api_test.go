package promserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// apiResponse is the Prometheus HTTP API envelope.
type apiResponse struct {
	Status string          `json:"status"`
	Data   json.RawMessage `json:"data"`
	Error  string          `json:"error"`
}

type vectorSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

type matrixSeries struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"`
}

func apiGet(t *testing.T, srv *Server, path string, params url.Values, out any) {
	t.Helper()
	resp, err := http.Get(srv.URL + path + "?" + params.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var env apiResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	require.Equal(t, "success", env.Status, "error: %s", env.Error)
	require.NoError(t, json.Unmarshal(env.Data, out))
}

// instant runs an instant query and returns sample values keyed by their
// label set, rendered as {a="1",b="2"} with sorted names.
func instant(t *testing.T, srv *Server, query string, at time.Time) map[string]string {
	t.Helper()
	var data struct {
		ResultType string         `json:"resultType"`
		Result     []vectorSample `json:"result"`
	}
	apiGet(t, srv, "/api/v1/query", url.Values{
		"query": {query},
		"time":  {strconv.FormatInt(at.Unix(), 10)},
	}, &data)
	require.Equal(t, "vector", data.ResultType)
	out := make(map[string]string, len(data.Result))
	for _, s := range data.Result {
		out[labelKey(s.Metric)] = s.Value[1].(string)
	}
	return out
}

func rangeQuery(t *testing.T, srv *Server, query string, start, end time.Time, step time.Duration) []matrixSeries {
	t.Helper()
	var data struct {
		ResultType string         `json:"resultType"`
		Result     []matrixSeries `json:"result"`
	}
	apiGet(t, srv, "/api/v1/query_range", url.Values{
		"query": {query},
		"start": {strconv.FormatInt(start.Unix(), 10)},
		"end":   {strconv.FormatInt(end.Unix(), 10)},
		"step":  {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)},
	}, &data)
	require.Equal(t, "matrix", data.ResultType)
	return data.Result
}

func labelKey(m map[string]string) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + strconv.Quote(m[k])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// at returns the fixture time h hours, m minutes and s seconds after start.
func at(h, m, s int) time.Time {
	return FixtureStart.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
}
