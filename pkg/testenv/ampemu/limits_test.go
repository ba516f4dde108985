package ampemu_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

func TestQueryRangeLimit(t *testing.T) {
	f := newFixture(t, nil)
	const start = 1767225600
	limitEnd := start + 32*24*3600
	form := func(end string) string { return "query=up&start=1767225600&end=" + end + "&step=3600" }

	resp, body := f.do(t, call{method: http.MethodPost, path: "api/v1/query_range", body: form(itoa(limitEnd)), contentType: "application/x-www-form-urlencoded"})
	require.Equal(t, http.StatusOK, resp.StatusCode, "exactly 32 days passes: %s", body)

	resp, body = f.do(t, call{method: http.MethodPost, path: "api/v1/query_range", body: form(itoa(limitEnd) + ".001"), contentType: "application/x-www-form-urlencoded"})
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.JSONEq(t, `{"status":"error","errorType":"execution","error":"the query time range exceeds the limit (query length: 768h0m0.001s, limit: 768h0m0s)"}`, body)

	resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/query_range", query: "query=up&start=2026-01-01T00:00:00Z&end=2026-03-01T00:00:00Z&step=3600"})
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "RFC 3339 times too: %s", body)
	assert.Contains(t, body, "query length: 1416h0m0s")

	resp, _ = f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up&time=1767225600"})
	assert.Equal(t, http.StatusOK, resp.StatusCode, "instant queries have no start and end")
	assert.Len(t, f.up.requests(), 2, "refused requests never reach Prometheus")
}

func TestRequestSizeLimit(t *testing.T) {
	f := newFixture(t, nil)
	big := "query=" + strings.Repeat("a", 1<<20)
	resp, body := f.do(t, call{method: http.MethodPost, path: "api/v1/query", body: big, contentType: "application/x-www-form-urlencoded"})
	requireAWSError(t, resp, body, http.StatusRequestEntityTooLarge, ampemu.TypeValidation)

	f = newFixture(t, func(c *ampemu.Config) { c.Limits = ampemu.Limits{QueryRange: 24 * time.Hour, MaxRequestBytes: -1} })
	resp, body = f.do(t, call{method: http.MethodPost, path: "api/v1/query", body: big, contentType: "application/x-www-form-urlencoded"})
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	resp, body = f.do(t, call{method: http.MethodGet, path: "api/v1/query_range", query: "query=up&start=0&end=86401&step=60"})
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.Contains(t, body, "limit: 24h0m0s")
}

func itoa(n int) string { return strconv.Itoa(n) }
