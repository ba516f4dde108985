package promclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// seen is one request as the server received it.
type seen struct {
	method, path, rawQuery, contentType string
	idempotencyKey                      bool
	params                              url.Values
}

func recordingServer(t *testing.T) (*httptest.Server, *[]seen) {
	t.Helper()
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		params := r.URL.Query()
		if r.Method == http.MethodPost {
			params, err = url.ParseQuery(string(body))
			require.NoError(t, err)
		}
		_, idem := r.Header["Idempotency-Key"]
		got = append(got, seen{method: r.Method, path: r.URL.Path, rawQuery: r.URL.RawQuery,
			contentType: r.Header.Get("Content-Type"), idempotencyKey: idem, params: params})
		_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestClientRequests(t *testing.T) {
	start := time.Unix(1641889530, 0)
	end := time.Unix(1641889590, 123e6)
	custom := url.Values{"max_samples_processed_warning_threshold": {"100"}}
	tests := []struct {
		name   string
		call   func(c *Client) (*http.Response, error)
		path   string
		params url.Values
	}{
		{name: "range", path: "/workspaces/ws-1/api/v1/query_range",
			call: func(c *Client) (*http.Response, error) {
				return c.QueryRange(context.Background(), "up", start, end, 1500*time.Millisecond)
			},
			params: url.Values{"query": {"up"}, "start": {"1641889530"}, "end": {"1641889590.123"}, "step": {"1.5"},
				"timeout": {"60s"}, "stats": {"all"}, "max_samples_processed_warning_threshold": {"100"}}},
		{name: "instant", path: "/workspaces/ws-1/api/v1/query",
			call: func(c *Client) (*http.Response, error) { return c.QueryInstant(context.Background(), "up", end) },
			params: url.Values{"query": {"up"}, "time": {"1641889590.123"}, "timeout": {"60s"}, "stats": {"all"},
				"max_samples_processed_warning_threshold": {"100"}}},
		{name: "exemplars take no step, timeout or stats", path: "/workspaces/ws-1/api/v1/query_exemplars",
			call: func(c *Client) (*http.Response, error) {
				return c.QueryExemplars(context.Background(), "up", start, end)
			},
			params: url.Values{"query": {"up"}, "start": {"1641889530"}, "end": {"1641889590.123"},
				"max_samples_processed_warning_threshold": {"100"}}},
	}
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		for _, tc := range tests {
			t.Run(method+" "+tc.name, func(t *testing.T) {
				srv, got := recordingServer(t)
				base, err := url.Parse(srv.URL + "/workspaces/ws-1/")
				require.NoError(t, err)
				c := New(srv.Client(), &models.Settings{URL: base, HTTPMethod: method, QueryParameters: custom,
					QueryTimeout: "60s", QueryStatsEnabled: true})
				resp, err := tc.call(c)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				require.Len(t, *got, 1)
				r := (*got)[0]
				assert.Equal(t, method, r.method)
				assert.Equal(t, tc.path, r.path)
				assert.Equal(t, tc.params, r.params)
				assert.False(t, r.idempotencyKey)
				if method == http.MethodPost {
					assert.Empty(t, r.rawQuery, "AMP rejects a form POST whose URL also has a query string")
					assert.Equal(t, "application/x-www-form-urlencoded", r.contentType)
				}
			})
		}
	}
}

func TestCallersCannotOverrideTheSettings(t *testing.T) {
	caller := url.Values{"query": {"up"}, "dedup": {"true"}, "partial_response": {"true"},
		"max_samples_processed_error_threshold": {"999999999999"}, "max_samples_processed_warning_threshold": {"1"},
		"stats": {"all"}, "timeout": {"10m"}, "match[]": {"up"}}
	tests := []struct {
		name, path string
		want       url.Values
	}{
		{"instant query", PathQuery, url.Values{"query": {"up"}, "match[]": {"up"}, "partial_response": {"true"},
			"dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}, "timeout": {"60s"}}},
		{"labels", PathLabels, url.Values{"query": {"up"}, "match[]": {"up"}, "partial_response": {"true"},
			"dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}},
	}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, tc := range tests {
			t.Run(method+" "+tc.name, func(t *testing.T) {
				srv, got := recordingServer(t)
				base, err := url.Parse(srv.URL + "/")
				require.NoError(t, err)
				c := New(srv.Client(), &models.Settings{URL: base, HTTPMethod: method, QueryTimeout: "60s",
					QueryParameters: url.Values{"dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}})
				resp, err := c.Resource(context.Background(), method, tc.path, caller)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				require.Len(t, *got, 1)
				assert.Equal(t, tc.want, (*got)[0].params)
			})
		}
	}
}
