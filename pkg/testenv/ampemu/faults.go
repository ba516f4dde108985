package ampemu

import (
	"net/http"
	"time"
)

// Fault replaces or delays the answer to matching requests. It applies only to requests that passed every
// check (signature, workspace, IAM, request shape), i.e. requests that would otherwise reach Prometheus.
type Fault struct {
	// PathSuffix selects requests whose stripped path (Record.Path) ends with it; empty matches every request.
	PathSuffix string
	// Status is the status code to answer with; zero forwards the request upstream after Delay.
	Status int
	// ErrorType is sent as x-amzn-ErrorType; empty sends none, as for Prometheus-style query errors.
	ErrorType string
	// Body is sent verbatim as application/json.
	Body string
	// Delay is waited before answering or forwarding; the wait ends early when the client goes away.
	Delay time.Duration
	// Times is how many requests the fault applies to; zero means every request until ClearFaults.
	Times int
	// Answer, when set, answers the request itself (after Delay) instead of Status, ErrorType and Body; the
	// transport faults (redirects, resets, echoes, invalid UTF-8) use it.
	Answer http.HandlerFunc
}

type activeFault struct {
	Fault
	remaining int
}

// Throttling is AMP's answer when a workspace's query rate quota is exceeded.
func Throttling() Fault {
	return Fault{Status: http.StatusTooManyRequests, ErrorType: TypeThrottling, Body: `{"message":"Rate exceeded"}`}
}

// ServiceUnavailable is a transient 503 from the AWS front end.
func ServiceUnavailable() Fault {
	return Fault{Status: http.StatusServiceUnavailable, ErrorType: TypeServiceUnavailable,
		Body: `{"message":"Service Unavailable"}`}
}

// QueryTimeout is the 422 AMP's query engine answers when a query exceeds its time limit. The body is the
// Prometheus error envelope, not an AWS one.
func QueryTimeout() Fault {
	return Fault{Status: http.StatusUnprocessableEntity,
		Body: `{"status":"error","errorType":"execution","error":"query timed out - consider simplifying your query"}`}
}

// LongRangeInstantQuery is the 422 AMP answers to an instant query whose lookback spans 32 to 95 days.
func LongRangeInstantQuery() Fault {
	return Fault{Status: http.StatusUnprocessableEntity,
		Body: `{"status":"error","errorType":"execution","error":"queries with long day range (32d to 95d) are currently only supported for range type queries"}`}
}

// Slow delays matching requests by d before forwarding them upstream.
func Slow(d time.Duration) Fault {
	return Fault{Delay: d}
}

// applyFault waits and answers as the fault says. It returns false when the request should still be forwarded.
func applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Delay > 0 {
		timer := time.NewTimer(f.Delay)
		defer timer.Stop()
		select {
		case <-r.Context().Done():
			return true
		case <-timer.C:
		}
	}
	if f.Answer != nil {
		f.Answer(w, r)
		return true
	}
	if f.Status == 0 {
		return false
	}
	if f.ErrorType != "" {
		w.Header().Set(HeaderErrorType, f.ErrorType)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}
