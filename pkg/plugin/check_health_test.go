package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "Bearer arms-token-value"

// promStub answers the health check's two calls, demanding the test token, and can deny the labels call.
func promStub(t *testing.T, denyLabels bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != testToken {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/prom/api/v1/query":
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"scalar","result":[4,"2"]}}`))
		case "/prom/api/v1/label/__name__/values":
			if denyLabels {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			assert.Equal(t, "10001", r.URL.Query().Get("limit"), "the metrics step bounds the names it reads")
			_, _ = w.Write([]byte(`{"status":"success","data":["up","node_load1"]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

type healthDetails struct {
	VerboseMessage string       `json:"verboseMessage"`
	Steps          []healthStep `json:"steps"`
	AuthMode       string       `json:"authMode"`
}

func checkHealth(t *testing.T, url, jsonData string, secure map[string]string) (*backend.CheckHealthResult, healthDetails) {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: url, JSONData: []byte(jsonData), DecryptedSecureJSONData: secure})
	require.NoError(t, err)
	res, err := inst.(*Datasource).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	var d healthDetails
	require.NoError(t, json.Unmarshal(res.JSONDetails, &d))
	for _, secret := range secure {
		assert.NotContains(t, res.Message, secret)
		assert.NotContains(t, string(res.JSONDetails), secret)
	}
	return res, d
}

func stepStatuses(d healthDetails) map[string]string {
	out := map[string]string{}
	for _, s := range d.Steps {
		out[s.Name] = s.Status
	}
	return out
}

func TestCheckHealthReportsEachStep(t *testing.T) {
	srv := promStub(t, false)
	tokenJSON := `{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`
	res, d := checkHealth(t, srv.URL+"/prom/", tokenJSON, map[string]string{"httpHeaderValue1": testToken})
	assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
	host := strings.TrimPrefix(srv.URL, "http://")
	assert.Equal(t, "Connected to "+host+": 2 metrics", res.Message, "one line: where, and what it found")
	rest := d.VerboseMessage
	assert.Equal(t, "header", d.AuthMode)
	require.Len(t, d.Steps, 4)
	assert.Equal(t, []string{stepSettings, stepCredentials, stepQuery, stepLabels},
		[]string{d.Steps[0].Name, d.Steps[1].Name, d.Steps[2].Name, d.Steps[3].Name}, "steps run in order")
	for _, s := range d.Steps {
		assert.Equal(t, stepOK, s.Status, s.Name)
	}
	assert.Contains(t, d.Steps[1].Message, "a token in the custom Authorization header")
	assert.Contains(t, rest, "[OK] Labels: the metric names call succeeded: 2 metrics")
	assert.NotContains(t, rest, "aps:", "no IAM actions are claimed for a non-AWS server")
}

func TestCheckHealthStopsAtTheFailingStep(t *testing.T) {
	srv := promStub(t, true)
	res, d := checkHealth(t, srv.URL+"/prom/", `{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`, map[string]string{"httpHeaderValue1": testToken})
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, map[string]string{stepSettings: stepOK, stepCredentials: stepOK, stepQuery: stepOK, stepLabels: stepError}, stepStatuses(d))
	assert.Equal(t, "The server answered 403: the server rejected the token in the Authorization header: check the token, including any prefix such as \"Bearer \" the service expects", res.Message)
	assert.Contains(t, d.VerboseMessage, "[ERROR] Labels: unexpected response with status code 403: forbidden")
	assert.Equal(t, 1, strings.Count(d.VerboseMessage+res.Message, "status code 403"), "the server's answer appears once")

	res, d = checkHealth(t, srv.URL+"/prom/", `{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`, map[string]string{"httpHeaderValue1": "Bearer wrong-token"})
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, map[string]string{stepSettings: stepOK, stepCredentials: stepOK, stepQuery: stepError, stepLabels: stepSkipped}, stepStatuses(d))
	assert.Contains(t, res.Message, "The server answered 401")
	assert.NotContains(t, res.Message, "\n")
}

func TestCheckHealthSettingsError(t *testing.T) {
	res, d := checkHealth(t, "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/", `{"sigV4AuthType":"magic"}`, nil)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, "jsonData.sigV4AuthType")
	assert.NotContains(t, res.Message, "\n")
	assert.Equal(t, map[string]string{stepSettings: stepError, stepCredentials: stepSkipped, stepQuery: stepSkipped, stepLabels: stepSkipped}, stepStatuses(d))
}

func TestHeadlineHelpers(t *testing.T) {
	assert.Equal(t, "check the key", lowerFirst("Check the key"))
	assert.Equal(t, "AWS throttled", lowerFirst("AWS throttled"))
	assert.Equal(t, "Grafana's [aws] setting", lowerFirst("Grafana's [aws] setting"))
	assert.Equal(t, "No credentials were found (see Details)", firstSentence("No credentials were found. "+strings.Repeat("x", maxHeadline)))
	assert.Equal(t, "a b c", oneLine("a\n b\tc"))
	long := oneLine(strings.Repeat("é", maxHeadline))
	assert.LessOrEqual(t, len(long), maxHeadline+len("…"))
	assert.True(t, strings.HasSuffix(long, "…"))
	assert.Equal(t, "more than 10000 metrics", metricCount(healthMetricsLimit+1))
	assert.Equal(t, "1 metric", metricCount(1))
}
