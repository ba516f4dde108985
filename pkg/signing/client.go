// Package signing builds the data source's HTTP client: the SDK's default middlewares plus AWS SigV4 signing,
// constructed once per data source instance so that credentials are resolved and cached once.
package signing

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// Middleware names, so tests and the chain builder can find them.
const (
	dropCredentialsName = "amp-drop-conflicting-credentials"
	grafanaUserName     = "amp-forward-grafana-user"
)

// NewClient returns the HTTP client for one data source instance. It signs with configs' credentials, so configs
// must have been built from the same settings.
func NewClient(s *models.Settings, configs *AWSConfigs) (*http.Client, error) {
	opts := httpclient.Options{
		Timeouts: &httpclient.TimeoutOptions{
			Timeout:               s.Timeout,
			DialTimeout:           10 * time.Second,
			KeepAlive:             30 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   100,
			IdleConnTimeout:       90 * time.Second,
		},
		Header:       s.Headers.Clone(),
		ProxyOptions: configs.proxy,
		TLS:          tlsOptions(s.TLS),
	}
	if s.BasicAuth != nil {
		opts.BasicAuth = &httpclient.BasicAuthOptions{User: s.BasicAuth.User, Password: s.BasicAuth.Password}
	}
	if s.SigV4 != nil {
		opts.SigV4 = &httpclient.SigV4Config{
			AuthType:      s.SigV4.AuthType,
			Profile:       s.SigV4.Profile,
			Service:       s.SigV4.Service,
			AccessKey:     s.SigV4.AccessKey,
			SecretKey:     s.SigV4.SecretKey,
			SessionToken:  s.SigV4.SessionToken,
			AssumeRoleARN: s.SigV4.AssumeRoleARN,
			ExternalID:    s.SigV4.ExternalID,
			Region:        s.SigV4.Region,
		}
	}
	forwardUser, keepCookies := s.ForwardGrafanaUserHeader, s.KeepCookies
	opts.ConfigureMiddleware = func(o httpclient.Options, existing []httpclient.Middleware) []httpclient.Middleware {
		return insertAfterContextual(existing, pluginChain(o, configs, forwardUser, keepCookies))
	}
	// Redirects to another host are refused: the middlewares would sign and send credentials to it.
	opts.ConfigureClient = func(_ httpclient.Options, c *http.Client) { c.CheckRedirect = checkRedirect }
	client, err := httpclient.New(opts)
	if err != nil {
		return nil, fmt.Errorf("creating the HTTP client: %w", err)
	}
	return client, nil
}

// pluginChain is everything the plugin adds to the SDK's middlewares: retries outermost, so that every attempt is
// signed afresh; then signing; then the kept cookies, unsigned; then redaction of what the answer echoes, closest
// to the transport.
func pluginChain(o httpclient.Options, configs *AWSConfigs, forwardUser bool, keepCookies []string) []httpclient.Middleware {
	chain := []httpclient.Middleware{retrying(defaultRetryPolicy)}
	chain = append(chain, signingChain(o, configs, forwardUser)...)
	if len(keepCookies) > 0 {
		chain = append(chain, forwardCookies(keepCookies))
	}
	return append(chain, redactEchoedSecrets(configs.Redactor()))
}

// signingChain is what runs between the SDK's contextual middlewares and its error-source middleware. The
// signer sits in the static chain (not a contextual middleware) so its credential cache lives as long as the
// instance; everything that may change the request runs before it, and nothing after it touches Authorization.
func signingChain(o httpclient.Options, configs *AWSConfigs, forwardUser bool) []httpclient.Middleware {
	var chain []httpclient.Middleware
	if o.SigV4 != nil {
		chain = append(chain, httpclient.NamedMiddlewareFunc(dropCredentialsName, dropConflictingCredentials),
			configs.signingMiddleware())
	}
	if forwardUser {
		chain = append(chain, httpclient.NamedMiddlewareFunc(grafanaUserName, forwardGrafanaUser))
	}
	return chain
}

func insertAfterContextual(existing, extra []httpclient.Middleware) []httpclient.Middleware {
	idx := slices.IndexFunc(existing, func(m httpclient.Middleware) bool {
		n, ok := m.(httpclient.MiddlewareName)
		return ok && n.MiddlewareName() == httpclient.ContextualMiddlewareName
	})
	if idx < 0 {
		return append(slices.Clone(existing), extra...)
	}
	return slices.Concat(existing[:idx+1], extra, existing[idx+1:])
}

// dropConflictingCredentials removes headers that would replace or contradict the SigV4 signature: the signer
// restores pre-existing headers after signing, so a forwarded Authorization would win over the signature.
func dropConflictingCredentials(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
	return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if req.Header.Get("Authorization") != "" || req.Header.Get("Cookie") != "" {
			req = req.Clone(req.Context())
			req.Header.Del("Authorization")
			req.Header.Del("Cookie")
		}
		return next.RoundTrip(req)
	})
}

type grafanaUserKey struct{}

// WithGrafanaUser records the requesting Grafana user's login for the X-Grafana-User forwarder.
func WithGrafanaUser(ctx context.Context, login string) context.Context {
	if login == "" {
		return ctx
	}
	return context.WithValue(ctx, grafanaUserKey{}, login)
}

// forwardGrafanaUser adds X-Grafana-User after signing, so it is not part of the signature.
func forwardGrafanaUser(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
	return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if login, ok := req.Context().Value(grafanaUserKey{}).(string); ok && req.Header.Get("X-Grafana-User") == "" {
			req = req.Clone(req.Context())
			req.Header.Set("X-Grafana-User", login)
		}
		return next.RoundTrip(req)
	})
}
