package plugin

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// splitConcurrency bounds the sub-range requests of one query in flight at a time.
const splitConcurrency = 4

// timeRange is one sub-range of a split range query, both ends included.
type timeRange struct{ start, end time.Time }

// splitRange cuts [start, end] into step-aligned sub-ranges whose end-start stays below limit. A range query
// evaluates at start, start+step, ... up to end; every sub-range starts one step after the previous one ended,
// so each evaluation time belongs to exactly one sub-range and the answers join without duplicate or missing
// points. The span stays strictly below the limit because services differ on whether the limit itself passes.
// A zero limit, or a range within it, gives one range.
func splitRange(start, end time.Time, step, limit time.Duration) []timeRange {
	if limit <= 0 || step <= 0 || end.Sub(start) < limit {
		return []timeRange{{start, end}}
	}
	stepsPerRange := (limit - 1) / step
	var out []timeRange
	for s := start; !s.After(end); {
		e := s.Add(stepsPerRange * step)
		if e.After(end) {
			e = end
		}
		out = append(out, timeRange{s, e})
		s = e.Add(step)
	}
	return out
}

// runSplitRange runs a range query as one request per sub-range of ranges, at most splitConcurrency at a time, and
// stitches their answers. The first failure fails the query and cancels the other sub-ranges, whose cancellation
// errors are not reported. Each sub-range is read within the query's budget, and the samples of all of them together are
// held to it as they arrive.
func (d *Datasource) runSplitRange(ctx context.Context, q *models.Query, ranges []timeRange, deco converter.Decoration) (*converter.Result, backend.Status, *backend.DataResponse) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]*converter.Result, len(ranges))
	statuses := make([]backend.Status, len(ranges))
	var mu sync.Mutex
	var failure *backend.DataResponse
	fail := func(r *backend.DataResponse) {
		mu.Lock()
		if failure == nil {
			failure = r
		}
		mu.Unlock()
		cancel()
	}
	budget := d.budget(ctx)
	var samples atomic.Int64
	sem := make(chan struct{}, splitConcurrency)
	var wg sync.WaitGroup
	for i, r := range ranges {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() != nil {
				return
			}
			resp, err := d.client.QueryRange(ctx, q.Expr, r.start, r.end, q.Step)
			if err != nil {
				failed := requestError(err)
				fail(&failed)
				return
			}
			res, status, failed := d.readAnswer(ctx, resp, deco)
			switch {
			case failed != nil:
				fail(failed)
			case budget.MaxSamples > 0 && samples.Add(countSamples(res)) > budget.MaxSamples:
				// The sub-ranges together are over the budget: stop the others rather than read them all first.
				fail(&backend.DataResponse{Error: budgetError(ctx, &converter.BudgetError{Limit: "samples", Max: budget.MaxSamples}, budget),
					Status: backend.StatusBadRequest, ErrorSource: backend.ErrorSourceDownstream})
			default:
				results[i], statuses[i] = res, status
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		return nil, failure.Status, failure
	}
	for _, r := range results {
		if r == nil {
			// Only a request cancelled by its caller leaves a sub-range without an answer or a failure.
			err := context.Cause(ctx)
			return nil, backend.StatusBadGateway, &backend.DataResponse{Error: explainTransportError(err), Status: backend.StatusBadGateway, ErrorSource: errorSourceOf(err)}
		}
	}
	merged, err := stitch(results, budget)
	if err != nil {
		return nil, statuses[0], &backend.DataResponse{Error: budgetError(ctx, err, budget), Status: backend.StatusBadRequest,
			ErrorSource: backend.ErrorSourceDownstream}
	}
	return merged, statuses[0], nil
}

func countSamples(r *converter.Result) int64 {
	var n int64
	for _, f := range r.Frames {
		n += int64(f.Rows())
	}
	return n
}
