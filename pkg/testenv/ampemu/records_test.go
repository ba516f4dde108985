package ampemu_test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

func TestRequestsAndCount(t *testing.T) {
	f := newFixture(t, nil)
	f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up&time=1"})
	f.do(t, call{method: http.MethodPost, path: "api/v1/query_range", body: "query=up&step=15", contentType: formType})
	f.do(t, call{method: http.MethodGet, path: "api/v1/query", query: "query=up", unsigned: true})
	f.do(t, call{method: http.MethodGet, path: "/metrics"})

	records := f.emu.Requests()
	require.Len(t, records, 4)
	signed := []string{"host", "x-amz-date"}
	assert.Equal(t, ampemu.Record{Method: http.MethodGet, Workspace: testWorkspace, Path: "/api/v1/query",
		RawQuery: "query=up&time=1", AccessKeyID: adminKey.AccessKeyID, SignedHeaders: signed, Status: http.StatusOK}, records[0])
	assert.Equal(t, ampemu.Record{Method: http.MethodPost, Workspace: testWorkspace, Path: "/api/v1/query_range",
		Form: url.Values{"query": {"up"}, "step": {"15"}}, AccessKeyID: adminKey.AccessKeyID,
		SignedHeaders: []string{"content-length", "content-type", "host", "x-amz-date"}, Status: http.StatusOK}, records[1])
	assert.Equal(t, ampemu.Record{Method: http.MethodGet, Workspace: testWorkspace, Path: "/api/v1/query",
		RawQuery: "query=up", Status: http.StatusForbidden, ErrorType: ampemu.TypeMissingAuthenticationToken}, records[2])
	assert.Equal(t, ampemu.Record{Method: http.MethodGet, Path: "/metrics",
		Status: http.StatusNotFound, ErrorType: ampemu.TypeResourceNotFound}, records[3])

	assert.Equal(t, 2, f.emu.Count("/api/v1/query"))
	assert.Equal(t, 1, f.emu.Count("query_range"))
	assert.Equal(t, 4, f.emu.Count(""))

	records[0].SignedHeaders[0] = "changed"
	assert.Equal(t, "host", f.emu.Requests()[0].SignedHeaders[0], "Requests returns copies")

	f.emu.Reset()
	assert.Empty(t, f.emu.Requests())
	assert.Zero(t, f.emu.Count(""))
}

func TestConcurrentRequests(t *testing.T) {
	f := newFixture(t, nil)
	const n = 20
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := 0; i < n; i++ {
		req := buildRequest(t, f.emu.URL(), call{method: http.MethodGet, path: "api/v1/labels"})
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			resp, _, err := execute(req, 10*time.Second)
			if err == nil {
				statuses[i] = resp.StatusCode
			}
		}(i)
	}
	wg.Wait()
	for i, s := range statuses {
		assert.Equal(t, http.StatusOK, s, "request %d", i)
	}
	assert.Equal(t, n, f.emu.Count("/api/v1/labels"))
	assert.Len(t, f.up.requests(), n)
}
