package plugin

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

const echoedToken = "echoed-token-value-42"

// withSecretHeader gives a test data source a secret custom header and the redactor that knows it.
func withSecretHeader(t *testing.T, d *Datasource) *Datasource {
	t.Helper()
	d.settings.Headers = http.Header{"X-Api-Key": {echoedToken}}
	d.awsConfigs = signing.NewAWSConfigs(d.settings, nil)
	return d
}

func TestOneBadAnswerCostsOnlyItsQuery(t *testing.T) {
	bad := "\xff\xfe"
	d, _ := newQueryDatasource(t, map[string]cannedAnswer{
		"query_range": {body: `{"status":"success","warnings":["echo ` + echoedToken + ` ` + bad + `"],"data":{"resultType":"matrix","result":[` +
			`{"metric":{"__name__":"up","job":"b` + bad + `"},"values":[[1767229215,"1"]]}]}}`},
		"query": {status: http.StatusUnprocessableEntity, body: `{"status":"error","errorType":"execution","error":"bad ` + bad + ` ` + echoedToken + `"}`},
	}, false)
	withSecretHeader(t, d)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		testDataQuery("RANGE", map[string]any{"expr": "up", "range": true}),
		testDataQuery("INSTANT", map[string]any{"expr": "up", "instant": true}),
	}})
	require.NoError(t, err)
	pb, err := backend.ToProto().QueryDataResponse(backend.DataFrameFormat_ARROW, resp)
	require.NoError(t, err)
	for refID, r := range pb.Responses {
		// gRPC refuses to marshal a proto string field holding invalid UTF-8, failing every query of the request.
		assert.True(t, utf8.ValidString(r.Error), "%s: the error must survive gRPC marshalling", refID)
	}

	rng := resp.Responses["RANGE"]
	require.NoError(t, rng.Error)
	require.Len(t, rng.Frames, 1)
	f := rng.Frames[0]
	assert.Equal(t, "b\uFFFD", f.Fields[1].Labels["job"])
	require.NotEmpty(t, f.Meta.Notices)
	assert.Equal(t, "echo [redacted] \uFFFD", f.Meta.Notices[0].Text)

	inst := resp.Responses["INSTANT"]
	require.Error(t, inst.Error)
	assert.True(t, utf8.ValidString(inst.Error.Error()))
	assert.Contains(t, inst.Error.Error(), "bad \uFFFD [redacted]")
	assert.Equal(t, backend.ErrorSourceDownstream, inst.ErrorSource)
}

func TestCleanFramesKeepsStringValuesValid(t *testing.T) {
	frame := data.NewFrame("name\xff", data.NewField("v\xff", data.Labels{"k\xff": "v"}, []string{"ok", "bad\xff"}),
		data.NewField("n", nil, []*string{nil, ptr("x\xff")}))
	outgoing{}.frames(data.Frames{frame})
	assert.Equal(t, "name\uFFFD", frame.Name)
	assert.Equal(t, "v\uFFFD", frame.Fields[0].Name)
	assert.Equal(t, "v", frame.Fields[0].Labels["k\uFFFD"])
	assert.Equal(t, "bad\uFFFD", frame.Fields[0].At(1))
	assert.Nil(t, frame.Fields[1].At(0))
	assert.Equal(t, "x\uFFFD", *frame.Fields[1].At(1).(*string))
}

func ptr(s string) *string { return &s }

func TestResourceAnswersAreCleaned(t *testing.T) {
	d := withSecretHeader(t, &Datasource{settings: settingsFor(t, `{"sigV4Auth":false}`, nil)})
	out := d.outgoing().resource(&backend.CallResourceResponse{Status: 200,
		Headers: map[string][]string{"Content-Type": {"application/json"}, "X-Echo": {"got " + echoedToken + "\xff"}},
		Body:    []byte(`{"status":"success","warnings":["got ` + echoedToken + "\xff" + `"]}`)})
	assert.Equal(t, []string{"got [redacted]\uFFFD"}, out.Headers["X-Echo"])
	assert.Equal(t, `{"status":"success","warnings":["got [redacted]`+"\uFFFD"+`"]}`, string(out.Body))

	binary := d.outgoing().resource(&backend.CallResourceResponse{Status: 200,
		Headers: map[string][]string{"Content-Type": {"application/octet-stream"}}, Body: []byte{0xff, 0x00}})
	assert.Equal(t, []byte{0xff, 0x00}, binary.Body, "binary bodies are relayed as they are")
}

func TestHealthAnswersAreCleaned(t *testing.T) {
	d := withSecretHeader(t, &Datasource{settings: settingsFor(t, `{"sigV4Auth":false}`, nil)})
	res := d.outgoing().health(&backend.CheckHealthResult{Message: "denied " + echoedToken + "\xff",
		JSONDetails: []byte(`{"verboseMessage":"denied ` + echoedToken + `"}`)})
	assert.Equal(t, "denied [redacted]\uFFFD", res.Message)
	assert.Equal(t, `{"verboseMessage":"denied [redacted]"}`, string(res.JSONDetails))
}

// BenchmarkCleanQueryData measures the cleaning pass over a large, valid answer: 10,000 series with five labels
// and a notice each.
func BenchmarkCleanQueryData(b *testing.B) {
	d := withSecretHeader(&testing.T{}, &Datasource{settings: &models.Settings{}})
	frames := make(data.Frames, 10000)
	for i := range frames {
		labels := data.Labels{"job": "api", "instance": fmt.Sprintf("host-%d:9090", i), "city": "Zürich", "zone": "a", "env": "prod"}
		frames[i] = data.NewFrame("", data.NewField("Time", nil, []time.Time{queryStart}), data.NewField("Value", labels, []float64{1}))
		frames[i].Meta = &data.FrameMeta{ExecutedQueryString: "Expr: up", Notices: []data.Notice{{Text: "a warning"}}}
	}
	resp := &backend.QueryDataResponse{Responses: backend.Responses{"A": {Frames: frames}}}
	out := d.outgoing()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		out.queryData(resp)
	}
}
