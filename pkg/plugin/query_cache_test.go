package plugin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/querycache"
)

// rangeServer answers query_range for any start, end and step with two series whose values depend only on time,
// like Prometheus over fixed data; fail makes the next answer a 503.
type rangeServer struct {
	mu     sync.Mutex
	ranges [][2]string
	fail   bool
}

func (s *rangeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	s.ranges = append(s.ranges, [2]string{r.Form.Get("start"), r.Form.Get("end")})
	fail := s.fail
	s.fail = false
	s.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"error","errorType":"unavailable","error":"try later"}`))
		return
	}
	start, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
	end, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
	step, _ := strconv.ParseFloat(r.Form.Get("step"), 64)
	var series []string
	for _, job := range []string{"a", "b"} {
		var vals []string
		for t := start; t <= end; t += step {
			vals = append(vals, fmt.Sprintf(`[%v,"%d"]`, t, int64(t)%100+int64(len(job))))
		}
		series = append(series, fmt.Sprintf(`{"metric":{"__name__":"up","job":%q},"values":[%s]}`, job, strings.Join(vals, ",")))
	}
	stats := ""
	if r.Form.Get("stats") == "all" {
		stats = fmt.Sprintf(`,"stats":{"samples":{"totalQueryableSamples":%d}}`, 2*len(strings.Split(series[0], "],[")))
	}
	fmt.Fprintf(w, `{"status":"success","infos":["PromQL info: a hint"],"data":{"resultType":"matrix","result":[%s]%s}}`,
		strings.Join(series, ","), stats)
}

func (s *rangeServer) take() [][2]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.ranges
	s.ranges = nil
	return out
}

func newCachedDatasource(t *testing.T, cached bool) (*Datasource, *rangeServer) {
	t.Helper()
	rs := &rangeServer{}
	d := newTestDatasource(t, rs, &models.Settings{HTTPMethod: http.MethodPost, QueryStatsEnabled: true,
		IncrementalQuerying: cached, IncrementalQueryOverlap: 10 * time.Minute})
	d.cacheParams = cacheParams(d.settings)
	d.cacheDS = querycache.DataSource{ID: 1, UID: "u", Version: 1}
	if cached {
		d.cache = querycache.New(querycache.DefaultMaxBytes)
	}
	return d, rs
}

func cacheStat(t *testing.T, r backend.DataResponse) float64 {
	t.Helper()
	require.NotEmpty(t, r.Frames)
	for _, s := range r.Frames[0].Meta.Stats {
		if s.DisplayName == StatCachedRange {
			return s.Value
		}
	}
	t.Fatalf("no %q stat in %v", StatCachedRange, r.Frames[0].Meta.Stats)
	return 0
}

// sameData compares frames without their meta statistics, which say where the data came from.
func sameData(t *testing.T, want, got data.Frames) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		w, g := want[i], got[i]
		require.Equal(t, w.Rows(), g.Rows())
		require.Equal(t, len(w.Fields), len(g.Fields))
		for j := range w.Fields {
			assert.Equal(t, w.Fields[j].Name, g.Fields[j].Name)
			assert.Equal(t, w.Fields[j].Labels, g.Fields[j].Labels)
			assert.Equal(t, w.Fields[j].Config, g.Fields[j].Config)
			assert.Equal(t, fieldValues(w.Fields[j]), fieldValues(g.Fields[j]))
		}
		assert.Equal(t, w.Meta.Type, g.Meta.Type)
		assert.Equal(t, w.Meta.Notices, g.Meta.Notices)
		assert.Equal(t, w.Meta.ExecutedQueryString, g.Meta.ExecutedQueryString)
	}
}

func TestQueryCacheServesRepeatsAndFetchesOnlyTheMissingHead(t *testing.T) {
	plain, plainSrv := newCachedDatasource(t, false)
	d, srv := newCachedDatasource(t, true)
	for _, format := range []string{"time_series", "table", "heatmap"} {
		t.Run(format, func(t *testing.T) {
			q := testDataQuery("A", map[string]any{"expr": "up_" + format, "range": true, "format": format})
			want := runQueries(t, plain, nil, q)["A"]
			require.NoError(t, want.Error)
			plainSrv.take()

			first := runQueries(t, d, nil, q)["A"]
			require.NoError(t, first.Error)
			sameData(t, want.Frames, first.Frames)
			assert.Len(t, srv.take(), 1)
			assert.Zero(t, cacheStat(t, first))

			again := runQueries(t, d, nil, q)["A"]
			require.NoError(t, again.Error)
			sameData(t, want.Frames, again.Frames)
			assert.Empty(t, srv.take(), "a past range is answered from the cache")
			assert.Equal(t, 100.0, cacheStat(t, again))
			assert.Equal(t, 0.0, again.Frames[0].Meta.Stats[0].Value, "upstream processed no samples")

			wider := q
			wider.TimeRange.From = q.TimeRange.From.Add(-30 * time.Minute)
			wantWider := runQueries(t, plain, nil, wider)["A"]
			gotWider := runQueries(t, d, nil, wider)["A"]
			require.NoError(t, gotWider.Error)
			sameData(t, wantWider.Frames, gotWider.Frames)
			fetched := srv.take()
			require.Len(t, fetched, 1)
			assert.Equal(t, plainSrv.take()[0][0], fetched[0][0], "the head starts where the wider range starts")
			assert.InDelta(t, 100*2.0/3, cacheStat(t, gotWider), 1)
		})
	}
}

func TestQueryCacheSharesSamplesAcrossFormats(t *testing.T) {
	plain, _ := newCachedDatasource(t, false)
	d, srv := newCachedDatasource(t, true)
	runQueries(t, d, nil, testDataQuery("A", map[string]any{"expr": "up", "range": true}))
	require.Len(t, srv.take(), 1)
	for _, format := range []string{"table", "heatmap"} {
		q := testDataQuery("A", map[string]any{"expr": "up", "range": true, "format": format, "legendFormat": "{{job}}"})
		got := runQueries(t, d, nil, q)["A"]
		require.NoError(t, got.Error)
		assert.Empty(t, srv.take(), format)
		assert.Equal(t, 100.0, cacheStat(t, got))
		sameData(t, runQueries(t, plain, nil, q)["A"].Frames, got.Frames)
	}
}

func TestQueryCacheBypass(t *testing.T) {
	d, srv := newCachedDatasource(t, true)
	q := testDataQuery("A", map[string]any{"expr": "up", "range": true})
	runQueries(t, d, nil, q)
	require.Len(t, srv.take(), 1)
	tests := []struct {
		name    string
		headers map[string]string
		model   map[string]any
	}{
		{name: "X-Cache-Skip from a browser", headers: map[string]string{"http_X-Cache-Skip": "true"}},
		{name: "X-Cache-Skip of an alert rule, any value", headers: map[string]string{"FromAlert": "true", "X-Cache-Skip": "1"}},
		{name: "Cache-Control no-cache", headers: map[string]string{"http_Cache-Control": "no-cache"}},
		{name: "a forwarded user identity without SigV4", headers: map[string]string{"Authorization": "Bearer user-token"}},
		{name: "query opt-out", model: map[string]any{"expr": "up", "range": true, "noCache": true}},
		{name: "@ end() depends on the range", model: map[string]any{"expr": "up @ end()", "range": true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qq := q
			if tc.model != nil {
				qq = testDataQuery("A", tc.model)
			}
			for range 2 {
				r := runQueries(t, d, tc.headers, qq)["A"]
				require.NoError(t, r.Error)
				for _, s := range r.Frames[0].Meta.Stats {
					assert.NotEqual(t, StatCachedRange, s.DisplayName)
				}
			}
			assert.Len(t, srv.take(), 2, "both requests went upstream")
		})
	}
}

func TestQueryCacheDoesNotKeepErrors(t *testing.T) {
	d, srv := newCachedDatasource(t, true)
	q := testDataQuery("A", map[string]any{"expr": "up", "range": true})
	srv.fail = true
	r := runQueries(t, d, nil, q)["A"]
	require.Error(t, r.Error)
	assert.Equal(t, backend.Status(http.StatusServiceUnavailable), r.Status)
	assert.Contains(t, r.Error.Error(), "try later")
	require.NotEmpty(t, r.Frames, "the error keeps its executedQueryString frame")
	r = runQueries(t, d, nil, q)["A"]
	require.NoError(t, r.Error)
	assert.Len(t, srv.take(), 2)
}

func TestNewSettingsDropTheCachedEntries(t *testing.T) {
	rs := &rangeServer{}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	shared := querycache.Shared()
	require.NotNil(t, shared)
	settings := func(updated time.Time) backend.DataSourceInstanceSettings {
		return backend.DataSourceInstanceSettings{ID: 4242, UID: "settings-change", URL: srv.URL, Updated: updated,
			JSONData: []byte(`{"sigV4Auth":false,"incrementalQuerying":true}`)}
	}
	v1 := settings(time.UnixMilli(1000))
	inst, err := NewDatasource(context.Background(), v1)
	require.NoError(t, err)
	d := inst.(*Datasource)
	require.NoError(t, d.settingsErr)
	require.NotNil(t, d.cache)
	q := testDataQuery("A", map[string]any{"expr": "up", "range": true})
	_, entriesBefore := shared.Usage()
	require.NoError(t, runQueries(t, d, nil, q)["A"].Error)
	_, entries := shared.Usage()
	require.Equal(t, entriesBefore+1, entries)
	require.NoError(t, runQueries(t, d, nil, q)["A"].Error)
	require.Len(t, rs.take(), 1, "the second query was a hit")

	_, err = NewDatasource(context.Background(), settings(time.UnixMilli(2000)))
	require.NoError(t, err)
	_, entries = shared.Usage()
	assert.Equal(t, entriesBefore, entries, "the entry of the old settings is gone")
	// The old instance, still answering while Grafana swaps instances, fetches again and keeps nothing.
	require.NoError(t, runQueries(t, d, nil, q)["A"].Error)
	assert.Len(t, rs.take(), 1)
	_, entries = shared.Usage()
	assert.Equal(t, entriesBefore, entries)
}

func TestQueryCacheIgnoresIdentityThatSigV4Drops(t *testing.T) {
	d, srv := newCachedDatasource(t, true)
	d.settings.SigV4 = &models.SigV4{Region: "us-east-1", Service: "aps"}
	q := testDataQuery("A", map[string]any{"expr": "up", "range": true})
	headers := map[string]string{"Authorization": "Bearer user-token", "Cookie": "grafana_session=x"}
	runQueries(t, d, headers, q)
	again := runQueries(t, d, headers, q)["A"]
	require.NoError(t, again.Error)
	assert.Equal(t, 100.0, cacheStat(t, again))
	assert.Len(t, srv.take(), 1)
}
