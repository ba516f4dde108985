package ampemu

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Record is what the emulator observed about one request, whatever its outcome.
type Record struct {
	Method string
	// Workspace is the workspace id from the URL; empty when the path is not under /workspaces/<id>/.
	Workspace string
	// Path is the path after the /workspaces/<id> prefix was stripped (the full path when there was none).
	Path     string
	RawQuery string
	// Form holds the body parameters of a form-encoded POST.
	Form url.Values
	// AccessKeyID and SignedHeaders are set once the signature verified.
	AccessKeyID   string
	SignedHeaders []string
	// Status is the answer's status code; 0 when the client went away before an answer was written.
	Status int
	// ErrorType is the answer's x-amzn-ErrorType, empty on success and for upstream answers.
	ErrorType string
}

// Requests returns a copy of the records, oldest first.
func (e *Emulator) Requests() []Record {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Record, len(e.records))
	for i, r := range e.records {
		out[i] = r
		out[i].SignedHeaders = slices.Clone(r.SignedHeaders)
		if r.Form != nil {
			out[i].Form = cloneValues(r.Form)
		}
	}
	return out
}

// Count returns how many recorded requests (accepted or not) have a Path ending in pathSuffix.
func (e *Emulator) Count(pathSuffix string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.records {
		if strings.HasSuffix(r.Path, pathSuffix) {
			n++
		}
	}
	return n
}

// Reset forgets all records. Keys and faults are kept.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records = nil
}

func (e *Emulator) addRecord(r Record) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records = append(e.records, r)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// statusWriter remembers the status and error type of the answer for the request's Record.
type statusWriter struct {
	http.ResponseWriter
	status    int
	errorType string
}

func (s *statusWriter) WriteHeader(status int) {
	// Informational answers (1xx) precede the real one, which is the one to record.
	if s.status == 0 && status >= http.StatusOK {
		s.status = status
		s.errorType = s.Header().Get(HeaderErrorType)
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController (used by httputil.ReverseProxy to flush) reach the real writer.
func (s *statusWriter) Unwrap() http.ResponseWriter {
	return s.ResponseWriter
}
