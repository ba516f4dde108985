// Package querycache is the plugin's shared, incremental range-query cache. It keeps the raw samples of every
// series a range query returned, per data source and query, and answers later requests from them: only the
// missing, step-aligned parts of a range and its newest part (the overlap window) are fetched again. Concurrent
// identical requests share one upstream request. One process-wide memory budget bounds it, with least recently
// used entries evicted first.
//
// The cache works on undecorated series frames; legends, tables and heatmaps are shaped by the caller from its
// answers, so the same samples serve every format.
package querycache

import (
	"container/list"
	"sync"
	"time"
)

// DataSource identifies a data source and the version of its settings. Entries of other versions are never used.
type DataSource struct {
	ID  int64
	UID string
	// Version is the settings' last-updated time in Unix milliseconds.
	Version int64
}

// Key is everything that decides a range answer besides its time range.
type Key struct {
	DataSource DataSource
	// Expr is the final expression: macros interpolated, filters and group-by keys applied.
	Expr string
	Step time.Duration
	// Params are the other upstream parameters that change the answer (custom query parameters, stats), encoded;
	// the timeout is not one of them.
	Params string
	// phase is the offset of the step grid, set by the cache from the request's start.
	phase int64
}

// Cache is a byte-bounded LRU of range-query entries with request coalescing. It is safe for concurrent use.
type Cache struct {
	mu       sync.Mutex
	maxBytes int64
	used     int64
	lru      *list.List // of *entry, most recently used first
	items    map[Key]*list.Element
	// versions holds the current settings version of each data source id, so that an answer fetched with old
	// settings is not stored after they changed.
	versions map[int64]int64
	flights  map[Key]*flight
	now      func() time.Time
}

// New returns a cache that holds at most maxBytes of samples.
func New(maxBytes int64) *Cache {
	return &Cache{
		maxBytes: maxBytes,
		lru:      list.New(),
		items:    map[Key]*list.Element{},
		versions: map[int64]int64{},
		flights:  map[Key]*flight{},
		now:      time.Now,
	}
}

// NewWithClock is New with a clock of the caller's, for simulations that replay time faster than it passes.
func NewWithClock(maxBytes int64, now func() time.Time) *Cache {
	c := New(maxBytes)
	c.now = now
	return c
}

// Register records ds's current settings version and drops every entry of an older or newer one. The plugin
// calls it when Grafana builds an instance for new settings.
func (c *Cache) Register(ds DataSource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.versions[ds.ID] = ds.Version
	c.dropLocked(func(k Key) bool { return k.DataSource.ID == ds.ID && k.DataSource != ds })
}

func (c *Cache) dropLocked(match func(Key) bool) {
	for k, el := range c.items {
		if match(k) {
			c.removeLocked(el)
		}
	}
}

// Usage returns the bytes held and the number of entries.
func (c *Cache) Usage() (bytes int64, entries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, len(c.items)
}

// MaxBytes is the budget.
func (c *Cache) MaxBytes() int64 { return c.maxBytes }

func (c *Cache) lookupLocked(k Key) *entry {
	el, ok := c.items[k]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*entry)
}

// storeLocked replaces k's entry and evicts least recently used entries until the budget holds. An entry larger
// than the whole budget is not stored, and one for settings that are no longer current is dropped.
func (c *Cache) storeLocked(e *entry) {
	if el, ok := c.items[e.key]; ok {
		c.removeLocked(el)
	}
	ds := e.key.DataSource
	if v, known := c.versions[ds.ID]; (known && v != ds.Version) || e.size > c.maxBytes {
		return
	}
	c.items[e.key] = c.lru.PushFront(e)
	c.used += e.size
	for c.used > c.maxBytes {
		c.removeLocked(c.lru.Back())
	}
}

func (c *Cache) removeLocked(el *list.Element) {
	e := c.lru.Remove(el).(*entry)
	delete(c.items, e.key)
	c.used -= e.size
}
