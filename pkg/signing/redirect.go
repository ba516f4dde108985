package signing

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// maxRedirects is net/http's own limit, kept for redirects that stay on the data source's host.
const maxRedirects = 10

// RedirectError is a redirect the client refused to follow because it leads to another scheme, host or port than
// the request it answered. Following it would send the SigV4 signature, the session token, basic-auth
// credentials and custom headers (which the middlewares add to every attempt) to a host the admin never
// configured.
type RedirectError struct {
	// Status is the redirect's HTTP status (301, 302, 303, 307, 308).
	Status int
	// From is the origin (scheme://host[:port]) of the refused request's predecessor.
	From string
	// To is where the redirect pointed, without user information or query.
	To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the workspace answered with a redirect (HTTP %d) to %s, another host than the data source URL (%s); "+
		"the plugin does not follow it, so no credentials or headers were sent there: set the data source URL to the "+
		"address that answers directly", e.Status, e.To, e.From)
}

// checkRedirect is the client's CheckRedirect: redirects that keep the scheme, host and port are followed (the
// middlewares re-sign them); any other is refused with a *RedirectError, marked as a downstream error.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	if len(via) >= maxRedirects {
		return backend.DownstreamErrorf("stopped after %d redirects", maxRedirects)
	}
	prev := via[len(via)-1].URL
	if sameOrigin(prev, req.URL) {
		return nil
	}
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return backend.DownstreamError(&RedirectError{Status: status, From: origin(prev), To: shownLocation(req.URL)})
}

// sameOrigin compares scheme, host name (case-insensitively) and port, with default ports made explicit.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + u.Host
}

// shownLocation drops user information and the query, either of which may carry a credential.
func shownLocation(u *url.URL) string {
	return origin(u) + u.EscapedPath()
}
