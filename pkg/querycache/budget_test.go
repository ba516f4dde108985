package querycache

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{
		"268435456": 256 << 20, "256MiB": 256 << 20, "256 mib": 256 << 20, "1GiB": 1 << 30, "500MB": 500e6,
		"64k": 64 << 10, "0": 0, " 42 ": 42,
	} {
		got, err := ParseBytes(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "-1", "lots", "1.5GiB", "99999999999GiB"} {
		_, err := ParseBytes(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), EnvMaxBytes)
	}
}

// fill caches one hour of one-minute samples for the expressions m<from> to m<to-1> and returns the mean size of
// an entry.
func fill(t *testing.T, c *Cache, ds DataSource, from, to int) int64 {
	t.Helper()
	up := &upstream{step: time.Minute}
	for i := from; i < to; i++ {
		k := Key{DataSource: ds, Expr: fmt.Sprintf("m%d", i), Step: time.Minute}
		_, err := c.Query(context.Background(), Request{Key: k, From: epoch, To: epoch.Add(time.Hour)}, up.fetch)
		require.NoError(t, err)
	}
	used, entries := c.Usage()
	require.Positive(t, entries)
	return used / int64(entries)
}

func TestMemoryBudgetEvictsLeastRecentlyUsed(t *testing.T) {
	probe := NewWithClock(1<<30, func() time.Time { return epoch.Add(48 * time.Hour) })
	ds := DataSource{ID: 7, UID: "x", Version: 1}
	size := fill(t, probe, ds, 0, 1)

	c := NewWithClock(10*size+size/2, probe.now)
	fill(t, c, ds, 0, 10)
	// Touch m0 so that m1 is the least recently used.
	up := &upstream{step: time.Minute}
	got, err := c.Query(context.Background(), Request{Key: Key{DataSource: ds, Expr: "m0", Step: time.Minute}, From: epoch, To: epoch.Add(time.Hour)}, up.fetch)
	require.NoError(t, err)
	require.Equal(t, StatusHit, got.Status)
	fill(t, c, ds, 10, 12)
	used, entries := c.Usage()
	assert.LessOrEqual(t, used, c.MaxBytes())
	assert.Equal(t, 10, entries)
	c.mu.Lock()
	_, hasM0 := c.items[Key{DataSource: ds, Expr: "m0", Step: time.Minute}]
	_, hasM1 := c.items[Key{DataSource: ds, Expr: "m1", Step: time.Minute}]
	_, hasM2 := c.items[Key{DataSource: ds, Expr: "m2", Step: time.Minute}]
	c.mu.Unlock()
	assert.True(t, hasM0, "recently used entry kept")
	assert.False(t, hasM1, "least recently used entry evicted")
	assert.False(t, hasM2)

	tiny := NewWithClock(size/2, probe.now)
	_, err = tiny.Query(context.Background(), Request{Key: Key{DataSource: ds, Expr: "big", Step: time.Minute}, From: epoch, To: epoch.Add(time.Hour)}, up.fetch)
	require.NoError(t, err, "an entry larger than the budget is served")
	used, entries = tiny.Usage()
	assert.Zero(t, entries, "but not stored")
	assert.Zero(t, used)
}

func TestSettingsChangeDropsEntries(t *testing.T) {
	c := NewWithClock(1<<30, func() time.Time { return epoch.Add(48 * time.Hour) })
	v1 := DataSource{ID: 1, UID: "a", Version: 100}
	other := DataSource{ID: 2, UID: "b", Version: 100}
	c.Register(v1)
	c.Register(other)
	fill(t, c, v1, 0, 3)
	fill(t, c, other, 0, 2)
	_, entries := c.Usage()
	require.Equal(t, 5, entries)

	v2 := v1
	v2.Version = 200
	c.Register(v2)
	c.mu.Lock()
	for k := range c.items {
		assert.NotEqual(t, v1, k.DataSource, "entries of the old settings are gone")
	}
	c.mu.Unlock()
	_, entries = c.Usage()
	assert.Equal(t, 2, entries, "other data sources keep theirs")

	// An answer fetched with the old settings, finishing after the change, is not stored.
	fill(t, c, v1, 5, 6)
	_, entries = c.Usage()
	assert.Equal(t, 2, entries)
}
