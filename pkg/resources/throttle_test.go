package resources

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testClock is the real clock plus an offset that tests advance, so timers still fire in real time.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func TestLimiter(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := base
	l := newLimiter(5, 5, func() time.Time { return now })
	for i := range 5 {
		assert.Zero(t, l.reserve(), "call %d is within the burst", i+1)
	}
	assert.Equal(t, 200*time.Millisecond, l.reserve(), "the sixth call waits for one token at 5 per second")
	assert.Equal(t, 400*time.Millisecond, l.reserve(), "the seventh queues behind it")
	now = base.Add(10 * time.Second)
	for i := range 5 {
		assert.Zero(t, l.reserve(), "after a pause the burst is available again (call %d)", i+1)
	}
	assert.Positive(t, l.reserve(), "but never more than the burst")
}

func TestLimiterWaitStopsWithTheContext(t *testing.T) {
	now := time.Now()
	l := newLimiter(1, 1, func() time.Time { return now })
	require.NoError(t, l.wait(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.wait(ctx), context.Canceled)
}

func TestTTLCache(t *testing.T) {
	clock := &testClock{}
	c := newTTLCache(time.Minute, clock.now)
	var fetches atomic.Int32
	fetch := func() (string, error) {
		fetches.Add(1)
		return "value", nil
	}
	v, err := cached(c, "k", fetch)
	require.NoError(t, err)
	assert.Equal(t, "value", v)
	_, _ = cached(c, "k", fetch)
	assert.Equal(t, int32(1), fetches.Load(), "a hit does not fetch")
	_, _ = cached(c, "other", fetch)
	assert.Equal(t, int32(2), fetches.Load(), "keys are independent")
	clock.advance(time.Minute)
	_, _ = cached(c, "k", fetch)
	assert.Equal(t, int32(3), fetches.Load(), "an expired entry is fetched again")

	_, err = cached(c, "failing", func() (string, error) { return "", errors.New("boom") })
	require.Error(t, err)
	_, _ = cached(c, "failing", fetch)
	assert.Equal(t, int32(4), fetches.Load(), "failures are not cached")
}

func TestTTLCacheCollapsesConcurrentMisses(t *testing.T) {
	c := newTTLCache(time.Minute, time.Now)
	var fetches atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = cached(c, "k", func() (int, error) {
				fetches.Add(1)
				time.Sleep(20 * time.Millisecond)
				return 1, nil
			})
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), fetches.Load())
}
