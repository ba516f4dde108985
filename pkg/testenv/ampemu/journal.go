package ampemu

import (
	"net/http"
	"slices"
	"strings"
	"sync"
)

// journal is what an emulated endpoint (the workspace data plane or the control plane) observed, and the faults it
// injects. Its methods are safe for concurrent use and are promoted to Emulator and ControlPlane.
type journal struct {
	mu      sync.Mutex
	faults  []*activeFault
	records []Record
}

// Inject adds a fault. When several match a request, the earliest injected one applies.
func (j *journal) Inject(f Fault) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.faults = append(j.faults, &activeFault{Fault: f, remaining: f.Times})
}

// ClearFaults removes every fault.
func (j *journal) ClearFaults() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.faults = nil
}

func (j *journal) takeFault(path string) (Fault, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i, f := range j.faults {
		if !strings.HasSuffix(path, f.PathSuffix) {
			continue
		}
		if f.remaining > 0 {
			f.remaining--
			if f.remaining == 0 {
				j.faults = slices.Delete(j.faults, i, i+1)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// Requests returns a copy of the records, oldest first.
func (j *journal) Requests() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Record, len(j.records))
	for i, r := range j.records {
		out[i] = r
		out[i].SignedHeaders = slices.Clone(r.SignedHeaders)
		if r.Form != nil {
			out[i].Form = cloneValues(r.Form)
		}
	}
	return out
}

// Count returns how many recorded requests (accepted or not) have a Path ending in pathSuffix.
func (j *journal) Count(pathSuffix string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, r := range j.records {
		if strings.HasSuffix(r.Path, pathSuffix) {
			n++
		}
	}
	return n
}

// Reset forgets all records. Keys, workspaces and faults are kept.
func (j *journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.records = nil
}

// record starts the Record of a request and wraps w to note the answer's status and error type. The handler fills
// in what it learns and calls done, deferred, which adds the Record to the journal. Every answer carries a request id.
func (j *journal) record(w http.ResponseWriter, r *http.Request) (sw *statusWriter, rec *Record, done func()) {
	sw = &statusWriter{ResponseWriter: w}
	sw.Header().Set(HeaderRequestID, newRequestID())
	rec = &Record{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	return sw, rec, func() {
		rec.Status, rec.ErrorType = sw.status, sw.errorType
		j.mu.Lock()
		defer j.mu.Unlock()
		j.records = append(j.records, *rec)
	}
}
