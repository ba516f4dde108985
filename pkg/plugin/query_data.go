package plugin

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// defaultConcurrency is Grafana's default concurrent_query_count.
const defaultConcurrency = 10

// QueryData runs every query of the request, at most Grafana's concurrent query count at a time.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	if len(req.Queries) == 0 {
		return nil, backend.DownstreamError(models.ErrNoQueries)
	}
	resp := backend.NewQueryDataResponse()
	if d.settingsErr != nil {
		for _, q := range req.Queries {
			resp.Responses[q.RefID] = backend.ErrorResponseWithErrorSource(d.settingsErr)
		}
		return resp, nil
	}
	ctx = requestContext(ctx, req.GetHTTPHeaders())
	fromAlert := req.Headers["FromAlert"] == "true" || req.GetHTTPHeader("FromAlert") == "true"

	limit, err := backend.GrafanaConfigFromContext(ctx).ConcurrentQueryCount()
	if err != nil || limit < 1 {
		limit = defaultConcurrency
	}
	sem := make(chan struct{}, limit)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, q := range req.Queries {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := d.runQuery(ctx, q, fromAlert)
			mu.Lock()
			resp.Responses[q.RefID] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return resp, nil
}

func (d *Datasource) runQuery(ctx context.Context, dq backend.DataQuery, fromAlert bool) backend.DataResponse {
	q, err := models.ParseQuery(dq, d.settings, fromAlert)
	if err != nil {
		return backend.ErrorResponseWithErrorSource(backend.DownstreamError(err))
	}
	var kinds []bool // true = range
	if q.Range {
		kinds = append(kinds, true)
	}
	if q.Instant {
		kinds = append(kinds, false)
	}
	parts := make([]backend.DataResponse, len(kinds))
	var wg sync.WaitGroup
	for i, isRange := range kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i] = d.runRequest(ctx, q, isRange)
		}()
	}
	wg.Wait()
	out := mergeResponses(parts)
	if q.Exemplar {
		out.Frames = withNotice(out.Frames, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: "Exemplars were not queried: Amazon Managed Service for Prometheus has no exemplar API."})
	}
	return out
}

// runRequest sends one range or instant request and converts its answer.
func (d *Datasource) runRequest(ctx context.Context, q *models.Query, isRange bool) backend.DataResponse {
	var resp *http.Response
	var err error
	if isRange {
		resp, err = d.client.QueryRange(ctx, q.Expr, q.Start, q.End, q.Step)
	} else {
		resp, err = d.client.QueryInstant(ctx, q.Expr, q.Time)
	}
	if err != nil {
		return backend.DataResponse{Error: explainTransportError(err), Status: backend.StatusBadGateway,
			ErrorSource: errorSourceOf(err)}
	}
	deco := converter.Decoration{Expr: q.Expr, Step: q.Step, LegendFormat: q.LegendFormat, KeepEmpty: true}
	if !promclient.ParsesBody(resp.StatusCode) {
		err := promclient.ReadStatusError(resp)
		return backend.DataResponse{
			Frames:      converter.Decorate(&converter.Result{}, deco),
			Error:       explainStatusError(err, d.settings),
			Status:      backend.Status(resp.StatusCode),
			ErrorSource: backend.ErrorSourceFromHTTPStatus(resp.StatusCode),
		}
	}
	defer resp.Body.Close()
	res, err := converter.ReadResponse(resp.Body)
	if err != nil {
		return backend.DataResponse{Error: err, Status: backend.Status(resp.StatusCode), ErrorSource: backend.ErrorSourceDownstream}
	}
	frames := converter.Decorate(res, deco)
	if perr := res.Err(); perr != nil {
		return backend.DataResponse{Frames: converter.Decorate(&converter.Result{}, deco), Error: perr,
			Status: backend.Status(resp.StatusCode), ErrorSource: backend.ErrorSourceFromHTTPStatus(resp.StatusCode)}
	}
	return backend.DataResponse{Frames: frames, Status: backend.Status(resp.StatusCode)}
}

// mergeResponses joins the range and instant answers of one query: frames are appended, errors joined.
func mergeResponses(parts []backend.DataResponse) backend.DataResponse {
	if len(parts) == 1 {
		return parts[0]
	}
	var out backend.DataResponse
	var errs []error
	for _, p := range parts {
		out.Frames = append(out.Frames, p.Frames...)
		if p.Error != nil {
			errs = append(errs, p.Error)
			out.Status, out.ErrorSource = p.Status, p.ErrorSource
		}
	}
	if len(errs) > 0 {
		out.Error = errors.Join(errs...)
	}
	return out
}

func withNotice(frames data.Frames, n data.Notice) data.Frames {
	if len(frames) == 0 {
		frames = data.Frames{data.NewFrame("")}
	}
	if frames[0].Meta == nil {
		frames[0].Meta = &data.FrameMeta{}
	}
	frames[0].Meta.Notices = append(frames[0].Meta.Notices, n)
	return frames
}

func errorSourceOf(err error) backend.ErrorSource {
	if backend.IsDownstreamError(err) || backend.IsDownstreamHTTPError(err) {
		return backend.ErrorSourceDownstream
	}
	return backend.ErrorSourcePlugin
}
