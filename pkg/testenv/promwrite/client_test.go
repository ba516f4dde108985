package promwrite

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

func TestProtoEncodesSpansAndDeltas(t *testing.T) {
	h := IntHistogram{Schema: 0, ZeroThreshold: 0.001, ZeroCount: 2, Sum: 42.5,
		PositiveOffset: 1, Positive: []uint64{3, 5, 1}, NegativeOffset: -1, Negative: []uint64{4}}
	ts := time.UnixMilli(1_700_000_000_123)
	got := h.Proto(ts)
	assert.Equal(t, &prompb.Histogram_CountInt{CountInt: 15}, got.Count)
	assert.Equal(t, &prompb.Histogram_ZeroCountInt{ZeroCountInt: 2}, got.ZeroCount)
	assert.Equal(t, []prompb.BucketSpan{{Offset: 1, Length: 3}}, got.PositiveSpans)
	assert.Equal(t, []int64{3, 2, -4}, got.PositiveDeltas)
	assert.Equal(t, []prompb.BucketSpan{{Offset: -1, Length: 1}}, got.NegativeSpans)
	assert.Equal(t, []int64{4}, got.NegativeDeltas)
	assert.Equal(t, int64(1_700_000_000_123), got.Timestamp)
	assert.Equal(t, 42.5, got.Sum)
	assert.Equal(t, 0.001, got.ZeroThreshold)
}

func TestPushSendsSnappyProtobuf(t *testing.T) {
	var got prompb.WriteRequest
	var headers http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers = r.Header.Clone()
		buf, err := io.ReadAll(r.Body)
		if err == nil {
			buf, err = snappy.Decode(nil, buf)
		}
		if err == nil {
			err = got.Unmarshal(buf)
		}
		if err != nil || r.URL.Path != "/api/v1/write" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	req := &prompb.WriteRequest{Timeseries: []prompb.TimeSeries{{
		Labels:     []prompb.Label{{Name: "__name__", Value: "m"}},
		Histograms: []prompb.Histogram{IntHistogram{Positive: []uint64{1}}.Proto(time.UnixMilli(5000))},
	}}}
	require.NoError(t, Push(context.Background(), srv.Client(), srv.URL+"/", req))
	assert.Equal(t, "snappy", headers.Get("Content-Encoding"))
	assert.Equal(t, "application/x-protobuf", headers.Get("Content-Type"))
	assert.Equal(t, "0.1.0", headers.Get("X-Prometheus-Remote-Write-Version"))
	require.Len(t, got.Timeseries, 1)
	require.Len(t, got.Timeseries[0].Histograms, 1)
	assert.Equal(t, int64(5000), got.Timeseries[0].Histograms[0].Timestamp)

	err := Push(context.Background(), srv.Client(), srv.URL+"/elsewhere", req)
	var statusErr *StatusError
	require.True(t, errors.As(err, &statusErr), "got %v", err)
	assert.Equal(t, http.StatusBadRequest, statusErr.StatusCode)
}

// TestPrometheusAcceptsNativeHistograms pushes to a real Prometheus and reads the histogram back, which is what
// the end-to-end tests rely on.
func TestPrometheusAcceptsNativeHistograms(t *testing.T) {
	fixture, err := promserver.DefaultFixturePath()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := promserver.Start(ctx, promserver.Options{Fixture: fixture, WorkDir: t.TempDir(), NativeHistograms: true})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Stop()) })

	// The head block only takes recent samples; the fixture's fixed epoch is far behind.
	at := time.Now().Truncate(time.Minute).Add(-time.Minute)
	h := IntHistogram{ZeroThreshold: 0.001, ZeroCount: 1, Sum: 12, PositiveOffset: 1, Positive: []uint64{2, 3}}
	req := &prompb.WriteRequest{Timeseries: []prompb.TimeSeries{{
		Labels:     []prompb.Label{{Name: "__name__", Value: "promwrite_test"}, {Name: "job", Value: "t"}},
		Histograms: []prompb.Histogram{h.Proto(at)},
	}}}
	require.NoError(t, Push(ctx, nil, srv.URL, req), srv.Logs())

	params := url.Values{"query": {"promwrite_test"}, "time": {strconv.FormatInt(at.Unix(), 10)}}
	resp, err := http.Get(srv.URL + "/api/v1/query?" + params.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct {
		Data struct {
			Result []struct {
				Histogram [2]json.RawMessage `json:"histogram"`
			} `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	require.Len(t, env.Data.Result, 1)
	var got struct {
		Count   string  `json:"count"`
		Sum     string  `json:"sum"`
		Buckets [][]any `json:"buckets"`
	}
	require.NoError(t, json.Unmarshal(env.Data.Result[0].Histogram[1], &got))
	assert.Equal(t, "6", got.Count)
	assert.Equal(t, "12", got.Sum)
	// Zero bucket [-0.001, 0.001] (rule 3), then (1,2] and (2,4] (rule 0) at schema 0.
	assert.Equal(t, [][]any{
		{float64(3), "-0.001", "0.001", "1"},
		{float64(0), "1", "2", "2"},
		{float64(0), "2", "4", "3"},
	}, got.Buckets)
}
