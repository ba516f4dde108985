package plugin

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

// explainedError keeps the original error for errors.As while giving the message an admin can act on.
type explainedError struct {
	err  error
	hint string
}

func (e *explainedError) Error() string {
	return strings.TrimSuffix(e.err.Error(), ".") + ". " + e.hint
}
func (e *explainedError) Unwrap() error { return e.err }

// deniedAction reads the action and resource out of AWS's AccessDenied message ("User: X is not authorized to
// perform: aps:GetLabels on resource: arn:aws:aps:...:workspace/ws-...").
var deniedAction = regexp.MustCompile(`perform: (\S+) on resource: (\S+)`)

// explainStatusError adds what to do about an HTTP error answer, from AWS's error type where there is one.
func explainStatusError(err error, s *models.Settings) error {
	se, ok := promclient.AsStatusError(err)
	if !ok {
		return err
	}
	if hint := statusHint(se, s); hint != "" {
		return &explainedError{err: se, hint: hint}
	}
	return se
}

func statusHint(se *promclient.StatusError, s *models.Settings) string {
	if s.SigV4 == nil && se.AWSErrorType == "" {
		return otherAuthHint(se.StatusCode, s)
	}
	region, service, workspace := "", "", s.Endpoint.WorkspaceID
	if s.SigV4 != nil {
		region, service = s.SigV4.Region, s.SigV4.Service
	}
	msg := strings.ToLower(se.Message)
	switch se.AWSErrorType {
	case "MissingAuthenticationTokenException":
		return "The request reached AWS unsigned: turn on SigV4 authentication for this data source"
	case "IncompleteSignatureException":
		return "AWS could not read the request signature; check that no proxy rewrites the Authorization header"
	case "UnrecognizedClientException", "InvalidClientTokenId":
		return "AWS does not recognise the access key ID or session token: check the access key, or refresh expired temporary credentials"
	case "ExpiredTokenException", "ExpiredToken":
		return "The temporary credentials (session token) have expired: provide fresh ones, or use a role that renews itself"
	case "InvalidSignatureException", "SignatureDoesNotMatchException", "SignatureDoesNotMatch":
		switch {
		case strings.Contains(msg, "valid region"):
			return fmt.Sprintf("The request was signed for region %q, which is not the workspace's region: set Region under Authentication to the region in the workspace URL", region)
		case strings.Contains(msg, "correct service"):
			return fmt.Sprintf("The request was signed for service %q: set the SigV4 service to \"aps\" for Amazon Managed Service for Prometheus (\"monitoring\" for CloudWatch PromQL)", service)
		case strings.Contains(msg, "expired"), strings.Contains(msg, "not yet current"):
			return "The signing time is too far from AWS's clock (clock skew): synchronise the Grafana server's clock (NTP)"
		default:
			return "Check the secret access key (no extra spaces), the region and service, the server clock, and that no proxy changes the request"
		}
	case "AccessDeniedException", "AccessDenied":
		return accessDeniedHint(se.Message, workspace)
	case "ResourceNotFoundException":
		return fmt.Sprintf("Workspace %q was not found in region %s: check the workspace ID in the URL and that the workspace is in that region", workspace, region)
	case "ThrottlingException":
		return "AWS throttled the request: lower the dashboard refresh rate or the number of concurrent queries"
	}
	if se.StatusCode == 404 {
		return "The URL does not point at a Prometheus API: use the workspace endpoint https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>/"
	}
	return ""
}

// accessDeniedHint names the IAM action and workspace to grant. AMP also denies requests that carry
// X-Scope-OrgID, which no policy change fixes.
func accessDeniedHint(message, workspace string) string {
	if strings.Contains(message, "X-Scope-OrgID") {
		return "Remove the X-Scope-OrgID custom header: Amazon Managed Service for Prometheus selects the tenant from the workspace URL"
	}
	if m := deniedAction.FindStringSubmatch(message); m != nil {
		return fmt.Sprintf("The AWS identity lacks %s: grant %s on %s in its IAM policy (the AmazonPrometheusQueryAccess managed policy covers all query actions), and check SCPs and VPC endpoint policies", m[1], m[1], m[2])
	}
	return fmt.Sprintf("The AWS identity is not allowed to query workspace %s: grant aps:QueryMetrics, aps:GetLabels, aps:GetSeries and aps:GetMetricMetadata (for example the AmazonPrometheusQueryAccess policy)", workspace)
}

// otherAuthHint explains 401/403 from a Prometheus that does not use SigV4 (for example Alibaba Cloud ARMS).
func otherAuthHint(status int, s *models.Settings) string {
	if status != 401 && status != 403 {
		if status == 404 {
			return "The URL does not point at a Prometheus API: check the URL path"
		}
		return ""
	}
	switch s.AuthMode() {
	case models.AuthModeBasic:
		return "The server rejected the basic auth credentials: check the user and password (for Alibaba Cloud ARMS, an AccessKey ID and secret of a RAM user with AliyunPrometheusMetricReadAccess)"
	case models.AuthModeHeader:
		return "The server rejected the token in the Authorization header: check the token, including any prefix such as \"Bearer \" the service expects"
	}
	return "The server requires authentication: configure basic auth or a token in a custom Authorization header (or SigV4 for AWS)"
}

// explainTransportError adds what to do about a request that got no HTTP answer. Authentication failures arrive
// already explained by the signer.
func explainTransportError(err error) error {
	var authErr *signing.AuthError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	text := err.Error()
	switch {
	case errors.As(err, &authErr):
		return err
	case errors.As(err, &dnsErr):
		return &explainedError{err: err, hint: "The host name does not resolve: check the URL, and DNS for VPC endpoints (private DNS must be on for the aps-workspaces endpoint)"}
	case errors.As(err, &hostErr), errors.As(err, &certErr), strings.Contains(text, "x509:"):
		return &explainedError{err: err, hint: "The server's TLS certificate is not trusted: check the URL's host name; for a private CA or a TLS-inspecting proxy, turn on \"With CA cert\" in the TLS settings and paste its CA (and set the server name if the certificate names another host)"}
	case strings.Contains(text, "tls: certificate required"), strings.Contains(text, "tls: bad certificate"):
		return &explainedError{err: err, hint: "The server demands a TLS client certificate: turn on \"TLS client authentication\" and paste a certificate and key the server accepts"}
	case errors.As(err, &recordErr), strings.Contains(text, "server gave HTTP response to HTTPS client"):
		return &explainedError{err: err, hint: "The server does not speak TLS on that port: check whether the URL should start with http:// or https://"}
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(text, "Client.Timeout"):
		return &explainedError{err: err, hint: "The request timed out: check network access to the endpoint (security groups, proxies), or raise the timeout setting"}
	case errors.As(err, &opErr):
		return &explainedError{err: err, hint: "Could not connect to the endpoint: check the URL, proxies and network access"}
	}
	return err
}
