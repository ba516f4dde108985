package plugin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

func TestSplitRangeCoversEveryStepOnce(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		rangeDur, step, limit time.Duration
	}{
		{90 * day, time.Hour, 32 * day},
		{90 * day, 7 * time.Minute, 32 * day},
		{64 * day, time.Hour, 32 * day}, // a multiple of the limit
		{32 * day, time.Hour, 32 * day}, // exactly the limit is split: the limit itself may be refused
		{90 * day, 40 * day, 32 * day},  // a step longer than the limit
		{10 * day, time.Minute, 0},
	} {
		t.Run(fmt.Sprintf("%s/%s/%s", tc.rangeDur, tc.step, tc.limit), func(t *testing.T) {
			end := start.Add(tc.rangeDur)
			ranges := splitRange(start, end, tc.step, tc.limit)
			var got []time.Time
			for _, r := range ranges {
				require.False(t, r.end.Before(r.start))
				if tc.limit > 0 {
					assert.Less(t, r.end.Sub(r.start), tc.limit)
				}
				assert.Zero(t, r.start.Sub(start)%tc.step, "sub-ranges start on the query's steps")
				for ts := r.start; !ts.After(r.end); ts = ts.Add(tc.step) {
					got = append(got, ts)
				}
			}
			var want []time.Time
			for ts := start; !ts.After(end); ts = ts.Add(tc.step) {
				want = append(want, ts)
			}
			assert.Equal(t, want, got, "every evaluation time in exactly one sub-range")
			assert.Equal(t, tc.limit == 0, len(ranges) == 1)
		})
	}
}

// splitServer answers query_range like Prometheus for two series: "a" has a sample at every step, "b" only
// at steps in the second half of the whole range, so that some sub-ranges lack it. Values are the timestamps.
type splitServer struct {
	from, to time.Time
	requests atomic.Int32
	maxRange atomic.Int64
}

func (s *splitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	_ = r.ParseForm()
	sec := func(k string) float64 { f, _ := strconv.ParseFloat(r.Form.Get(k), 64); return f }
	start, end, step := sec("start"), sec("end"), sec("step")
	if d := int64((end - start) * 1000); d > s.maxRange.Load() {
		s.maxRange.Store(d)
	}
	half := float64(s.from.Unix()) + float64(s.to.Sub(s.from).Seconds())/2
	var a, b []string
	for ts := start; ts <= end; ts += step {
		a = append(a, fmt.Sprintf(`[%g,"%g"]`, ts, ts))
		if ts >= half {
			b = append(b, fmt.Sprintf(`[%g,"%g"]`, ts, -ts))
		}
	}
	result := `{"metric":{"__name__":"m","s":"a"},"values":[` + strings.Join(a, ",") + `]}`
	if len(b) > 0 {
		result += `,{"metric":{"__name__":"m","s":"b"},"values":[` + strings.Join(b, ",") + `]}`
	}
	_, _ = fmt.Fprintf(w, `{"status":"success","data":{"resultType":"matrix","result":[%s]},"warnings":["w"]}`, result)
}

func TestSplitRangeStitchesLikeOneQuery(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(90 * 24 * time.Hour)
	srv := &splitServer{from: from, to: to}
	query := func(limit time.Duration) backend.DataResponse {
		s := &models.Settings{HTTPMethod: http.MethodPost, Limits: models.DefaultLimits()}
		s.Limits.QueryRangeLimit = limit
		ds := newTestDatasource(t, srv, s)
		raw := []byte(`{"expr":"m","range":true,"interval":"1h"}`)
		r, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", JSON: raw,
			MaxDataPoints: 5000, TimeRange: backend.TimeRange{From: from, To: to}}}})
		require.NoError(t, err)
		return r.Responses["A"]
	}
	whole := query(0)
	require.NoError(t, whole.Error)
	require.EqualValues(t, 1, srv.requests.Swap(0))
	srv.maxRange.Store(0)

	split := query(32 * 24 * time.Hour)
	require.NoError(t, split.Error)
	assert.EqualValues(t, 3, srv.requests.Load(), "90 days in sub-ranges under 32 days")
	assert.Less(t, srv.maxRange.Load(), (32 * 24 * time.Hour).Milliseconds())
	require.Len(t, split.Frames, 2)
	for i := range whole.Frames {
		assertSameFrame(t, whole.Frames[i], split.Frames[i])
	}
	assert.Equal(t, whole.Frames[0].Meta.Notices, split.Frames[0].Meta.Notices, "the same warning once, not once per sub-range")
}

func assertSameFrame(t *testing.T, want, got *data.Frame) {
	t.Helper()
	require.Equal(t, want.Name, got.Name)
	require.Equal(t, want.Rows(), got.Rows())
	require.Len(t, got.Fields, len(want.Fields))
	for i, f := range want.Fields {
		assert.Equal(t, f.Name, got.Fields[i].Name)
		assert.Equal(t, f.Labels, got.Fields[i].Labels)
		for row := 0; row < f.Len(); row++ {
			require.Equal(t, f.At(row), got.Fields[i].At(row), "field %s row %d", f.Name, row)
		}
	}
}

func TestSplitRangeReportsTheFailureNotTheCancellations(t *testing.T) {
	var n atomic.Int32
	ds := newTestDatasource(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`))
	}), &models.Settings{HTTPMethod: http.MethodGet, Limits: models.Limits{QueryRangeLimit: 24 * time.Hour}})
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A",
		JSON: []byte(`{"expr":"m"}`), MaxDataPoints: 100, TimeRange: backend.TimeRange{From: from, To: from.Add(3 * 24 * time.Hour)}}}})
	require.NoError(t, err)
	require.Error(t, r.Responses["A"].Error)
	assert.Contains(t, r.Responses["A"].Error.Error(), "larger step or min interval")
	assert.Equal(t, backend.Status(http.StatusUnprocessableEntity), r.Responses["A"].Status)
}

func TestSplitRangeHoldsTheSubRangesToOneBudget(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(90 * 24 * time.Hour)
	// 1,081 steps of series a and 541 of b: each sub-range fits in 1,000 samples, all of them do not.
	ds := newTestDatasource(t, &splitServer{from: from, to: to}, &models.Settings{HTTPMethod: http.MethodPost,
		Limits: models.Limits{QueryRangeLimit: 32 * 24 * time.Hour, MaxResponseSamples: 1000}})
	r, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A",
		JSON: []byte(`{"expr":"m","interval":"2h"}`), MaxDataPoints: 5000, TimeRange: backend.TimeRange{From: from, To: to}}}})
	require.NoError(t, err)
	require.Error(t, r.Responses["A"].Error)
	assert.Contains(t, r.Responses["A"].Error.Error(), "the response exceeded 1000 samples")
}

func TestSplitRangeStopsWithItsRequest(t *testing.T) {
	var started atomic.Int32
	ds := newTestDatasource(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Add(1)
		<-r.Context().Done()
	}), &models.Settings{HTTPMethod: http.MethodGet, Limits: models.Limits{QueryRangeLimit: 24 * time.Hour}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	begun := time.Now()
	r, err := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A",
		JSON: []byte(`{"expr":"m"}`), MaxDataPoints: 100, TimeRange: backend.TimeRange{From: from, To: from.Add(30 * 24 * time.Hour)}}}})
	require.NoError(t, err)
	require.Error(t, r.Responses["A"].Error)
	assert.Less(t, time.Since(begun), 5*time.Second)
	assert.LessOrEqual(t, started.Load(), int32(splitConcurrency), "the sub-ranges not yet started are never sent")
}
