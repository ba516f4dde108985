package querycache

// span is an inclusive range of points on a step grid, in Unix milliseconds. A span whose To is before its From is
// empty.
type span struct {
	From, To int64
}

func (s span) empty() bool { return s.To < s.From }

// points is how many grid points of the given step the span holds.
func (s span) points(step int64) int64 {
	if s.empty() {
		return 0
	}
	return (s.To-s.From)/step + 1
}

func (s span) intersect(o span) span {
	return span{From: max(s.From, o.From), To: min(s.To, o.To)}
}

// grid is a query step and the offset of its points: Grafana aligns a range's ends to the step in the user's time
// zone, so two queries with the same step share points only when their offsets agree.
type grid struct {
	step, phase int64
}

func newGrid(start, step int64) grid {
	return grid{step: step, phase: mod(start, step)}
}

// floor is the last grid point at or before t.
func (g grid) floor(t int64) int64 {
	return t - mod(t-g.phase, g.step)
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// plan is what a request needs from upstream given what the cache holds.
type plan struct {
	// fetch lists the spans to ask upstream for, oldest first; empty for a full hit.
	fetch []span
	// replace says that the cached data cannot be extended (nothing usable overlaps the request), so the fetched
	// data replaces it.
	replace bool
}

// planFetch works out the missing parts of req, given the span the cache covers and when its newest part was
// fetched. Points newer than fresh (now minus the overlap window, on the grid) are re-fetched unless the newest
// fetch happened after req's last point existed: such a fetch already saw everything up to req.To, which is what
// lets concurrent and closely spaced viewers share one request per step.
func planFetch(g grid, cached span, fetchedAt int64, req span, fresh int64) plan {
	usable := cached
	if !(cached.To >= req.To && fetchedAt >= req.To) {
		usable.To = min(usable.To, fresh)
	}
	in := usable.intersect(req)
	if usable.empty() || in.empty() {
		return plan{fetch: []span{req}, replace: true}
	}
	var p plan
	if req.From < in.From {
		p.fetch = append(p.fetch, span{From: req.From, To: in.From - g.step})
	}
	if req.To > in.To {
		p.fetch = append(p.fetch, span{From: in.To + g.step, To: req.To})
	}
	return p
}
