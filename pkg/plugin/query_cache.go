package plugin

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/querycache"
)

// StatCachedRange is the display name of the statistic that says how much of a range came from the query cache.
const StatCachedRange = "Range from query cache"

// headerCacheSkip is what Grafana sends when a request must not be answered from a cache: Explore and alert rule
// evaluations send it. Like Grafana Enterprise's query cache, the plugin honours it whatever its value.
const headerCacheSkip = "X-Cache-Skip"

// startEnd finds the @ start() and @ end() modifiers, whose value depends on the query's range: such answers
// cannot be assembled from other ranges.
var startEnd = regexp.MustCompile(`@\s*(start|end)\s*\(\s*\)`)

type cacheSkipKey struct{}

// identityHeaders carry the Grafana user's own identity when Grafana forwards it (OAuth pass-through, allowed
// cookies). Without SigV4 they reach the server, whose answer may then depend on the user.
var identityHeaders = []string{"Authorization", "X-Id-Token", "Cookie"}

// withCacheSkip remembers whether the request must not be served from the shared cache: Grafana's X-Cache-Skip, a
// no-cache / no-store Cache-Control or Pragma header, or a forwarded user identity that the server sees (SigV4
// signing drops forwarded credentials, so it makes answers the same for every user).
func withCacheSkip(ctx context.Context, req *backend.QueryDataRequest, s *models.Settings) context.Context {
	header := func(name string) string { return req.Headers[name] + req.GetHTTPHeader(name) }
	skip := header(headerCacheSkip) != ""
	for _, h := range []string{"Cache-Control", "Pragma"} {
		v := strings.ToLower(header(h))
		skip = skip || strings.Contains(v, "no-cache") || strings.Contains(v, "no-store")
	}
	for _, h := range identityHeaders {
		skip = skip || (s.SigV4 == nil && header(h) != "")
	}
	if !skip {
		return ctx
	}
	return context.WithValue(ctx, cacheSkipKey{}, true)
}

func cacheSkipped(ctx context.Context) bool {
	skip, _ := ctx.Value(cacheSkipKey{}).(bool)
	return skip
}

// queryCache returns the shared cache when the settings turn it on. It always registers the data source's settings
// version, so that entries of earlier settings are dropped even when the cache is now off.
func queryCache(s backend.DataSourceInstanceSettings, settings *models.Settings) (*querycache.Cache, querycache.DataSource) {
	ds := querycache.DataSource{ID: s.ID, UID: s.UID, Version: s.Updated.UnixMilli()}
	c := querycache.Shared()
	if c == nil {
		return nil, ds
	}
	c.Register(ds)
	if !settings.IncrementalQuerying {
		return nil, ds
	}
	return c, ds
}

// cacheParams encodes the upstream parameters besides query, start, end and step that change a range answer.
func cacheParams(s *models.Settings) string {
	p := url.Values{}
	for k, v := range s.QueryParameters {
		p[k] = v
	}
	if s.QueryStatsEnabled {
		p.Set("stats", "all")
	}
	return p.Encode()
}

// fetchFailure carries a failed upstream request's response through the cache to every request that waited for it.
type fetchFailure struct{ resp backend.DataResponse }

func (f *fetchFailure) Error() string { return f.resp.Error.Error() }

// fetchRange runs a range request, through the query cache when it is on and the request allows it. cached is nil
// when the cache was not used.
func (d *Datasource) fetchRange(ctx context.Context, q *models.Query) (res *converter.Result, status backend.Status, cached *querycache.Answer, failed *backend.DataResponse) {
	if d.cache == nil || q.NoCache || cacheSkipped(ctx) || startEnd.MatchString(q.Expr) {
		res, status, failed = d.fetch(ctx, q, kindRange)
		return res, status, nil, failed
	}
	logger := log.DefaultLogger.FromContext(ctx)
	req := querycache.Request{
		Key:     querycache.Key{DataSource: d.cacheDS, Expr: q.Expr, Step: q.Step, Params: d.cacheParams},
		From:    q.Start,
		To:      q.End,
		Overlap: d.settings.IncrementalQueryOverlap,
	}
	answer, err := d.cache.Query(ctx, req, func(ctx context.Context, from, to time.Time) (*querycache.Part, error) {
		sub := *q
		sub.Start, sub.End = from, to
		res, _, failed := d.fetch(ctx, &sub, kindRange)
		if failed != nil {
			return nil, &fetchFailure{resp: *failed}
		}
		return &querycache.Part{Frames: res.Frames, Warnings: res.Warnings, Infos: res.Infos, Stats: res.Stats,
			Partial: len(res.Notices) > 0}, nil
	})
	var failure *fetchFailure
	switch {
	case errors.As(err, &failure):
		return nil, 0, nil, &failure.resp
	case querycache.IsUncacheable(err):
		logger.Debug("Query cache bypassed", "refId", q.RefID, "reason", err)
		res, status, failed = d.fetch(ctx, q, kindRange)
		return res, status, nil, failed
	case err != nil:
		return nil, 0, nil, &backend.DataResponse{Error: err, Status: backend.StatusBadGateway, ErrorSource: errorSourceOf(err)}
	}
	logger.Debug("Query cache "+string(answer.Status), "refId", q.RefID, "cachedPercent", answer.CachedFraction*100,
		"fetched", answer.Fetched, "shared", answer.Shared)
	stats := answer.Stats
	if stats == nil && d.settings.QueryStatsEnabled {
		// Nothing was fetched for this request: upstream processed no samples for it.
		stats = map[string]any{"samples": map[string]any{"totalQueryableSamples": float64(0)}}
	}
	res = &converter.Result{Frames: answer.Frames, Warnings: answer.Warnings, Infos: answer.Infos, Stats: stats}
	return res, backend.StatusOK, answer, nil
}

// addCacheStat tells the query inspector how much of the range the cache served.
func addCacheStat(frames data.Frames, a *querycache.Answer) {
	if a == nil || len(frames) == 0 {
		return
	}
	first := frames[0]
	if first.Meta == nil {
		first.Meta = &data.FrameMeta{}
	}
	first.Meta.Stats = append(first.Meta.Stats, data.QueryStat{
		FieldConfig: data.FieldConfig{DisplayName: StatCachedRange, Unit: "percent"},
		Value:       a.CachedFraction * 100,
	})
}
