package models

import (
	"strings"
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
		warning  string
	}{
		{name: "off by default", jsonData: `{}`, overlap: DefaultIncrementalQueryOverlap},
		{name: "on with the default window", jsonData: `{"incrementalQuerying":true}`, on: true, overlap: 10 * time.Minute},
		{name: "window as saved by the config page", jsonData: `{"incrementalQuerying":true,"incrementalQueryOverlapWindow":"30m"}`,
			on: true, overlap: 30 * time.Minute},
		{name: "provisioned strings", jsonData: `{"incrementalQuerying":"true","incrementalQueryOverlapWindow":" 1h "}`,
			on: true, overlap: time.Hour},
		{name: "zero window", jsonData: `{"incrementalQuerying":true,"incrementalQueryOverlapWindow":"0s"}`, on: true},
		{name: "empty window means the default", jsonData: `{"incrementalQueryOverlapWindow":""}`, overlap: DefaultIncrementalQueryOverlap},
		{name: "bad window keeps the default", jsonData: `{"incrementalQuerying":true,"incrementalQueryOverlapWindow":"ten minutes"}`,
			on: true, overlap: DefaultIncrementalQueryOverlap,
			warning: `jsonData.incrementalQueryOverlapWindow "ten minutes" is not a duration; use a duration such as "10m"`},
		{name: "window of the wrong type", jsonData: `{"incrementalQueryOverlapWindow":600}`, overlap: DefaultIncrementalQueryOverlap,
			warning: "jsonData.incrementalQueryOverlapWindow must be a string, got number 600"},
		{name: "flag of the wrong type keeps the cache off", jsonData: `{"incrementalQuerying":1}`, overlap: DefaultIncrementalQueryOverlap,
			warning: "jsonData.incrementalQuerying must be a boolean, got number 1; use true or false; the query cache stays off"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := load(t, ampURL, tc.jsonData, testKeys)
			require.NoError(t, err)
			var warnings []string
			for _, w := range s.Warnings {
				if strings.Contains(w, "incremental") {
					warnings = append(warnings, w)
				}
			}
			if tc.warning == "" {
				assert.Empty(t, warnings)
			} else {
				require.Len(t, warnings, 1)
				assert.Contains(t, warnings[0], tc.warning)
			}
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
