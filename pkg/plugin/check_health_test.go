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
		case "/prom/api/v1/labels":
			if denyLabels {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			assert.Equal(t, "1", r.URL.Query().Get("limit"), "the labels step asks for one label")
			assert.NotEmpty(t, r.URL.Query().Get("start"))
			_, _ = w.Write([]byte(`{"status":"success","data":["__name__"]}`))
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
	first, rest, _ := strings.Cut(res.Message, "\n")
	assert.Equal(t, healthOK, first, "the first line stays exactly what clients compare")
	assert.Equal(t, rest, d.VerboseMessage)
	assert.Equal(t, "header", d.AuthMode)
	require.Len(t, d.Steps, 4)
	assert.Equal(t, []string{stepSettings, stepCredentials, stepQuery, stepLabels},
		[]string{d.Steps[0].Name, d.Steps[1].Name, d.Steps[2].Name, d.Steps[3].Name}, "steps run in order")
	for _, s := range d.Steps {
		assert.Equal(t, stepOK, s.Status, s.Name)
	}
	assert.Contains(t, d.Steps[1].Message, "a token in the custom Authorization header")
	assert.Contains(t, rest, "[OK] Labels: the label names call succeeded")
	assert.NotContains(t, rest, "aps:", "no IAM actions are claimed for a non-AWS server")
}

func TestCheckHealthStopsAtTheFailingStep(t *testing.T) {
	srv := promStub(t, true)
	res, d := checkHealth(t, srv.URL+"/prom/", `{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`, map[string]string{"httpHeaderValue1": testToken})
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, map[string]string{stepSettings: stepOK, stepCredentials: stepOK, stepQuery: stepOK, stepLabels: stepError}, stepStatuses(d))
	first, _, _ := strings.Cut(res.Message, "\n")
	assert.Contains(t, first, "403")
	assert.Contains(t, first, "token in the Authorization header")
	assert.Contains(t, first, healthFailed)

	res, d = checkHealth(t, srv.URL+"/prom/", `{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`, map[string]string{"httpHeaderValue1": "Bearer wrong-token"})
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, map[string]string{stepSettings: stepOK, stepCredentials: stepOK, stepQuery: stepError, stepLabels: stepSkipped}, stepStatuses(d))
	assert.Contains(t, res.Message, "401")
}

func TestCheckHealthSettingsError(t *testing.T) {
	res, d := checkHealth(t, "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/", `{"sigV4AuthType":"magic"}`, nil)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	first, _, _ := strings.Cut(res.Message, "\n")
	assert.Contains(t, first, "jsonData.sigV4AuthType")
	assert.Equal(t, map[string]string{stepSettings: stepError, stepCredentials: stepSkipped, stepQuery: stepSkipped, stepLabels: stepSkipped}, stepStatuses(d))
}
