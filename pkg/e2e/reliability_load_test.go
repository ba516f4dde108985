package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

// Load test shape and the growth it tolerates between the first round (which warms up connections, credential
// caches and the runtime's heap) and the last.
const (
	loadRounds      = 5
	loadConcurrency = 200
	// Threads: the Go runtime may start a few more OS threads under load; a goroutine leak does not show here.
	loadThreadMargin = 8
	// Descriptors: idle keep-alive connections to the emulator vary with scheduling; leaked connections add one
	// per query, 200 per round.
	loadFDMargin = 40
	// RSS: heap growth and GC timing; leaked goroutines, frames or buffers of 1,000 queries would exceed it.
	loadRSSMargin = 64 << 20
)

// TestReliabilityLoad sends rounds of 200 concurrent queries (range, instant and a failing one, through SigV4 and
// the emulator) to a plugin process of its own, and checks after each round that its threads, open descriptors
// and RSS do not grow beyond the margins above.
func TestReliabilityLoad(t *testing.T) {
	p := launchPlugin(t, &syncbuf.Buffer{}, stack.PluginEnv())
	own := &stack.Stack{Plugin: p}
	ds := dataSource(t, provisioning, nil)
	cfg := pluginhost.GrafanaConfig(nil)
	queries := []stack.Query{
		rangeQuery("A", `sum by (job) (rate(fixture_http_requests_total[5m]))`),
		instantQuery("B", fixtureStart.Add(3*time.Hour), map[string]any{"expr": "fixture_up"}),
		rangeQuery("C", "fixture_up{"),
	}
	var stats []procStat
	for round := range loadRounds {
		start := time.Now()
		errs := runConcurrently(t, own, ds, cfg, queries)
		require.Empty(t, errs, "round %d", round+1)
		// Give closed connections and finished goroutines a moment to wind down before sampling.
		time.Sleep(300 * time.Millisecond)
		s := readProcStat(t, p.Pid())
		stats = append(stats, s)
		t.Logf("round %d: %d queries in %s; %s", round+1, loadConcurrency, time.Since(start).Round(time.Millisecond), s)
	}
	first, last := stats[0], stats[len(stats)-1]
	assert.LessOrEqual(t, last.Threads, first.Threads+loadThreadMargin, "threads grew: %v", stats)
	assert.LessOrEqual(t, last.FDs, first.FDs+loadFDMargin, "open descriptors grew: %v", stats)
	assert.LessOrEqual(t, last.Sockets, first.Sockets+loadFDMargin, "sockets grew: %v", stats)
	assert.LessOrEqual(t, last.RSS, first.RSS+loadRSSMargin, "RSS grew: %v", stats)
	assert.False(t, p.Exited())
}

// runConcurrently sends loadConcurrency QueryData calls at once, each with one of queries in turn, and returns
// what went wrong.
func runConcurrently(t *testing.T, s *stack.Stack, ds pluginhost.DataSource, cfg map[string]string, queries []stack.Query) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var errs []string
	var wg sync.WaitGroup
	for i := range loadConcurrency {
		q := queries[i%len(queries)]
		wg.Go(func() {
			resp, err := s.QueryData(ctx, ds, cfg, nil, q)
			problem := ""
			switch {
			case err != nil:
				problem = err.Error()
			case q.RefID == "C" && resp["C"].Error == "":
				problem = "the invalid query succeeded"
			case q.RefID != "C" && (resp[q.RefID].Error != "" || len(resp[q.RefID].Frames) == 0):
				problem = fmt.Sprintf("%s: %q", q.RefID, resp[q.RefID].Error)
			}
			if problem != "" {
				mu.Lock()
				errs = append(errs, problem)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}
