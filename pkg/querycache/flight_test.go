package querycache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gate is a fetcher that blocks until released, so that requests pile up behind one fetch.
type gate struct {
	up      *upstream
	started chan struct{}
	release chan struct{}
	once    sync.Once
	ctxErr  chan error
}

func newGate(step time.Duration) *gate {
	return &gate{up: &upstream{step: step}, started: make(chan struct{}), release: make(chan struct{}), ctxErr: make(chan error, 1)}
}

func (g *gate) fetch(ctx context.Context, from, to time.Time) (*Part, error) {
	g.once.Do(func() { close(g.started) })
	select {
	case <-g.release:
		return g.up.fetch(ctx, from, to)
	case <-ctx.Done():
		g.ctxErr <- ctx.Err()
		return nil, ctx.Err()
	}
}

func TestConcurrentRequestsShareOneFetch(t *testing.T) {
	clk := &clock{t: epoch.Add(6 * time.Hour)}
	c := newTestCache(clk)
	g := newGate(15 * time.Second)
	req := request(testKey(15*time.Second), clk.now(), 6*time.Hour, 10*time.Minute)

	const viewers = 10
	answers := make([]*Answer, viewers)
	errs := make([]error, viewers)
	var wg sync.WaitGroup
	// Viewer 0 leads; viewers 1 and 2 give up while waiting; the rest get the shared answer.
	ctxs := make([]context.Context, viewers)
	cancels := make([]context.CancelFunc, viewers)
	for i := range viewers {
		ctxs[i], cancels[i] = context.WithCancel(context.Background())
		defer cancels[i]()
	}
	for i := range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i], errs[i] = c.Query(ctxs[i], req, g.fetch)
		}()
		if i == 0 {
			<-g.started
		}
	}
	waiters := func(n int) func() bool {
		return func() bool {
			c.mu.Lock()
			defer c.mu.Unlock()
			for _, fl := range c.flights {
				return fl.waiters == n
			}
			return false
		}
	}
	require.Eventually(t, waiters(viewers), 5*time.Second, time.Millisecond)
	cancels[0]()
	cancels[1]()
	cancels[2]()
	// Release the fetch only once the three have left, so that they cannot see it finish.
	require.Eventually(t, waiters(viewers-3), 5*time.Second, time.Millisecond)
	close(g.release)
	wg.Wait()

	assert.Equal(t, int64(1), g.up.calls.Load(), "one upstream request for all viewers")
	want := g.up.answer(req.From, req.To).Frames
	for i := range viewers {
		if i < 3 {
			require.ErrorIs(t, errs[i], context.Canceled, "viewer %d", i)
			continue
		}
		require.NoError(t, errs[i], "viewer %d", i)
		requireSameFrames(t, want, answers[i].Frames)
		assert.True(t, answers[i].Shared)
	}
	select {
	case err := <-g.ctxErr:
		t.Fatalf("the shared fetch was cancelled although viewers still waited: %v", err)
	default:
	}
}

func TestFetchIsCancelledWhenEveryWaiterLeaves(t *testing.T) {
	clk := &clock{t: epoch.Add(6 * time.Hour)}
	c := newTestCache(clk)
	g := newGate(time.Minute)
	req := request(testKey(time.Minute), clk.now(), time.Hour, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Query(ctx, req, g.fetch)
		done <- err
	}()
	<-g.started
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	select {
	case err := <-g.ctxErr:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("the fetch kept running after its only waiter left")
	}
	// The next request starts a fresh fetch.
	up := &upstream{step: time.Minute}
	got, err := c.Query(context.Background(), req, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, StatusMiss, got.Status)
}

func TestWaitersShareAFailure(t *testing.T) {
	clk := &clock{t: epoch.Add(6 * time.Hour)}
	c := newTestCache(clk)
	req := request(testKey(time.Minute), clk.now(), time.Hour, 0)
	started, release := make(chan struct{}), make(chan struct{})
	var calls sync.WaitGroup
	n := 0
	var mu sync.Mutex
	boom := errors.New("throttled")
	fetch := func(context.Context, time.Time, time.Time) (*Part, error) {
		mu.Lock()
		n++
		mu.Unlock()
		close(started)
		<-release
		return nil, boom
	}
	errs := make(chan error, 5)
	for i := range 5 {
		calls.Add(1)
		go func() {
			defer calls.Done()
			_, err := c.Query(context.Background(), req, fetch)
			errs <- err
		}()
		if i == 0 {
			<-started
		}
	}
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, fl := range c.flights {
			return fl.waiters == 5
		}
		return false
	}, 5*time.Second, time.Millisecond)
	close(release)
	calls.Wait()
	close(errs)
	for err := range errs {
		require.ErrorIs(t, err, boom)
	}
	assert.Equal(t, 1, n, "a failure is not retried by every waiter")
}
