package plugin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newResourceTestDatasource(t *testing.T, url, jsonData string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: url, JSONData: []byte(jsonData)})
	require.NoError(t, err)
	return inst.(*Datasource)
}

func callResourceForTest(t *testing.T, d *Datasource, path string) (*backend.CallResourceResponse, map[string]string) {
	t.Helper()
	var got []*backend.CallResourceResponse
	sender := backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		got = append(got, r)
		return nil
	})
	require.NoError(t, d.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodGet, Path: path, URL: "/" + path}, sender))
	require.Len(t, got, 1, "one answer per call")
	var body map[string]string
	require.NoError(t, json.Unmarshal(got[0].Body, &body), string(got[0].Body))
	return got[0], body
}

func TestCallResourceWithBrokenSettings(t *testing.T) {
	d := newResourceTestDatasource(t, "http://127.0.0.1:1/", `{"httpMethod":"PUT"}`)
	require.Error(t, d.settingsErr)
	resp, body := callResourceForTest(t, d, "api/v1/labels")
	assert.Equal(t, http.StatusBadRequest, resp.Status)
	assert.Contains(t, body["message"], "jsonData.httpMethod")
}

func TestCallResourceAddsTheAWSHintToErrorAnswers(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls++
		w.Header().Set("x-amzn-ErrorType", "AccessDeniedException")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"message":"User: arn:aws:iam::1:user/x is not authorized to perform: aps:GetLabels"}`)
	}))
	defer srv.Close()
	d := newResourceTestDatasource(t, srv.URL+"/workspaces/ws-1/", `{"sigV4Auth":false}`)
	resp, body := callResourceForTest(t, d, "api/v1/labels")
	assert.Equal(t, http.StatusForbidden, resp.Status)
	assert.Equal(t, "AccessDeniedException", body["errorType"])
	assert.Contains(t, body["message"], "aps:GetLabels")
	assert.Contains(t, body["message"], "AmazonPrometheusQueryAccess", "explainStatusError's hint")
	assert.Equal(t, 1, calls)
}

// The handler, and with it the workspace discovery cache, lives as long as the instance.
func TestCallResourceKeepsOneHandlerPerInstance(t *testing.T) {
	d := newResourceTestDatasource(t, "http://127.0.0.1:1/", `{"sigV4Auth":false}`)
	first := d.resourceHandler()
	resp, body := callResourceForTest(t, d, "workspaces")
	assert.Equal(t, http.StatusBadRequest, resp.Status)
	assert.Contains(t, body["message"], "needs SigV4 authentication")
	assert.Same(t, first, d.resourceHandler())
}
