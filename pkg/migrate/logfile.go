package migrate

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// LogFile appends timestamped lines to a file, one per data source or dashboard handled, so a run leaves an
// audit trail like the published rollback script's.
type LogFile struct {
	mu  sync.Mutex
	f   *os.File
	err error
}

// OpenLog opens (or creates, mode 0600) a log file for appending.
func OpenLog(path string) (*LogFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("--log: %v", err)}
	}
	return &LogFile{f: f}, nil
}

// Line appends one line prefixed with an RFC 3339 UTC timestamp. The first write error is kept for Close.
func (l *LogFile) Line(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return
	}
	_, l.err = fmt.Fprintf(l.f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), text)
}

// Close closes the file and reports any write error.
func (l *LogFile) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.f.Close(); l.err == nil {
		l.err = err
	}
	return l.err
}
