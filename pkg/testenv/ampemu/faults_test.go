package ampemu_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

func TestInjectedFaults(t *testing.T) {
	cases := []struct {
		name       string
		fault      ampemu.Fault
		wantStatus int
		wantType   string
		wantBody   string
	}{
		{"throttling", ampemu.Throttling(), http.StatusTooManyRequests, ampemu.TypeThrottling, `{"message":"Rate exceeded"}`},
		{"service unavailable", ampemu.ServiceUnavailable(), http.StatusServiceUnavailable, ampemu.TypeServiceUnavailable,
			`{"message":"Service Unavailable"}`},
		{"query timeout", ampemu.QueryTimeout(), http.StatusUnprocessableEntity, "",
			`{"status":"error","errorType":"execution","error":"query timed out - consider simplifying your query"}`},
		{"long range instant query", ampemu.LongRangeInstantQuery(), http.StatusUnprocessableEntity, "",
			`{"status":"error","errorType":"execution","error":"queries with long day range (32d to 95d) are currently only supported for range type queries"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			fault := tc.fault
			fault.PathSuffix, fault.Times = "/api/v1/query", 1
			f.emu.Inject(fault)

			resp, body := f.do(t, call{method: http.MethodGet, path: "api/v1/query_range", query: "query=up"})
			require.Equal(t, http.StatusOK, resp.StatusCode, "the suffix must not match query_range: %s", body)

			resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up"})
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			assert.Equal(t, tc.wantType, resp.Header.Get(ampemu.HeaderErrorType))
			assert.NotEmpty(t, resp.Header.Get(ampemu.HeaderRequestID))
			assert.JSONEq(t, tc.wantBody, body)
			assert.Len(t, f.up.requests(), 1, "the faulted request must not reach Prometheus")

			resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up"})
			assert.Equal(t, http.StatusOK, resp.StatusCode, "Times=1 applies once: %s", body)
			assert.Equal(t, promSuccess, body)
		})
	}
}

func TestFaultUntilCleared(t *testing.T) {
	f := newFixture(t, nil)
	f.emu.Inject(ampemu.Throttling())

	resp, body := f.do(t, call{method: http.MethodGet, path: "api/v1/query", unsigned: true})
	requireAWSError(t, resp, body, http.StatusForbidden, ampemu.TypeMissingAuthenticationToken)

	for i := 0; i < 3; i++ {
		resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/labels"})
		requireAWSError(t, resp, body, http.StatusTooManyRequests, ampemu.TypeThrottling)
	}
	f.emu.ClearFaults()
	resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/labels"})
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, 4, f.emu.Count("/api/v1/labels"), "every request is recorded whatever its outcome")
}

func TestFaultsInInjectionOrder(t *testing.T) {
	f := newFixture(t, nil)
	first := ampemu.ServiceUnavailable()
	first.Times = 2
	f.emu.Inject(first)
	f.emu.Inject(ampemu.Throttling())

	statuses := make([]int, 0, 4)
	for i := 0; i < 4; i++ {
		resp, _ := f.do(t, call{method: http.MethodGet, path: "api/v1/series", query: "match%5B%5D=up"})
		statuses = append(statuses, resp.StatusCode)
	}
	assert.Equal(t, []int{503, 503, 429, 429}, statuses)
}

func TestSlowResponse(t *testing.T) {
	f := newFixture(t, nil)
	const delay = 300 * time.Millisecond
	slow := ampemu.Slow(delay)
	slow.Times = 1
	f.emu.Inject(slow)

	start := time.Now()
	resp, body := f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up"})
	assert.GreaterOrEqual(t, time.Since(start), delay)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, promSuccess, body, "a slow fault without status forwards upstream")
	assert.Len(t, f.up.requests(), 1)
}

func TestSlowResponseAbortedWhenClientLeaves(t *testing.T) {
	f := newFixture(t, nil)
	f.emu.Inject(ampemu.Slow(time.Minute))

	_, _, err := send(t, f.emu.URL(), call{method: http.MethodGet, path: "api/v1/query", query: "query=up",
		timeout: 200 * time.Millisecond})
	require.Error(t, err, "the client must time out")

	// The handler must notice the client went away and finish long before the one-minute delay.
	require.Eventually(t, func() bool { return len(f.emu.Requests()) == 1 }, 5*time.Second, 20*time.Millisecond)
	rec := f.emu.Requests()[0]
	assert.Equal(t, 0, rec.Status, "no answer was written")
	assert.Equal(t, adminKey.AccessKeyID, rec.AccessKeyID)
	assert.Empty(t, f.up.requests())
}
