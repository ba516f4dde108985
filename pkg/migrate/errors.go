package migrate

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// UsageError is a mistake in the command line or environment; the command exits with status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// APIError is a non-2xx answer from Grafana, explained in terms an admin can act on.
type APIError struct {
	Method, Path string
	Status       int
	// Message is Grafana's message, or a description when the body had none.
	Message string
	// Permission is the RBAC action a 403 names as missing, when Grafana says it.
	Permission string
	// Attempts is set when a retried request kept failing.
	Attempts int
}

func (e *APIError) Error() string {
	what := e.Method + " " + e.Path
	switch {
	case e.Status == http.StatusUnauthorized:
		return fmt.Sprintf("%s: 401 Unauthorized (%s): the token is invalid, expired or revoked. Create a service "+
			"account token (Administration > Users and access > Service accounts) and pass it in GRAFANA_TOKEN or "+
			"--token-file", what, e.Message)
	case e.Status == http.StatusForbidden && e.Permission != "":
		return fmt.Sprintf("%s: 403 Forbidden: the service account lacks the permission %s. Give it a role that "+
			"includes %s (for example Admin) and retry", what, e.Permission, e.Permission)
	case e.Status == http.StatusForbidden:
		return fmt.Sprintf("%s: 403 Forbidden: %s", what, e.Message)
	case e.Status == http.StatusNotFound:
		return fmt.Sprintf("%s: 404 Not Found: %s", what, e.Message)
	case e.Status == http.StatusConflict || e.Status == http.StatusPreconditionFailed:
		return fmt.Sprintf("%s: %d %s: %s", what, e.Status, http.StatusText(e.Status), e.Message)
	case e.Status >= 300 && e.Status < 400:
		return fmt.Sprintf("%s: %d redirect: Grafana sent the request elsewhere (often a login page); set GRAFANA_URL "+
			"to Grafana's root URL including any sub-path", what, e.Status)
	case e.Status >= 500 && e.Attempts > 1:
		return fmt.Sprintf("%s: %d %s after %d attempts: %s; Grafana or a proxy in front of it is failing, check "+
			"Grafana's logs and retry later", what, e.Status, http.StatusText(e.Status), e.Attempts, e.Message)
	}
	return fmt.Sprintf("%s: %d %s: %s", what, e.Status, http.StatusText(e.Status), e.Message)
}

// Fatal reports whether the error stops the whole run (authentication), not just one item.
func (e *APIError) Fatal() bool { return e.Status == http.StatusUnauthorized }

func newAPIError(method, path string, status int, body []byte, token string) *APIError {
	var parsed struct {
		Message string `json:"message"`
		Status  string `json:"status"`
	}
	msg := ""
	if json.Unmarshal(body, &parsed) == nil && parsed.Message != "" {
		msg = parsed.Message
		if parsed.Status != "" {
			msg += " (" + parsed.Status + ")"
		}
	} else {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
		if msg == "" {
			msg = "empty answer"
		}
	}
	e := &APIError{Method: method, Path: path, Status: status, Message: redact(msg, token)}
	if status == http.StatusForbidden {
		if _, perm, ok := strings.Cut(msg, "Permissions needed: "); ok {
			e.Permission = strings.TrimSpace(strings.Fields(perm + " ")[0])
		} else if strings.Contains(strings.ToLower(msg), "access denied") || msg == "Permission denied" {
			e.Permission = permissionFor(method, path)
		}
	}
	return e
}

// permissionFor names the RBAC action Grafana's documentation lists for an endpoint, for 403s whose body
// does not say.
func permissionFor(method, path string) string {
	switch {
	case strings.HasPrefix(path, "/api/datasources") && method == http.MethodGet:
		return "datasources:read"
	case strings.HasPrefix(path, "/api/datasources"):
		return "datasources:write"
	case strings.HasPrefix(path, "/api/dashboards/db"):
		return "dashboards:write (dashboards:create for new dashboards)"
	case strings.HasPrefix(path, "/api/dashboards"), strings.HasPrefix(path, "/api/search"):
		return "dashboards:read"
	}
	return ""
}

// Connection failure kinds.
const (
	KindDNS     = "dns"
	KindTLS     = "tls"
	KindRefused = "refused"
	KindTimeout = "timeout"
	KindOther   = "connection"
)

// ConnError is a failure to reach Grafana at all.
type ConnError struct {
	Kind, Host, Detail string
}

func (e *ConnError) Error() string {
	switch e.Kind {
	case KindDNS:
		return fmt.Sprintf("cannot resolve %s (DNS: %s): check the host name in GRAFANA_URL and this machine's DNS", e.Host, e.Detail)
	case KindTLS:
		return fmt.Sprintf("TLS error talking to %s: %s. If Grafana uses a private CA, pass its certificate with "+
			"--ca-file (or SSL_CERT_FILE); if the name does not match, use the host name on the certificate", e.Host, e.Detail)
	case KindRefused:
		return fmt.Sprintf("cannot connect to %s: connection refused; check that Grafana runs and GRAFANA_URL has the right port", e.Host)
	case KindTimeout:
		return fmt.Sprintf("no answer from %s in time (%s); check the network path to Grafana", e.Host, e.Detail)
	}
	return fmt.Sprintf("cannot reach %s: %s", e.Host, e.Detail)
}

func classifyTransport(err error, host, token string) error {
	detail := redact(err.Error(), token)
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		return &ConnError{Kind: KindDNS, Host: host, Detail: dnsErr.Err}
	case errors.As(err, &unknownCA):
		return &ConnError{Kind: KindTLS, Host: host, Detail: "the server's certificate is signed by an unknown authority"}
	case errors.As(err, &hostErr):
		return &ConnError{Kind: KindTLS, Host: host, Detail: "the certificate is not valid for this host name (" + hostErr.Error() + ")"}
	case errors.As(err, &invalid):
		return &ConnError{Kind: KindTLS, Host: host, Detail: "the certificate is invalid (" + invalid.Error() + ")"}
	case errors.As(err, &verify):
		return &ConnError{Kind: KindTLS, Host: host, Detail: verify.Error()}
	// net/http reports a plain-HTTP answer to a TLS handshake as text only.
	case errors.As(err, &recordErr), strings.Contains(detail, "server gave HTTP response to HTTPS client"):
		return &ConnError{Kind: KindTLS, Host: host, Detail: "the server does not speak TLS; use http:// in GRAFANA_URL or the HTTPS port"}
	case strings.Contains(detail, "connection refused"):
		return &ConnError{Kind: KindRefused, Host: host, Detail: detail}
	case errors.As(err, &netErr) && netErr.Timeout():
		return &ConnError{Kind: KindTimeout, Host: host, Detail: "timed out"}
	}
	return &ConnError{Kind: KindOther, Host: host, Detail: detail}
}

// redact removes the token from any text that might be shown.
func redact(text, token string) string {
	if token == "" {
		return text
	}
	return strings.ReplaceAll(text, token, "[REDACTED]")
}
