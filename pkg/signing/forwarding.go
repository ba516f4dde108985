package signing

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

const forwardCookiesName = "amp-forward-cookies"

type cookiesKey struct{}

// WithForwardedCookies records the Cookie header Grafana forwarded with a request. Grafana forwards only the
// cookies the data source's keepCookies names; the middleware filters again, so a host that forwards more (or a
// Grafana session cookie) never leaks to the endpoint.
func WithForwardedCookies(ctx context.Context, cookieHeader string) context.Context {
	if cookieHeader == "" {
		return ctx
	}
	return context.WithValue(ctx, cookiesKey{}, cookieHeader)
}

// forwardCookies adds the kept cookies after signing. They are not signed: AWS ignores unsigned headers, and a
// cookie that changes per user must not be part of a cached signature's inputs either.
func forwardCookies(keep []string) httpclient.Middleware {
	return httpclient.NamedMiddlewareFunc(forwardCookiesName, func(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
		return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			header, _ := req.Context().Value(cookiesKey{}).(string)
			if kept := keptCookies(header, keep); kept != "" {
				req = req.Clone(req.Context())
				req.Header.Set("Cookie", kept)
			}
			return next.RoundTrip(req)
		})
	})
}

// keptCookies returns the pairs of a Cookie header whose names are in keep, in their original order.
func keptCookies(header string, keep []string) string {
	if header == "" || len(keep) == 0 {
		return ""
	}
	var out []string
	for _, pair := range strings.Split(header, ";") {
		pair = strings.TrimSpace(pair)
		name, _, ok := strings.Cut(pair, "=")
		if ok && slices.Contains(keep, name) {
			out = append(out, pair)
		}
	}
	return strings.Join(out, "; ")
}

// tlsOptions turns the TLS settings into the SDK's options, which build the transport's tls.Config.
func tlsOptions(t *models.TLS) *httpclient.TLSOptions {
	if t == nil {
		return nil
	}
	return &httpclient.TLSOptions{
		InsecureSkipVerify: t.SkipVerify,
		ServerName:         t.ServerName,
		CACertificate:      t.CACert,
		ClientCertificate:  t.ClientCert,
		ClientKey:          t.ClientKey,
	}
}
