package querycache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Fetcher asks upstream for the range [from, to] (both on the step grid) of the request's query.
type Fetcher func(ctx context.Context, from, to time.Time) (*Part, error)

// Request is one range query.
type Request struct {
	Key Key
	// From and To are the range, aligned to the step.
	From, To time.Time
	// Overlap is how much of the newest data is always fetched again (late samples, ingestion delay).
	Overlap time.Duration
}

// Status says where an answer came from.
type Status string

// The statuses of an answer.
const (
	StatusHit     Status = "hit"
	StatusPartial Status = "partial"
	StatusMiss    Status = "miss"
)

// Answer is a range answer built from the cache and what was fetched for it.
type Answer struct {
	Part
	Status Status
	// CachedFraction is the share of the range's points that did not have to be fetched for this request.
	CachedFraction float64
	// Fetched lists the ranges fetched upstream for this answer, by this request or one it shared.
	Fetched [][2]time.Time
	// Shared is true when the answer came from a fetch another request started.
	Shared bool
}

// maxAttempts bounds how often a request waits for other requests' fetches before it gives up on the cache.
const maxAttempts = 3

// Query answers req from the cache, fetching what is missing. Only one fetch per key runs at a time: concurrent
// requests wait for it and are then answered from its result. An error from fetch is returned to every request
// that waited for it and nothing is cached.
func (c *Cache) Query(ctx context.Context, req Request, fetch Fetcher) (*Answer, error) {
	step := req.Key.Step.Milliseconds()
	if step <= 0 || req.Key.Step%time.Millisecond != 0 || req.To.Before(req.From) {
		return nil, fmt.Errorf("%w: step %s", errUncacheable, req.Key.Step)
	}
	g := newGrid(req.From.UnixMilli(), step)
	k := req.Key
	k.phase = g.phase
	rs := span{From: req.From.UnixMilli(), To: g.floor(req.To.UnixMilli())}
	for range maxAttempts {
		now := c.now().UnixMilli()
		fresh := g.floor(now - req.Overlap.Milliseconds())
		c.mu.Lock()
		e := c.lookupLocked(k)
		if e != nil {
			if p := planFetch(g, e.covered, e.fetchedAt, rs, fresh); len(p.fetch) == 0 {
				c.mu.Unlock()
				return answer(e, rs, g, nil, nil, false), nil
			}
		}
		fl, started := c.joinLocked(ctx, k, func(fctx context.Context, fl *flight) {
			c.update(fctx, fl, k, g, e, rs, now, fresh, fetch)
		})
		c.mu.Unlock()
		if err := c.wait(ctx, k, fl); err != nil {
			return nil, err
		}
		if fl.err != nil {
			return nil, fl.err
		}
		if p := planFetch(g, fl.result.covered, fl.result.fetchedAt, rs, g.floor(c.now().UnixMilli()-req.Overlap.Milliseconds())); len(p.fetch) == 0 {
			return answer(fl.result, rs, g, fl.fetched, fl.stats, !started), nil
		}
	}
	return nil, fmt.Errorf("%w: other requests kept changing the entry", errUncacheable)
}

// update fetches what e lacks for rs and merges it, on the flight's own context.
func (c *Cache) update(ctx context.Context, fl *flight, k Key, g grid, e *entry, rs span, now, fresh int64, fetch Fetcher) {
	defer c.finish(k, fl)
	var covered span
	var fetchedAt int64
	if e != nil {
		covered, fetchedAt = e.covered, e.fetchedAt
	} else {
		covered = span{From: 1, To: 0}
	}
	p := planFetch(g, covered, fetchedAt, rs, fresh)
	base := e
	if p.replace {
		base = nil
	}
	parts := make([]fetched, 0, len(p.fetch))
	fl.store = true
	for _, sp := range p.fetch {
		part, err := fetch(ctx, time.UnixMilli(sp.From).UTC(), time.UnixMilli(sp.To).UTC())
		if err != nil {
			fl.err = err
			return
		}
		f, err := decodePart(sp, part)
		if err != nil {
			fl.err = err
			return
		}
		if isPartial(part) {
			fl.store = false
		}
		parts = append(parts, f)
		fl.fetched = append(fl.fetched, sp)
		fl.stats = addStats(fl.stats, part.Stats)
	}
	fl.result = merge(base, k, g, parts, rs.From-(rs.To-rs.From), now)
}

// isPartial says whether an answer must not be cached: the fetcher marked it, or it carries a warning of the kind
// Prometheus-compatible servers (Thanos, Cortex) attach to a partial response.
func isPartial(p *Part) bool {
	if p.Partial {
		return true
	}
	for _, w := range p.Warnings {
		if strings.Contains(strings.ToLower(w), "partial") {
			return true
		}
	}
	return false
}

// answer builds req's answer from e; fetched and stats describe the upstream requests made for it.
func answer(e *entry, rs span, g grid, fetched []span, stats map[string]any, shared bool) *Answer {
	a := &Answer{Part: *e.answer(rs), Shared: shared}
	a.Stats = stats
	total := rs.points(g.step)
	var got int64
	for _, sp := range fetched {
		got += sp.intersect(rs).points(g.step)
		a.Fetched = append(a.Fetched, [2]time.Time{time.UnixMilli(sp.From).UTC(), time.UnixMilli(sp.To).UTC()})
	}
	if total > 0 {
		a.CachedFraction = 1 - float64(got)/float64(total)
	}
	switch {
	case got == 0:
		a.Status = StatusHit
	case got >= total:
		a.Status = StatusMiss
	default:
		a.Status = StatusPartial
	}
	return a
}

// IsUncacheable reports whether err means the request cannot go through the cache (for example a step that is not
// a whole number of milliseconds, or an answer that holds frames the cache cannot store); the caller runs it
// uncached.
func IsUncacheable(err error) bool { return errors.Is(err, errUncacheable) }
