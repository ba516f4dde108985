package plugin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetriesAreReportedWithTheQuery(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case r.URL.Path == "/api/v1/query_range" && n == 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/api/v1/query_range":
			_, _ = w.Write([]byte(matrixBody))
		default:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("unavailable"))
		}
	}))
	t.Cleanup(srv.Close)
	ds, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: srv.URL + "/", JSONData: []byte(`{"sigV4Auth":false}`)})
	require.NoError(t, err)
	d := ds.(*Datasource)

	resp := runQueries(t, d, nil, testDataQuery("A", map[string]any{"expr": "up", "range": true}))["A"]
	require.NoError(t, resp.Error)
	require.NotEmpty(t, resp.Frames)
	meta := resp.Frames[0].Meta
	assert.Contains(t, allNotices(resp)[0].Text, "The request was retried once after HTTP 429")
	require.NotEmpty(t, meta.Stats)
	assert.Equal(t, statRetries, meta.Stats[len(meta.Stats)-1].DisplayName)
	assert.Equal(t, 1.0, meta.Stats[len(meta.Stats)-1].Value)

	calls.Store(10)
	failed := runQueries(t, d, nil, testDataQuery("B", map[string]any{"expr": "up", "instant": true}))["B"]
	require.Error(t, failed.Error)
	assert.Contains(t, failed.Error.Error(), "status code 503")
	assert.Contains(t, failed.Error.Error(), "The request was retried 2 times after HTTP 503, HTTP 503")
	assert.Equal(t, backend.Status(http.StatusServiceUnavailable), failed.Status)
}
