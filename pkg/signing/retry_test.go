package signing

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flaky answers the first len(failures) requests with those statuses (0 resets the connection) and then 200. It
// records each request's body and headers.
type flaky struct {
	failures   []int
	retryAfter string

	mu      sync.Mutex
	bodies  []string
	headers []http.Header
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.bodies)
	f.bodies = append(f.bodies, string(body))
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()
	if n >= len(f.failures) {
		_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
		return
	}
	if f.failures[n] == 0 {
		resetConnection(w)
		return
	}
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
	w.WriteHeader(f.failures[n])
}

// resetConnection closes the client's connection with a TCP reset instead of an answer.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func (f *flaky) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

// testPolicy waits for nothing and records the waits it was asked for.
func testPolicy(waits *[]time.Duration) retryPolicy {
	p := defaultRetryPolicy
	p.jitter = func(d time.Duration) time.Duration { return d }
	p.sleep = func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }
	return p
}

func roundTrip(t *testing.T, p retryPolicy, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	rt := retrying(p).CreateMiddleware(httpclient.Options{}, http.DefaultTransport)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader("query=up"))
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func TestRetriesTransientFailures(t *testing.T) {
	tests := []struct {
		name       string
		failures   []int
		retryAfter string
		wantStatus int
		wantCalls  int
		wantWaits  []time.Duration
		reasons    []string
	}{
		{"throttled without Retry-After", []int{429}, "", 200, 2, []time.Duration{250 * time.Millisecond}, []string{"HTTP 429"}},
		{"throttled with Retry-After seconds", []int{429}, "3", 200, 2, []time.Duration{3 * time.Second}, []string{"HTTP 429"}},
		{"bad gateway, then unavailable", []int{502, 503}, "", 200, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, []string{"HTTP 502", "HTTP 503"}},
		{"gateway timeout", []int{504}, "", 200, 2, []time.Duration{250 * time.Millisecond}, []string{"HTTP 504"}},
		{"connection reset", []int{0}, "", 200, 2, []time.Duration{250 * time.Millisecond}, []string{"connection reset"}},
		{"gives up after three attempts", []int{503, 503, 503, 503}, "", 503, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, []string{"HTTP 503", "HTTP 503"}},
		{"Retry-After longer than allowed", []int{429}, "3600", 429, 1, nil, nil},
		{"bad request is final", []int{400}, "", 400, 1, nil, nil},
		{"forbidden is final", []int{403}, "", 403, 1, nil, nil},
		{"unprocessable is final", []int{422}, "", 422, 1, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &flaky{failures: tc.failures, retryAfter: tc.retryAfter}
			srv := httptest.NewServer(f)
			t.Cleanup(srv.Close)
			var waits []time.Duration
			ctx, retries := WithRetries(context.Background())
			resp, err := roundTrip(t, testPolicy(&waits), ctx, srv.URL)
			require.NoError(t, err)
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			assert.Equal(t, tc.wantCalls, f.requests())
			assert.Equal(t, tc.wantWaits, waits)
			var reasons []string
			for _, r := range retries.List() {
				reasons = append(reasons, r.Reason)
			}
			assert.Equal(t, tc.reasons, reasons)
			for _, b := range f.bodies {
				assert.Equal(t, "query=up", b, "every attempt sends the whole body")
			}
		})
	}
}

func TestRetriesStayWithinTheDeadline(t *testing.T) {
	f := &flaky{failures: []int{429}, retryAfter: "2"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var waits []time.Duration
	resp, err := roundTrip(t, testPolicy(&waits), ctx, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "a wait past the deadline is not worth starting")
	assert.Equal(t, 1, f.requests())
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		want time.Duration
		ok   bool
	}{
		"5":                             {5 * time.Second, true},
		"0":                             {0, true},
		"Thu, 01 Jan 2026 00:00:07 GMT": {7 * time.Second, true},
		"Wed, 31 Dec 2025 23:59:00 GMT": {0, true},
		"-1":                            {0, false},
		"soon":                          {0, false},
		"":                              {0, false},
	}
	for v, tc := range tests {
		d, ok := retryAfter(v, now)
		assert.Equal(t, tc.ok, ok, v)
		assert.Equal(t, tc.want, d, v)
	}
}

func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	isolateAWS(t)
	f := &flaky{failures: []int{429}, retryAfter: "1"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	s := settingsFor(t, srv.URL+"/workspaces/ws-1/", `{"sigV4AuthType":"keys","sigV4Region":"eu-west-1"}`)
	client, err := NewClient(s, NewAWSConfigs(s, nil))
	require.NoError(t, err)
	ctx, retries := WithRetries(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/workspaces/ws-1/api/v1/query", strings.NewReader("query=up"))
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, f.headers, 2)
	assert.NotEqual(t, f.headers[0].Get("X-Amz-Date"), f.headers[1].Get("X-Amz-Date"), "the retry is signed at its own time")
	assert.NotEqual(t, f.headers[0].Get("Authorization"), f.headers[1].Get("Authorization"))
	assert.Equal(t, "The request was retried once after HTTP 429 (waited 1s in total)", retries.Summary())
}
