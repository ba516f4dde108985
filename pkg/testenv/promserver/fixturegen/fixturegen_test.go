package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

var update = flag.Bool("update", false, "rewrite the committed fixture from the generator")

// maxFixtureBytes keeps the committed fixture small enough for the repository.
const maxFixtureBytes = 3 << 20

func TestCommittedFixtureMatchesGenerator(t *testing.T) {
	path, err := promserver.DefaultFixturePath()
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, generate(&buf))

	if *update {
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	committed, err := os.ReadFile(path)
	require.NoError(t, err)
	// require.Equal on 3 MB would print both files; compare and point at the fix.
	if !bytes.Equal(buf.Bytes(), committed) {
		t.Fatalf("%s differs from the generator output (%d vs %d bytes); "+
			"run: go test ./pkg/testenv/promserver/fixturegen -update", promserver.DefaultFixture, len(committed), buf.Len())
	}
	assert.Less(t, len(committed), maxFixtureBytes)
}

func TestGeneratedFixtureShape(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, generate(&buf))
	text := buf.String()

	assert.True(t, strings.HasSuffix(text, "\n# EOF\n"), "must end with # EOF")
	assert.Contains(t, text, "# TYPE fixture_http_requests counter\n")
	assert.Contains(t, text, "# UNIT fixture_request_duration_seconds seconds\n")
	assert.Contains(t, text, `fixture_build_info{version="1.0 \"beta\" build",path="C:\\fixture\\bin"} 1 1767225600`+"\n")
	assert.Contains(t, text, `fixture_special_values{kind="mixed"} NaN 1767229200`+"\n")
	assert.Contains(t, text, `fixture_special_values{kind="mixed"} +Inf 1767232800`+"\n")
	assert.Contains(t, text, `fixture_special_values{kind="mixed"} -Inf 1767236400`+"\n")
	assert.Contains(t, text, `fixture_request_duration_seconds_bucket{job="api",handler="/query",le="+Inf"} 216000 1767247200`+"\n")
	assert.Contains(t, text, `fixture_http_requests_total{job="worker",instance="worker-1:9090",method="GET",status="200"} 15 1767236400`+"\n",
		"counter restarts just before 03:00")
	assert.NotContains(t, text, "e+", "values must use plain decimal notation")

	// 1441 samples from 00:00 to 06:00 every 15s for a full-range series.
	assert.Equal(t, 1441, strings.Count(text, `fixture_http_requests_total{job="api",instance="api-1:8080",method="GET",status="200"}`))
	// The gauge with a gap misses exactly one hour (240 samples).
	assert.Equal(t, 1441-240, strings.Count(text, `fixture_queue_depth{queue="orders"}`))
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {216000, "216000"}, {0.125, "0.125"}, {10.5, "10.5"}, {-3, "-3"},
		{math.NaN(), "NaN"}, {math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, formatValue(tt.in))
		})
	}
}
