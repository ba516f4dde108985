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

func read(t *testing.T, body string) *Result {
	t.Helper()
	res, err := ReadResponse(strings.NewReader(body))
	require.NoError(t, err)
	return res
}

func TestReadMatrix(t *testing.T) {
	res := read(t, `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"__name__":"up","job":"a"},"values":[[1767225600,"1"],[1767225615.5,"NaN"],[1767225630,"+Inf"]]},
		{"metric":{"job":"b"},"values":[[1767225600,"-Inf"]]}]},"warnings":["w1"],"infos":["i1"]}`)
	require.Len(t, res.Frames, 2)
	f := res.Frames[0]
	require.Len(t, f.Fields, 2)
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type)
	assert.Equal(t, data.FrameTypeVersion{0, 1}, f.Meta.TypeVersion)
	assert.Equal(t, map[string]any{"resultType": "matrix"}, f.Meta.Custom)
	assert.Equal(t, data.Labels{"__name__": "up", "job": "a"}, f.Fields[1].Labels)
	assert.Equal(t, time.UnixMilli(1767225615500).UTC(), f.Fields[0].At(1))
	assert.Equal(t, 1.0, f.Fields[1].At(0))
	assert.True(t, math.IsNaN(f.Fields[1].At(1).(float64)))
	assert.True(t, math.IsInf(f.Fields[1].At(2).(float64), 1))
	assert.True(t, math.IsInf(res.Frames[1].Fields[1].At(0).(float64), -1))
	assert.Equal(t, []string{"w1"}, res.Warnings)
	assert.Equal(t, []string{"i1"}, res.Infos)

	frames := Decorate(res, Decoration{Expr: "up", Step: 15 * time.Second})
	assert.Equal(t, "up", frames[0].Fields[1].Name, "value field renamed to the metric")
	assert.Equal(t, "Value", frames[1].Fields[1].Name)
	assert.Equal(t, "up{job=\"a\"}", frames[0].Fields[1].Config.DisplayNameFromDS)
	assert.Equal(t, 15000.0, frames[0].Fields[0].Config.Interval)
	assert.Equal(t, "Expr: up\nStep: 15s", frames[0].Meta.ExecutedQueryString)
	assert.Equal(t, int64(15000), frames[0].Meta.Custom.(map[string]any)["calculatedMinStep"])
	assert.Empty(t, frames[1].Meta.ExecutedQueryString)
	for _, fr := range frames {
		assert.Equal(t, []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "w1"}, {Severity: data.NoticeSeverityInfo, Text: "i1"}}, fr.Meta.Notices)
	}
}

func TestReadOtherResultTypes(t *testing.T) {
	res := read(t, `{"data":{"result":[{"metric":{},"value":[4,"2"]}],"resultType":"vector"},"status":"success"}`)
	require.Len(t, res.Frames, 1)
	assert.Equal(t, data.FrameTypeNumericMulti, res.Frames[0].Meta.Type)
	assert.Equal(t, "vector", res.Frames[0].Meta.Custom.(map[string]any)["resultType"])
	frames := Decorate(res, Decoration{Expr: "1+1", Step: time.Second})
	assert.Equal(t, "1+1", frames[0].Fields[1].Config.DisplayNameFromDS, "unlabelled series are named by the expression")

	res = read(t, `{"status":"success","data":{"resultType":"scalar","result":[4,"3.5"]}}`)
	require.Len(t, res.Frames, 1)
	assert.Equal(t, 3.5, res.Frames[0].Fields[1].At(0))
	assert.Equal(t, "scalar", res.Frames[0].Meta.Custom.(map[string]any)["resultType"])

	res = read(t, `{"status":"success","data":{"resultType":"string","result":[4,"hello"]}}`)
	require.Len(t, res.Frames, 1)
	assert.Equal(t, "hello", res.Frames[0].Fields[1].At(0))
	assert.Equal(t, data.FrameTypeVersion{0, 0}, res.Frames[0].Meta.TypeVersion)
}

func TestReadErrorsAndEmpty(t *testing.T) {
	res := read(t, `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\""}`)
	require.EqualError(t, res.Err(), `bad_data: invalid parameter "query"`)
	assert.Empty(t, res.Frames)

	res = read(t, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
	frames := Decorate(res, Decoration{Expr: "nothing", Step: time.Minute, KeepEmpty: true})
	require.Len(t, frames, 1)
	assert.Equal(t, "Expr: nothing\nStep: 1m0s", frames[0].Meta.ExecutedQueryString)

	bad := map[string]string{
		"not json":            `<html>502</html>`,
		"unknown result type": `{"status":"success","data":{"resultType":"streams","result":[]}}`,
		"missing result type": `{"status":"success","data":{"result":[]}}`,
		"truncated":           `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]`,
		"bad value":           `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"abc"]]}]}}`,
		"short sample":        `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1]}]}}`,
		"bad histogram":       `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{"buckets":[[0,"1","2"]]}]}]}}`,
		"data is a string":    `{"status":"success","data":"x"}`,
	}
	for name, body := range bad {
		t.Run(name, func(t *testing.T) {
			res, err := ReadResponse(strings.NewReader(body))
			require.Error(t, err)
			assert.Nil(t, res)
		})
	}
}

func TestDisplayName(t *testing.T) {
	labels := data.Labels{"__name__": "http_requests_total", "job": "api", "path": `/a"b`}
	tests := []struct {
		legend string
		labels data.Labels
		want   string
	}{
		{"", labels, `http_requests_total{job="api", path="/a\"b"}`},
		{"", data.Labels{"__name__": "up"}, "up"},
		{"", data.Labels{}, "EXPR"},
		{"__auto", labels, ""},
		{"__auto", data.Labels{}, "EXPR"},
		{"{{job}} - {{ path }} {{missing}}", labels, `api - /a"b `},
		{"{}", labels, "EXPR"},
		{"{{missing}}", labels, ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, displayName(tc.labels, tc.legend, "EXPR"), tc.legend)
	}
}
