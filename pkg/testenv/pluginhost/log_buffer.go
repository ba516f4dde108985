package pluginhost

import (
	"bytes"
	"sync"
)

// LogBuffer collects a plugin's stderr (LaunchOptions.Stderr), which go-plugin writes from its own goroutines,
// so that tests can search the plugin's log.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
