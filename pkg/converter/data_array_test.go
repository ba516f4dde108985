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

func TestExemplars(t *testing.T) {
	res := read(t, `{"status":"success","data":[
		{"seriesLabels":{"__name__":"up","job":"api"},"exemplars":[
			{"labels":{"traceID":"t1"},"value":"6","timestamp":1600096945.479},
			{"labels":{"spanID":"s2","traceID":"t2"},"value":"NaN","timestamp":1600096955},
			{"value":"7","timestamp":1600096965,"labels":{"spanID":"s3"}}]},
		{"exemplars":[{"labels":{"traceID":"x"},"value":"1","timestamp":1}],"seriesLabels":{"job":"db"}}]}`)
	require.Len(t, res.Frames, 2)
	f := res.Frames[0]
	require.True(t, IsExemplarFrame(f))
	assert.Equal(t, &data.FrameMeta{Custom: map[string]any{"resultType": "exemplar"}}, f.Meta, "no frame type")
	want := data.NewFrame("",
		data.NewField("Time", nil, []time.Time{time.UnixMilli(1600096945479).UTC(), time.UnixMilli(1600096955000).UTC(),
			time.UnixMilli(1600096965000).UTC()}),
		data.NewField("Value", data.Labels{"__name__": "up", "job": "api"}, []float64{6, math.NaN(), 7}),
		data.NewField("traceID", nil, []string{"t1", "t2", ""}),
		data.NewField("spanID", nil, []string{"", "s2", "s3"}),
	)
	want.Meta = f.Meta
	assert.Equal(t, frameJSON(t, want), frameJSON(t, f))
	assert.Equal(t, data.Labels{"job": "db"}, res.Frames[1].Fields[1].Labels, "seriesLabels after exemplars")
	assert.Empty(t, res.Notices)
}

func TestExemplarUnknownKeys(t *testing.T) {
	res := read(t, `{"data":[{"seriesLabels":{},"exemplars":[{"value":"1","timestamp":1,"extra":[{"a":1}]},
		{"value":"2","extra":null,"other":"x","timestamp":2}]}]}`)
	require.Len(t, res.Frames, 1)
	assert.Equal(t, 2, res.Frames[0].Fields[0].Len(), "unknown keys do not drop the exemplar")
	want := []data.Notice{
		{Severity: data.NoticeSeverityError, Text: "unable to parse key: extra in response body"},
		{Severity: data.NoticeSeverityError, Text: "unable to parse key: other in response body"},
	}
	assert.Equal(t, want, res.Notices, "one notice per key")
	frames := Decorate(res, Decoration{Expr: "up", Step: time.Second})
	assert.Equal(t, want, frames[0].Meta.Notices)
	assert.Equal(t, 1000.0, frames[0].Fields[0].Config.Interval, "the sampler reads the step from here")
}

func TestIsExemplarFrame(t *testing.T) {
	assert.False(t, IsExemplarFrame(nil))
	assert.False(t, IsExemplarFrame(data.NewFrame("")))
	assert.False(t, IsExemplarFrame(&data.Frame{Meta: &data.FrameMeta{Custom: map[string]any{"resultType": "matrix"}}}))
}

func TestLabelAndSeriesArrays(t *testing.T) {
	res := read(t, `{"status":"success","data":["__name__","job","j\u00f6b"]}`)
	require.Len(t, res.Frames, 1)
	assert.Equal(t, frameJSON(t, data.NewFrame("", data.NewField("Value", nil, []string{"__name__", "job", "jöb"}))),
		frameJSON(t, res.Frames[0]))

	res = read(t, `{"status":"success","data":[{"__name__":"up","job":"api"},{"instance":"i-1","job":"db"},{}]}`)
	require.Len(t, res.Frames, 1)
	want := data.NewFrame("",
		data.NewField("__name__", nil, []string{"up", "", ""}),
		data.NewField("job", nil, []string{"api", "db", ""}),
		data.NewField("instance", nil, []string{"", "i-1", ""}),
	)
	assert.Equal(t, frameJSON(t, want), frameJSON(t, res.Frames[0]))

	res = read(t, `{"status":"success","data":[{}]}`)
	assert.Empty(t, res.Frames, "series without labels give no columns")
	res = read(t, `{"status":"success","data":[]}`)
	assert.Empty(t, res.Frames)
}

func TestDataArrayErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"number element", `[1]`, "an element of data is not a string or an object"},
		{"label value not a string", `[{"job":1}]`, `unexpected value for "job"`},
		{"exemplars not an array", `[{"exemplars":{}}]`, `unexpected value for "exemplars"`},
		{"exemplar not an object", `[{"exemplars":[1]}]`, "an exemplar is not an object"},
		{"exemplar label not a string", `[{"exemplars":[{"labels":{"a":1}}]}]`, `exemplar label "a" is not a string`},
		{"exemplar value not a string", `[{"exemplars":[{"value":1}]}]`, "a sample value is not a string"},
		{"exemplar time not a number", `[{"exemplars":[{"timestamp":"1"}]}]`, "a sample time is not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadResponse(strings.NewReader(`{"status":"success","data":` + tc.data + `}`))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
