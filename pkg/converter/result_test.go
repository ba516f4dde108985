package converter

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResultBeforeResultType(t *testing.T) {
	tests := []struct {
		name, body string
		frameType  data.FrameType
		resultType string
		want       []any // value of the first row of each frame
	}{
		{"matrix", `{"data":{"result":[{"metric":{"job":"a"},"values":[[1,"1"],[2,"2"]]},{"metric":{},"values":[]}],"resultType":"matrix"}}`,
			data.FrameTypeTimeSeriesMulti, "matrix", []any{1.0, nil}},
		{"vector", `{"data":{"result":[{"metric":{},"value":[1,"7"]}],"resultType":"vector"}}`,
			data.FrameTypeNumericMulti, "vector", []any{7.0}},
		{"scalar", `{"data":{"result":[1.5,"+Inf"],"resultType":"scalar"}}`, data.FrameTypeNumericMulti, "scalar", []any{math.Inf(1)}},
		{"string", `{"data":{"result":[1.5,"+Inf"],"resultType":"string"}}`, data.FrameTypeTimeSeriesMulti, "string", []any{"+Inf"}},
		{"type first", `{"data":{"resultType":"scalar","result":[1.5,"2"]}}`, data.FrameTypeNumericMulti, "scalar", []any{2.0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := read(t, tc.body)
			require.Len(t, res.Frames, len(tc.want))
			for i, f := range res.Frames {
				assert.Equal(t, tc.frameType, f.Meta.Type)
				assert.Equal(t, tc.resultType, f.Meta.Custom.(map[string]any)["resultType"])
				if tc.want[i] != nil {
					assert.Equal(t, tc.want[i], f.Fields[1].At(0))
				}
			}
		})
	}
}

func TestResultTypeErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"missing resultType", `{"data":{"result":[]}}`, "no resultType found"},
		{"missing resultType with series", `{"data":{"result":[{"metric":{},"values":[[1,"1"]]}]}}`, "no resultType found"},
		{"unknown resultType first", `{"data":{"resultType":"streams","result":[{"stream":{},"values":[["1","x"]]}]}}`,
			"unknown result type: streams"},
		// Loki-shaped values do not decode as samples; the resultType after them still names the problem.
		{"unknown resultType after result", `{"data":{"result":[{"stream":{},"values":[["1","x"]]}],"resultType":"streams"}}`,
			"unknown result type: streams"},
		{"unknown resultType without result", `{"data":{"resultType":"foo"}}`, "unknown result type: foo"},
		{"shape error before known type", `{"data":{"result":[{"values":[["1","x"]]}],"resultType":"matrix"}}`,
			"a sample time is not a number"},
		{"series for scalar", `{"data":{"result":[{"metric":{}}],"resultType":"scalar"}}`, "a scalar result is not a [time, value] pair"},
		{"pair for matrix", `{"data":{"resultType":"matrix","result":[1,"1"]}}`, "a matrix result is not a list of series"},
		{"bad scalar", `{"data":{"resultType":"scalar","result":[1,"x"]}}`, `invalid scalar value "x"`},
		{"syntax error after result", `{"data":{"result":[{"metric":{},"values":[[1,"1"]]}],"resultType":"matrix"`,
			"unexpected end of JSON input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ReadResponse(strings.NewReader(tc.body))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Nil(t, res)
		})
	}
}

func TestStats(t *testing.T) {
	res := read(t, `{"status":"success","data":{"resultType":"vector","result":[],"stats":{"timings":{"evalTotalTime":0.5},
		"samples":{"totalQueryableSamples":0,"peakSamples":12,"totalQueryableSamplesPerStep":[[1,2]],"flag":true,"none":null}}}}`)
	assert.Equal(t, map[string]any{
		"timings": map[string]any{"evalTotalTime": 0.5},
		"samples": map[string]any{"totalQueryableSamples": 0.0, "peakSamples": 12.0,
			"totalQueryableSamplesPerStep": []any{[]any{1.0, 2.0}}, "flag": true, "none": nil},
	}, res.Stats)

	res = read(t, `{"status":"success","data":{"resultType":"vector","result":[],"stats":"all"}}`)
	assert.Nil(t, res.Stats, "stats that are not an object are ignored")

	_, err := ReadResponse(strings.NewReader(`{"data":{"resultType":"vector","result":[],"stats":{"a":1e999}}}`))
	require.ErrorContains(t, err, "out of range")
}

func TestEnvelope(t *testing.T) {
	t.Run("status error drops frames and notices", func(t *testing.T) {
		res := read(t, `{"status":"error","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]},"warnings":["w"]}`)
		assert.Empty(t, res.Frames)
		require.EqualError(t, res.Err(), ": unknown error")
		assert.Equal(t, []string{"w"}, res.Warnings)
	})
	t.Run("unknown members, nulls and trailing bytes are ignored", func(t *testing.T) {
		res := read(t, `{"status":"success","extra":{"a":[1,true,false,null,"x"]},"data":null,"error":null,"warnings":null} trailing`)
		assert.Empty(t, res.Frames)
		assert.NoError(t, res.Err())
	})
	t.Run("warnings frame", func(t *testing.T) {
		res := read(t, `{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["w"],"infos":["i"]}`)
		frames := Decorate(res, Decoration{Expr: "up", Step: time.Second})
		require.Len(t, frames, 1)
		assert.Equal(t, "Warnings", frames[0].Name)
		assert.Empty(t, frames[0].Fields)
		assert.Len(t, frames[0].Meta.Notices, 2)
	})
	t.Run("no warnings, no frame unless kept", func(t *testing.T) {
		res := read(t, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
		assert.Empty(t, Decorate(res, Decoration{Expr: "up", Step: time.Second}))
	})
	t.Run("non-json", func(t *testing.T) {
		for _, body := range []string{"", "   ", "<html>", "[1]", `"x"`} {
			_, err := ReadResponse(strings.NewReader(body))
			require.ErrorContains(t, err, "response from prometheus couldn't be parsed. it is non-json", body)
		}
	})
}
