package signing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/internal/ctxsleep"
)

// retryName is the retry middleware's name.
const retryName = "amp-retry"

// retryPolicy bounds the retries of one request. Every request this client sends is an idempotent read (queries,
// labels, series, metadata, rules), so any of them may be sent again.
type retryPolicy struct {
	// attempts is the most requests sent for one call, the first included.
	attempts int
	// base is the backoff before the first retry; it doubles per retry up to maxBackoff, with full jitter.
	base, maxBackoff time.Duration
	// maxRetryAfter is the longest Retry-After honoured; a longer one is answered with the throttling error at once.
	maxRetryAfter time.Duration
	// sleep waits d or until ctx ends; jitter picks the wait in [d/2, d]. Both are replaced in tests.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(d time.Duration) time.Duration
}

var defaultRetryPolicy = retryPolicy{
	attempts:      3,
	base:          250 * time.Millisecond,
	maxBackoff:    4 * time.Second,
	maxRetryAfter: 20 * time.Second,
	sleep:         ctxsleep.Sleep,
	jitter:        func(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) },
}

// Retry is one retried attempt.
type Retry struct {
	// Reason is what went wrong: "HTTP 429" or "connection reset".
	Reason string
	// Wait is how long the client waited before the next attempt.
	Wait time.Duration
}

// Retries collects the retries of the requests made with a context from WithRetries. It is safe for concurrent use.
type Retries struct {
	mu   sync.Mutex
	list []Retry
}

type retriesKey struct{}

// WithRetries returns a context whose requests report their retries to the returned Retries.
func WithRetries(ctx context.Context) (context.Context, *Retries) {
	r := &Retries{}
	return context.WithValue(ctx, retriesKey{}, r), r
}

func (r *Retries) add(x Retry) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.list = append(r.list, x)
	r.mu.Unlock()
}

// List returns the retries so far.
func (r *Retries) List() []Retry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Retry(nil), r.list...)
}

// Summary describes the retries in one sentence, or "" when there were none.
func (r *Retries) Summary() string {
	list := r.List()
	if len(list) == 0 {
		return ""
	}
	reasons := make([]string, len(list))
	var waited time.Duration
	for i, x := range list {
		reasons[i] = x.Reason
		waited += x.Wait
	}
	times := "once"
	if len(list) > 1 {
		times = strconv.Itoa(len(list)) + " times"
	}
	return fmt.Sprintf("The request was retried %s after %s (waited %s in total)", times, strings.Join(reasons, ", "),
		waited.Round(time.Millisecond))
}

// retrying sends a request again after throttling (429), a gateway failure (502, 503, 504) or a connection
// reset, with jittered exponential backoff or the server's Retry-After, while attempts and the request's
// deadline allow. It sits before the signer, so every attempt is signed afresh (a new date and signature).
func retrying(p retryPolicy) httpclient.Middleware {
	return httpclient.NamedMiddlewareFunc(retryName, func(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
		return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			ctx := req.Context()
			attempt := req
			for n := 1; ; n++ {
				resp, err := next.RoundTrip(attempt)
				reason := retryReason(ctx, resp, err)
				if reason == "" || n >= p.attempts {
					return resp, err
				}
				wait, ok := p.wait(n, resp)
				if !ok || !fitsDeadline(ctx, wait) {
					return resp, err
				}
				again, rerr := rewind(req)
				if rerr != nil {
					return resp, err
				}
				if resp != nil {
					// Drain a little so the connection can be reused; error answers are small.
					_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
					resp.Body.Close()
				}
				log.DefaultLogger.FromContext(ctx).Debug("Retrying an upstream request", "path", req.URL.Path,
					"attempt", n+1, "reason", reason, "wait", wait)
				if r, ok := ctx.Value(retriesKey{}).(*Retries); ok {
					r.add(Retry{Reason: reason, Wait: wait})
				}
				if err := p.sleep(ctx, wait); err != nil {
					return nil, err
				}
				attempt = again
			}
		})
	})
}

// retryReason says why an answer is worth another attempt, or "" when it is not: success, a final error (every
// 4xx but 429), or the caller's cancellation or deadline.
func retryReason(ctx context.Context, resp *http.Response, err error) string {
	if ctx.Err() != nil {
		return ""
	}
	if err != nil {
		if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return "connection reset"
		}
		return ""
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "HTTP " + strconv.Itoa(resp.StatusCode)
	}
	return ""
}

// wait is the pause before attempt n+1: the server's Retry-After when it sent one (false when it asks for longer
// than the policy allows), else jittered exponential backoff.
func (p retryPolicy) wait(n int, resp *http.Response) (time.Duration, bool) {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d, d <= p.maxRetryAfter
		}
	}
	d := p.base << (n - 1)
	if d > p.maxBackoff || d <= 0 {
		d = p.maxBackoff
	}
	return p.jitter(d), true
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(time.Hour/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// fitsDeadline reports whether waiting d still leaves the next attempt time before the request's deadline.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d+minAttemptTime
}

// minAttemptTime is the least time worth leaving for an attempt after a wait.
const minAttemptTime = 100 * time.Millisecond

// rewind returns a copy of req with a fresh body, or an error when the body cannot be read again.
func rewind(req *http.Request) (*http.Request, error) {
	again := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return again, nil
	}
	if req.GetBody == nil {
		return nil, errors.New("the request body cannot be sent again")
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	again.Body = body
	return again, nil
}
