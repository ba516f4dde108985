package plugin

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// maxErrorEnvelope bounds how much of a non-2xx body is held to tell a Prometheus error envelope from another
// JSON answer (an AWS error, a proxy page); Prometheus error envelopes are small.
const maxErrorEnvelope = 1 << 20

// readAnswer reads and closes the body of a query answer within the query's budget. It returns the decoded
// result, or the response that reports the failure.
func (d *Datasource) readAnswer(ctx context.Context, resp *http.Response, deco converter.Decoration) (*converter.Result, backend.Status, *backend.DataResponse) {
	defer resp.Body.Close()
	status := backend.Status(resp.StatusCode)
	statusError := func(resp *http.Response) *backend.DataResponse {
		return &backend.DataResponse{Frames: converter.Decorate(&converter.Result{}, deco), Status: status,
			Error: explainTooLarge(explainStatusError(promclient.ReadStatusError(resp), d.settings), resp.StatusCode), ErrorSource: backend.ErrorSourceFromHTTPStatus(resp.StatusCode)}
	}
	if !promclient.ParsesBody(resp.StatusCode) {
		return nil, status, statusError(resp)
	}
	body := io.Reader(resp.Body)
	var held []byte
	var err error
	if resp.StatusCode >= 300 {
		if held, err = io.ReadAll(io.LimitReader(resp.Body, maxErrorEnvelope)); err != nil {
			return nil, status, &backend.DataResponse{Error: err, Status: backend.StatusBadGateway, ErrorSource: errorSourceOf(err)}
		}
		body = bytes.NewReader(held)
	}
	budget := d.budget(ctx)
	res, err := converter.ReadResponseWithin(body, budget)
	if held != nil && (err != nil || res.Err() == nil) {
		// A 400, 422 or 503 without a Prometheus error, e.g. AWS's own 503 JSON: report it like any other status.
		resp.Body = io.NopCloser(bytes.NewReader(held))
		return nil, status, statusError(resp)
	}
	if err != nil {
		if be := budgetError(ctx, err, budget); be != nil {
			return nil, status, &backend.DataResponse{Error: be, Status: backend.StatusBadRequest, ErrorSource: backend.ErrorSourceDownstream}
		}
		return nil, status, &backend.DataResponse{Error: err, Status: status, ErrorSource: backend.ErrorSourceDownstream}
	}
	if perr := res.Err(); perr != nil {
		source := backend.ErrorSourceDownstream
		if resp.StatusCode >= 400 {
			source = backend.ErrorSourceFromHTTPStatus(resp.StatusCode)
		}
		return nil, status, &backend.DataResponse{Frames: converter.Decorate(&converter.Result{}, deco),
			Error: explainQueryError(perr, res.Error), Status: status, ErrorSource: source}
	}
	return res, status, nil
}

// budget is the response budget of one request: the data source's, with Grafana's [dataproxy] response_limit
// when that is lower. The SDK's response limit middleware enforces Grafana's limit too; taking it here gives the
// same clear error whichever of the two stops first.
func (d *Datasource) budget(ctx context.Context) converter.Budget {
	l := d.settings.Limits
	b := converter.Budget{MaxBytes: l.MaxResponseBytes, MaxSeries: l.MaxResponseSeries, MaxSamples: l.MaxResponseSamples}
	if g := backend.GrafanaConfigFromContext(ctx).ResponseLimit(); g > 0 && (b.MaxBytes == 0 || g < b.MaxBytes) {
		b.MaxBytes = g
	}
	return b
}
