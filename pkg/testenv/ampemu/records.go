package ampemu

import (
	"net/http"
	"net/url"
	"slices"
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
