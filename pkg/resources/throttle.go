package resources

import (
	"context"
	"sync"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/internal/ctxsleep"
)

// ttlCache keeps successful control-plane answers for a while, so opening the picker repeatedly or from several
// browser tabs does not spend the account's control-plane quota. Failures are not cached.
type ttlCache struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]cacheEntry
	// locks serialise fetches of the same key, so concurrent misses make one call instead of one each.
	locks map[string]*sync.Mutex
}

type cacheEntry struct {
	value   any
	expires time.Time
}

func newTTLCache(ttl time.Duration, now func() time.Time) *ttlCache {
	return &ttlCache{ttl: ttl, now: now, entries: map[string]cacheEntry{}, locks: map[string]*sync.Mutex{}}
}

// cached returns the cached value of key, or fetches and caches it.
func cached[T any](c *ttlCache, key string, fetch func() (T, error)) (T, error) {
	l := c.keyLock(key)
	l.Lock()
	defer l.Unlock()
	if v, ok := c.get(key); ok {
		return v.(T), nil
	}
	v, err := fetch()
	if err == nil {
		c.put(key, v)
	}
	return v, err
}

func (c *ttlCache) keyLock(key string) *sync.Mutex {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.locks[key]
	if !ok {
		l = &sync.Mutex{}
		c.locks[key] = l
	}
	return l
}

func (c *ttlCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !c.now().Before(e.expires) {
		return nil, false
	}
	return e.value, true
}

func (c *ttlCache) put(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	c.entries[key] = cacheEntry{value: v, expires: now.Add(c.ttl)}
}

// limiter is a token bucket: burst calls at once, then rate calls per second.
type limiter struct {
	rate, burst float64
	now         func() time.Time

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: burst, now: now, tokens: burst}
}

// reserve takes a token and returns how long the caller must wait before using it. A negative balance is the
// queue of callers already waiting.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.last.IsZero() {
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}

// wait blocks until the caller may make a call, or the context ends.
func (l *limiter) wait(ctx context.Context) error {
	return ctxsleep.Sleep(ctx, l.reserve())
}
