package plugin

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/formats"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/querycache"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/resources"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

// defaultConcurrency is Grafana's default concurrent_query_count.
const defaultConcurrency = 10

// Headers Grafana sets on queries that alerting and server-side expressions run. Both read the frames on the
// server and expect Prometheus series, so the panel formats are not applied for them.
const (
	headerFromAlert      = "FromAlert"
	headerFromExpression = "X-Grafana-From-Expr"
)

// noticeExemplarsUnsupported replaces the exemplar request on AMP, which has no query_exemplars API.
const noticeExemplarsUnsupported = "Exemplars are not supported by Amazon Managed Service for Prometheus, so they were not queried; turn off the Exemplars switch under Options in the query editor."

// frameNameStats names the frame that carries statistics when a response has no data.
const frameNameStats = "Query statistics"

// requestKind is one of the HTTP requests a query can make.
type requestKind int

const (
	kindRange requestKind = iota
	kindInstant
	kindExemplars
)

// shaping says how the frames of a query are reshaped for its panel.
type shaping struct {
	format models.Format
	// valueName is the value column of table-format frames; "Value #<refId>" when several queries of the request
	// are tables, as Grafana's Prometheus frontend named it.
	valueName string
}

// queryData runs every query of the request, at most Grafana's concurrent query count at a time.
func (d *Datasource) queryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
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
	ctx = withCacheSkip(ctx, req, d.settings)
	fromAlert := headerIsTrue(req, headerFromAlert)
	shape := !fromAlert && !headerIsTrue(req, headerFromExpression)

	queries := make([]*models.Query, len(req.Queries))
	errs := make([]error, len(req.Queries))
	tables := 0
	for i, dq := range req.Queries {
		if errs[i] = context.Cause(ctx); errs[i] != nil {
			// A cancelled request parses no more of its queries' expressions.
			continue
		}
		queries[i], errs[i] = models.ParseQuery(dq, d.settings, fromAlert)
		if errs[i] == nil && queries[i].Format == models.FormatTable {
			tables++
		}
	}

	limit, err := backend.GrafanaConfigFromContext(ctx).ConcurrentQueryCount()
	if err != nil || limit < 1 {
		limit = defaultConcurrency
	}
	sem := make(chan struct{}, limit)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, dq := range req.Queries {
		if errs[i] != nil {
			resp.Responses[dq.RefID] = backend.ErrorResponseWithErrorSource(backend.DownstreamError(errs[i]))
			continue
		}
		sh := shaping{valueName: data.TimeSeriesValueFieldName}
		if shape {
			sh.format = queries[i].Format
		}
		if tables > 1 {
			sh.valueName = data.TimeSeriesValueFieldName + " #" + dq.RefID
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := d.runQuery(ctx, queries[i], sh)
			mu.Lock()
			resp.Responses[dq.RefID] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return resp, nil
}

// headerIsTrue reads a header Grafana passes either as is or, for forwarded HTTP headers, with an http_ prefix.
func headerIsTrue(req *backend.QueryDataRequest, name string) bool {
	return req.Headers[name] == "true" || req.GetHTTPHeader(name) == "true"
}

// runQuery runs the range, instant and exemplar requests of one query in parallel. Range frames come before
// instant frames, and sampled exemplars last, so that a query's frames are in a stable order.
func (d *Datasource) runQuery(ctx context.Context, q *models.Query, sh shaping) backend.DataResponse {
	var kinds []requestKind
	if q.Range {
		kinds = append(kinds, kindRange)
	}
	if q.Instant {
		kinds = append(kinds, kindInstant)
	}
	// AMP has no exemplar API: asking would only cost a request and a 404. AMP is recognised as the resource
	// handler does, by host or by SigV4 signing for "aps", so both answer the same way behind a VPC alias.
	ampExemplars := q.Exemplar && resources.IsAMP(d.settings)
	if q.Exemplar && !ampExemplars {
		kinds = append(kinds, kindExemplars)
	}
	parts := make([]backend.DataResponse, len(kinds))
	var wg sync.WaitGroup
	for i, kind := range kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if kind == kindExemplars {
				parts[i] = backend.DataResponse{Frames: d.runExemplars(ctx, q)}
				return
			}
			rctx, retries := signing.WithRetries(ctx)
			parts[i] = reportRetries(d.runRequest(rctx, q, kind, sh), retries)
		}()
	}
	wg.Wait()
	out := mergeResponses(parts)
	if ampExemplars && (len(out.Frames) > 0 || out.Error == nil) {
		out.Frames = withNotice(out.Frames, data.Notice{Severity: data.NoticeSeverityInfo, Text: noticeExemplarsUnsupported})
	}
	return out
}

// runRequest sends one range or instant request and converts its answer. Range requests go through the query
// cache when it is on; the frames are decorated and shaped after it, so every format shares its samples.
func (d *Datasource) runRequest(ctx context.Context, q *models.Query, kind requestKind, sh shaping) backend.DataResponse {
	var res *converter.Result
	var status backend.Status
	var failed *backend.DataResponse
	var cached *querycache.Answer
	if kind == kindRange {
		res, status, cached, failed = d.fetchRange(ctx, q)
	} else {
		res, status, failed = d.fetch(ctx, q, kind)
	}
	if failed != nil {
		return *failed
	}
	deco := decoration(q)
	empty := len(res.Frames) == 0
	frames := converter.Decorate(res, deco)
	if empty && res.Stats != nil && len(frames) > 0 && frames[0].Name == "" {
		// The converter names a frame that carries only notices "Warnings"; one that carries only statistics is
		// named the way Grafana's Prometheus backend names it.
		frames[0].Name = frameNameStats
	}
	formats.AddStats(frames, res.Stats)
	addCacheStat(frames, cached)
	switch sh.format {
	case models.FormatTable:
		frames = formats.Table(frames, sh.valueName)
	case models.FormatHeatmap:
		frames = formats.Heatmap(frames)
	}
	return backend.DataResponse{Frames: frames, Status: status}
}

// fetch sends one request and decodes its answer within the query's budget; a failed request gives the query's
// error response instead. A range longer than the server's query range limit is sent as several requests and
// stitched, so the query cache asks for its missing spans through the same path.
func (d *Datasource) fetch(ctx context.Context, q *models.Query, kind requestKind) (*converter.Result, backend.Status, *backend.DataResponse) {
	deco := decoration(q)
	if kind == kindRange {
		if ranges := splitRange(q.Start, q.End, q.Step, d.settings.Limits.QueryRangeLimit); len(ranges) > 1 {
			return d.runSplitRange(ctx, q, ranges, deco)
		}
	}
	resp, err := d.send(ctx, q, kind)
	if err != nil {
		failed := requestError(err)
		return nil, failed.Status, &failed
	}
	return d.readAnswer(ctx, resp, deco)
}

// decoration is how the frames of q are decorated; an answer without frames keeps an empty one, so that the
// executed query string reaches the client.
func decoration(q *models.Query) converter.Decoration {
	return converter.Decoration{Expr: q.Expr, Step: q.Step, LegendFormat: q.LegendFormat, KeepEmpty: true}
}

func (d *Datasource) send(ctx context.Context, q *models.Query, kind requestKind) (*http.Response, error) {
	switch kind {
	case kindRange:
		return d.client.QueryRange(ctx, q.Expr, q.Start, q.End, q.Step)
	case kindInstant:
		return d.client.QueryInstant(ctx, q.Expr, q.Time)
	default:
		return d.client.QueryExemplars(ctx, q.Expr, q.Start, q.End)
	}
}

// runExemplars fetches and samples exemplars. Failures only cost the exemplars: they are logged, never shown, as
// many Prometheus-compatible servers do not store exemplars at all.
func (d *Datasource) runExemplars(ctx context.Context, q *models.Query) data.Frames {
	logger := log.DefaultLogger.FromContext(ctx)
	resp, err := d.send(ctx, q, kindExemplars)
	if err != nil {
		logger.Warn("Exemplar query failed", "refId", q.RefID, "error", d.outgoing().error(err))
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err := promclient.ReadStatusError(resp)
		if resp.StatusCode == http.StatusNotFound {
			logger.Debug("Exemplar query failed: the server has no exemplar API", "refId", q.RefID, "error", d.outgoing().error(err))
		} else {
			logger.Warn("Exemplar query failed", "refId", q.RefID, "error", d.outgoing().error(err))
		}
		return nil
	}
	res, err := converter.ReadResponse(resp.Body)
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		logger.Warn("Exemplar query failed", "refId", q.RefID, "error", d.outgoing().error(err))
		return nil
	}
	frames := formats.SampleExemplars(res.Frames, q.Step)
	if len(frames) == 0 {
		return nil
	}
	converter.AddNotices(frames[:1], res)
	converter.MarkFirstFrame(frames, q.Expr, q.Step)
	return frames
}

// mergeResponses joins the answers of one query: frames are appended; errors are joined with a space, and the
// status and source are those of the last failed request.
func mergeResponses(parts []backend.DataResponse) backend.DataResponse {
	if len(parts) == 1 {
		return parts[0]
	}
	var out backend.DataResponse
	for _, p := range parts {
		out.Frames = append(out.Frames, p.Frames...)
		if p.Error == nil {
			continue
		}
		if out.Error == nil {
			out.Error = p.Error
		} else {
			out.Error = fmt.Errorf("%w %w", out.Error, p.Error)
		}
		out.Status, out.ErrorSource = p.Status, p.ErrorSource
	}
	if out.Error == nil {
		out.Status = parts[0].Status
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
