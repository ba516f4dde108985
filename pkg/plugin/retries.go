package plugin

import (
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

// statRetries names the query statistic that counts retried upstream requests.
const statRetries = "Upstream retries"

// reportRetries makes the retries behind an answer visible: an info notice and a statistic on the first frame,
// and the same sentence after the error when the request failed in the end.
func reportRetries(resp backend.DataResponse, r *signing.Retries) backend.DataResponse {
	summary := r.Summary()
	if summary == "" {
		return resp
	}
	if resp.Error != nil {
		resp.Error = &explainedError{err: resp.Error, hint: summary}
	}
	resp.Frames = withNotice(resp.Frames, data.Notice{Severity: data.NoticeSeverityInfo, Text: summary + "."})
	meta := resp.Frames[0].Meta
	meta.Stats = append(meta.Stats, data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: statRetries}, Value: float64(len(r.List()))})
	return resp
}
