package promserver

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerAnswersFromFixture(t *testing.T) {
	srv := StartForTest(t)

	tests := []struct {
		name  string
		query string
		at    time.Time
		want  map[string]string
	}{
		{
			name:  "constant counter rates",
			query: `rate(fixture_http_requests_total{job="api",instance="api-1:8080"}[5m])`,
			at:    at(3, 0, 0),
			want: map[string]string{
				`{instance="api-1:8080",job="api",method="GET",status="200"}`:  "4",
				`{instance="api-1:8080",job="api",method="GET",status="500"}`:  "0.25",
				`{instance="api-1:8080",job="api",method="POST",status="200"}`: "2",
				`{instance="api-1:8080",job="api",method="POST",status="500"}`: "0.125",
			},
		},
		{
			name:  "sum of api rates",
			query: `sum(rate(fixture_http_requests_total{job="api"}[5m]))`,
			at:    at(1, 0, 0),
			want:  map[string]string{`{}`: "15.875"},
		},
		{
			name:  "rate stays 1 across the counter reset",
			query: `rate(fixture_http_requests_total{job="worker",method="GET"}[5m])`,
			at:    at(3, 2, 0),
			want:  map[string]string{`{instance="worker-1:9090",job="worker",method="GET",status="200"}`: "1"},
		},
		{
			name:  "one reset in the hour around 03:00",
			query: `sum(resets(fixture_http_requests_total[1h]))`,
			at:    at(3, 30, 0),
			want:  map[string]string{`{}`: "1"},
		},
		{
			name:  "counter value at the end",
			query: `fixture_http_requests_total{instance="api-2:8080",method="GET",status="200"}`,
			at:    FixtureEnd,
			want:  map[string]string{`{__name__="fixture_http_requests_total",instance="api-2:8080",job="api",method="GET",status="200"}`: "172800"},
		},
		{
			name:  "UTF-8 cities, linear and step gauges",
			query: `fixture_temperature_celsius`,
			at:    at(4, 0, 0),
			want: map[string]string{
				`{__name__="fixture_temperature_celsius",city="Zürich"}`:    "20",
				`{__name__="fixture_temperature_celsius",city="東京"}`:        "30",
				`{__name__="fixture_temperature_celsius",city="São Paulo"}`: "25",
			},
		},
		{name: "NaN sample", query: `fixture_special_values`, at: at(1, 0, 0),
			want: map[string]string{`{__name__="fixture_special_values",kind="mixed"}`: "NaN"}},
		{name: "+Inf sample", query: `fixture_special_values`, at: at(2, 0, 0),
			want: map[string]string{`{__name__="fixture_special_values",kind="mixed"}`: "+Inf"}},
		{name: "-Inf sample", query: `fixture_special_values`, at: at(3, 0, 0),
			want: map[string]string{`{__name__="fixture_special_values",kind="mixed"}`: "-Inf"}},
		{
			name:  "histogram median",
			query: `histogram_quantile(0.5, rate(fixture_request_duration_seconds_bucket[5m]))`,
			at:    at(3, 0, 0),
			want:  map[string]string{`{handler="/query",job="api"}`: "0.2", `{handler="/labels",job="api"}`: "0.025"},
		},
		{
			// Rounded because the 60 s histogram samples leave float noise
			// (0.37500000000000006) in the ratio.
			name:  "mean latency per handler in 10 µs",
			query: `round(1e5 * rate(fixture_request_duration_seconds_sum[5m]) / rate(fixture_request_duration_seconds_count[5m]))`,
			at:    at(5, 0, 0),
			want:  map[string]string{`{handler="/query",job="api"}`: "37500", `{handler="/labels",job="api"}`: "3125"},
		},
		{
			name:  "rates by status",
			query: `sum by (status) (rate(fixture_http_requests_total{job="api"}[5m]))`,
			at:    at(2, 0, 0),
			want:  map[string]string{`{status="200"}`: "15", `{status="500"}`: "0.875"},
		},
		{name: "gauge inside its gap", query: `fixture_queue_depth`, at: at(2, 30, 0), want: map[string]string{}},
		{name: "gap is hidden by lookback until 02:04:45", query: `fixture_queue_depth`, at: at(2, 4, 45),
			want: map[string]string{`{__name__="fixture_queue_depth",queue="orders"}`: "100"}},
		{name: "partial series absent before it starts", query: `fixture_canary_active`, at: at(1, 0, 0), want: map[string]string{}},
		{name: "partial series present", query: `fixture_canary_active`, at: at(2, 0, 0),
			want: map[string]string{`{__name__="fixture_canary_active",service="checkout"}`: "1"}},
		{
			name:  "escaped label values",
			query: `fixture_build_info`,
			at:    at(0, 30, 0),
			want:  map[string]string{`{__name__="fixture_build_info",path="C:\\fixture\\bin",version="1.0 \"beta\" build"}`: "1"},
		},
		{name: "fifty shard series", query: `count(fixture_shard_items)`, at: at(5, 7, 30), want: map[string]string{`{}`: "50"}},
		{name: "shard value", query: `fixture_shard_items{zone="zone-c",shard="shard-07"}`, at: at(1, 1, 1),
			want: map[string]string{`{__name__="fixture_shard_items",shard="shard-07",zone="zone-c"}`: "27"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, instant(t, srv, tt.query, tt.at))
		})
	}

	t.Run("range query shows the gap", func(t *testing.T) {
		res := rangeQuery(t, srv, `fixture_queue_depth`, at(1, 55, 0), at(3, 5, 0), 5*time.Minute)
		require.Len(t, res, 1)
		var got []string
		for _, v := range res[0].Values {
			got = append(got, time.Unix(int64(v[0].(float64)), 0).UTC().Format("15:04")+"="+v[1].(string))
		}
		assert.Equal(t, []string{"01:55=100", "02:00=100", "03:00=200", "03:05=200"}, got)
	})

	t.Run("label values respect the time range", func(t *testing.T) {
		var all, firstHour []string
		apiGet(t, srv, "/api/v1/label/city/values", url.Values{}, &all)
		apiGet(t, srv, "/api/v1/label/city/values", url.Values{
			"start": {strconv.FormatInt(at(0, 0, 0).Unix(), 10)},
			"end":   {strconv.FormatInt(at(1, 0, 0).Unix(), 10)},
		}, &firstHour)
		assert.Equal(t, []string{"São Paulo", "Zürich", "東京"}, all)
		assert.Equal(t, []string{"Zürich", "東京"}, firstHour)
	})
}

func TestStopKillsProcessAndRemovesWorkDir(t *testing.T) {
	fixture, err := DefaultFixturePath()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := Start(ctx, Options{Fixture: fixture})
	require.NoError(t, err)
	pid := srv.Pid()
	require.NoError(t, syscall.Kill(pid, 0), "prometheus should be running")
	workDir := srv.workDir

	require.NoError(t, srv.Stop())
	assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "prometheus pid %d still exists", pid)
	_, err = os.Stat(workDir)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.NoError(t, srv.Stop(), "second Stop")
	assert.Contains(t, srv.Logs(), "Server is ready to receive web requests")
}

func TestMissingBinariesExplainInstall(t *testing.T) {
	prometheus, err := exec.LookPath(PrometheusBinary)
	require.NoError(t, err, InstallHint)
	tests := []struct {
		name  string
		opts  Options
		wants string
	}{
		{name: "empty PATH", wants: `"prometheus"`},
		{name: "prometheus given but promtool missing", opts: Options{PrometheusPath: prometheus}, wants: `"promtool"`},
		{name: "explicit path that does not exist", opts: Options{PrometheusPath: filepath.Join(t.TempDir(), "nope")}, wants: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", "")
			tt.opts.Fixture = "unused.om"
			_, err := Start(context.Background(), tt.opts)
			require.Error(t, err)
			var missing *MissingBinaryError
			require.True(t, errors.As(err, &missing), "got %T: %v", err, err)
			assert.Contains(t, err.Error(), tt.wants)
			assert.Contains(t, err.Error(), "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus")
		})
	}
}

func TestStartReportsBadFixture(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.om")
	require.NoError(t, os.WriteFile(bad, []byte("this is { not openmetrics\n"), 0o644))
	_, err := Start(context.Background(), Options{Fixture: bad, WorkDir: t.TempDir()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "promtool backfill of "+bad)
}
