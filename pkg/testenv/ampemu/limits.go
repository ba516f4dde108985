package ampemu

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// AMP's quotas the emulator enforces (AMP user guide, "Amazon Managed Service for Prometheus service quotas"):
// "Query time range: 32 days between the start time and the end time of a PromQL query. This quota cannot be
// changed." and "Maximum size of ingestion or query request: 1 MB".
const (
	DefaultQueryRangeLimit = 32 * 24 * time.Hour
	DefaultMaxRequestBytes = 1 << 20
)

// Limits are the workspace quotas the emulator enforces on requests that passed every other check.
type Limits struct {
	// QueryRange bounds end-start of a range query; zero means DefaultQueryRangeLimit, negative turns it off.
	QueryRange time.Duration
	// MaxRequestBytes bounds the query string plus body of a request; zero means DefaultMaxRequestBytes,
	// negative turns it off.
	MaxRequestBytes int
}

// QueryRangeTooLong is AMP's answer to a range query over the workspace's query time range: Cortex's query
// frontend error in the Prometheus envelope, with both durations in Go's format.
func QueryRangeTooLong(length, limit time.Duration) Fault {
	return Fault{Status: http.StatusUnprocessableEntity, Body: fmt.Sprintf(
		`{"status":"error","errorType":"execution","error":"the query time range exceeds the limit (query length: %s, limit: %s)"}`,
		length, limit)}
}

// TooManySamples is the 422 a query that would load more samples than the query engine allows gets, worded as
// Prometheus' engine words it.
func TooManySamples() Fault {
	return Fault{Status: http.StatusUnprocessableEntity,
		Body: `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`}
}

// RequestTooLarge is the answer to a request over the 1 MB quota. Emulation choice: the AWS front end's 413 in
// the emulator's AWS error shape.
func RequestTooLarge() Fault {
	return Fault{Status: http.StatusRequestEntityTooLarge, ErrorType: TypeValidation, Body: `{"message":"Request body is too large."}`}
}

// checkLimits enforces the workspace quotas and answers the request when one is exceeded.
func (e *Emulator) checkLimits(w http.ResponseWriter, r *http.Request, rt route, body []byte) bool {
	maxBytes := e.cfg.Limits.MaxRequestBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxRequestBytes
	}
	if maxBytes > 0 && len(r.URL.RawQuery)+len(body) > maxBytes {
		applyFault(w, r, RequestTooLarge())
		return false
	}
	limit := e.cfg.Limits.QueryRange
	if limit == 0 {
		limit = DefaultQueryRangeLimit
	}
	if limit < 0 || rt.path != apiPrefix+"query_range" {
		return true
	}
	params := r.URL.Query()
	if isFormPost(r) {
		params, _ = url.ParseQuery(string(body))
	}
	start, okStart := parseAPITime(params.Get("start"))
	end, okEnd := parseAPITime(params.Get("end"))
	if okStart && okEnd && end.Sub(start) > limit {
		applyFault(w, r, QueryRangeTooLong(end.Sub(start), limit))
		return false
	}
	return true
}

// parseAPITime reads a Prometheus API time, Unix seconds with a fraction or RFC 3339, to the millisecond as
// Prometheus and Cortex keep it.
func parseAPITime(s string) (time.Time, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return time.UnixMilli(int64(math.Round(f * 1000))).UTC(), true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
