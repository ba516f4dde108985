package models

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadSettingsIncrementalQuerying(t *testing.T) {
	tests := []struct {
		name     string
		jsonData string
		on       bool
		overlap  time.Duration
		err      string
	}{
		{name: "off by default", jsonData: `{}`, overlap: DefaultIncrementalQueryOverlap},
		{name: "on with the default window", jsonData: `{"incrementalQuerying":true}`, on: true, overlap: 10 * time.Minute},
		{name: "window as saved by the config page", jsonData: `{"incrementalQuerying":true,"incrementalQueryOverlapWindow":"30m"}`,
			on: true, overlap: 30 * time.Minute},
		{name: "provisioned strings", jsonData: `{"incrementalQuerying":"true","incrementalQueryOverlapWindow":" 1h "}`,
			on: true, overlap: time.Hour},
		{name: "zero window", jsonData: `{"incrementalQuerying":true,"incrementalQueryOverlapWindow":"0s"}`, on: true},
		{name: "empty window means the default", jsonData: `{"incrementalQueryOverlapWindow":""}`, overlap: DefaultIncrementalQueryOverlap},
		{name: "bad window", jsonData: `{"incrementalQueryOverlapWindow":"ten minutes"}`,
			err: `jsonData.incrementalQueryOverlapWindow "ten minutes" is not a duration; use a duration such as "10m"`},
		{name: "window of the wrong type", jsonData: `{"incrementalQueryOverlapWindow":600}`,
			err: "jsonData.incrementalQueryOverlapWindow must be a string, got number 600"},
		{name: "flag of the wrong type", jsonData: `{"incrementalQuerying":1}`,
			err: "jsonData.incrementalQuerying must be a boolean, got number 1; use true or false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := load(t, ampURL, tc.jsonData, testKeys)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.on, s.IncrementalQuerying)
			assert.Equal(t, tc.overlap, s.IncrementalQueryOverlap)
		})
	}
}

func TestParseQueryNoCache(t *testing.T) {
	q := parseCase(t, queryCase{rangeDur: time.Hour, model: map[string]any{"expr": "up", "noCache": true}})
	assert.True(t, q.NoCache)
	q = parseCase(t, queryCase{rangeDur: time.Hour, model: map[string]any{"expr": "up"}})
	assert.False(t, q.NoCache)
	_, err := ParseQuery(backend.DataQuery{RefID: "A", JSON: []byte(`{"expr":"up","noCache":"yes"}`),
		TimeRange: backend.TimeRange{From: epoch, To: epoch.Add(time.Hour)}}, &Settings{}, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "noCache")
}
