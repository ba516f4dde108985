package querycache

import "context"

// flight is one upstream update of an entry that concurrent requests for the same key wait for. Its fetch runs on
// a context of its own, so that a waiter going away (the leader included) cancels only its own wait; the fetch is
// cancelled when no waiter is left.
type flight struct {
	done    chan struct{}
	waiters int
	cancel  context.CancelFunc

	// Set before done is closed.
	result  *entry // the merged entry
	store   bool   // false for partial answers, which are served but never cached
	fetched []span
	stats   map[string]any
	err     error
}

// joinLocked adds a waiter to k's flight, starting one with start when there is none (then started is true).
// c.mu must be held.
func (c *Cache) joinLocked(ctx context.Context, k Key, start func(ctx context.Context, fl *flight)) (fl *flight, started bool) {
	fl = c.flights[k]
	if fl == nil {
		started = true
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		fl = &flight{done: make(chan struct{}), cancel: cancel}
		c.flights[k] = fl
		go start(fctx, fl)
	}
	fl.waiters++
	return fl, started
}

// wait returns when the flight is done or ctx ends; in the latter case the waiter leaves it.
func (c *Cache) wait(ctx context.Context, k Key, fl *flight) error {
	select {
	case <-fl.done:
		return nil
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fl.waiters--
	if fl.waiters == 0 {
		select {
		case <-fl.done:
		default:
			// Nobody wants the answer any more: stop the fetch and let the next request start afresh.
			fl.cancel()
			if c.flights[k] == fl {
				delete(c.flights, k)
			}
		}
	}
	return ctx.Err()
}

// finish publishes the flight's outcome.
func (c *Cache) finish(k Key, fl *flight) {
	c.mu.Lock()
	if fl.err == nil && fl.store {
		c.storeLocked(fl.result)
	}
	if c.flights[k] == fl {
		delete(c.flights, k)
	}
	c.mu.Unlock()
	fl.cancel()
	close(fl.done)
}
