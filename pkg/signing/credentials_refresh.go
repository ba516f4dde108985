package signing

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// maxRefreshWindow is how long before expiry temporary credentials are replaced. grafana-aws-sdk caches assumed
// roles without an expiry window, so without this a request signed just before expiry could reach AWS after it.
// Short-lived credentials get a quarter of their lifetime instead, so they are not refreshed on every request.
const maxRefreshWindow = 5 * time.Minute

// retryAfterFailure spaces out refresh attempts while the old credentials are still valid.
const retryAfterFailure = 10 * time.Second

// earlyRefresh replaces a cache's temporary credentials shortly before they expire. Concurrent callers share one
// refresh: the lock serialises the decision, and the cache single-flights the provider call.
type earlyRefresh struct {
	cache *aws.CredentialsCache
	// onRetrieve is told about every credential set handed out, so that text quoting it can be redacted; may be nil.
	onRetrieve func(aws.Credentials)

	refreshMu sync.Mutex

	stateMu sync.Mutex
	expires time.Time // expiry of the credentials last seen
	seen    time.Time // when credentials with that expiry were first seen
	tried   time.Time // expiry a refresh was already attempted for
	// fallback holds still-valid credentials after a failed early refresh, served until retryAt.
	fallback *aws.Credentials
	retryAt  time.Time
}

// Retrieve returns the cached credentials, refreshing them first when they are close to expiry.
func (r *earlyRefresh) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, err := r.retrieve(ctx)
	if err == nil && r.onRetrieve != nil {
		r.onRetrieve(creds)
	}
	return creds, err
}

func (r *earlyRefresh) retrieve(ctx context.Context) (aws.Credentials, error) {
	if fb, ok := r.fallbackFor(time.Now(), false); ok {
		return fb, nil
	}
	creds, err := r.cache.Retrieve(ctx)
	if err != nil {
		if fb, ok := r.fallbackFor(time.Now(), true); ok {
			return fb, nil
		}
		return creds, err
	}
	if !r.due(creds) {
		r.clearFallback()
		return creds, nil
	}
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	if creds, err = r.cache.Retrieve(ctx); err != nil || !r.due(creds) {
		return creds, err
	}
	r.stateMu.Lock()
	r.tried = creds.Expires
	r.stateMu.Unlock()
	r.cache.Invalidate()
	fresh, err := r.cache.Retrieve(ctx)
	if err != nil {
		// The old credentials are still valid; keep serving them and retry a little later.
		log.DefaultLogger.Warn("Refreshing AWS credentials before expiry failed; using the current ones meanwhile",
			"source", creds.Source, "expires", creds.Expires, "error", err)
		r.stateMu.Lock()
		r.fallback, r.retryAt = &creds, time.Now().Add(retryAfterFailure)
		r.stateMu.Unlock()
		return creds, nil
	}
	return fresh, nil
}

// fallbackFor returns the fallback credentials while they are valid: before retryAt, or at any time when retrying
// failed (in which case the next retry is scheduled).
func (r *earlyRefresh) fallbackFor(now time.Time, afterFailure bool) (aws.Credentials, bool) {
	r.stateMu.Lock()
	defer r.stateMu.Unlock()
	if r.fallback == nil || r.fallback.Expired() {
		r.fallback = nil
		return aws.Credentials{}, false
	}
	if afterFailure {
		r.retryAt = now.Add(retryAfterFailure)
		return *r.fallback, true
	}
	return *r.fallback, now.Before(r.retryAt)
}

func (r *earlyRefresh) clearFallback() {
	r.stateMu.Lock()
	r.fallback = nil
	r.stateMu.Unlock()
}

// due reports whether credentials should be replaced now.
func (r *earlyRefresh) due(creds aws.Credentials) bool {
	if !creds.CanExpire {
		return false
	}
	now := time.Now()
	r.stateMu.Lock()
	defer r.stateMu.Unlock()
	if !creds.Expires.Equal(r.expires) {
		r.expires, r.seen = creds.Expires, now
	}
	// A provider that hands back the same credentials after a refresh must not be asked again on every request.
	if creds.Expires.Equal(r.tried) {
		return false
	}
	window := min(maxRefreshWindow, r.expires.Sub(r.seen)/4)
	return creds.Expires.Sub(now) < window
}

// ProviderSources reports where the wrapped provider gets credentials, for the SDK's user agent.
func (r *earlyRefresh) ProviderSources() []aws.CredentialSource {
	return r.cache.ProviderSources()
}
