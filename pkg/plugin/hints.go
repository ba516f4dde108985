package plugin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// explainedError keeps the original error for errors.As while giving the message an admin can act on.
type explainedError struct {
	err  error
	hint string
}

func (e *explainedError) Error() string { return e.err.Error() + ". " + e.hint }
func (e *explainedError) Unwrap() error { return e.err }

// explainStatusError adds what to do about an HTTP error answer, from AWS's error type where there is one.
func explainStatusError(err error, s *models.Settings) error {
	se, ok := promclient.AsStatusError(err)
	if !ok {
		return err
	}
	// AWS appends the canonical request to signature mismatches; it can name the session token, so keep the
	// first line only.
	se.Message, _, _ = strings.Cut(se.Message, "\n")
	if hint := statusHint(se, s); hint != "" {
		return &explainedError{err: se, hint: hint}
	}
	return se
}

func statusHint(se *promclient.StatusError, s *models.Settings) string {
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
	case "UnrecognizedClientException":
		return "AWS does not recognise the access key ID or session token: check the access key, or refresh expired temporary credentials"
	case "InvalidSignatureException", "SignatureDoesNotMatchException":
		switch {
		case strings.Contains(msg, "valid region"):
			return fmt.Sprintf("The request was signed for region %q, which is not the workspace's region: set Default region to the region in the workspace URL", region)
		case strings.Contains(msg, "correct service"):
			return fmt.Sprintf("The request was signed for service %q: set the SigV4 service to \"aps\" for Amazon Managed Service for Prometheus", service)
		case strings.Contains(msg, "expired"):
			return "The signing time is too far from AWS's clock: synchronise the Grafana server's clock (NTP)"
		default:
			return "AWS computed a different signature: check the secret access key (no extra spaces), and that no proxy changes the request"
		}
	case "AccessDeniedException":
		return fmt.Sprintf("The AWS identity is not allowed to query workspace %s: grant aps:QueryMetrics, aps:GetLabels, aps:GetSeries and aps:GetMetricMetadata (for example the AmazonPrometheusQueryAccess policy)", workspace)
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

// explainTransportError adds what to do about a request that got no HTTP answer.
func explainTransportError(err error) error {
	text := err.Error()
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case strings.Contains(text, "non-allowed auth method"):
		return &explainedError{err: err, hint: "Allow this auth type in Grafana's [aws] allowed_auth_providers, and make sure grafana-amazonprometheus-datasource is listed in [aws] forward_settings_to_plugins"}
	case strings.Contains(text, "assume role but it is disabled"):
		return &explainedError{err: err, hint: "Set [aws] assume_role_enabled = true in Grafana's configuration, or remove the assume role ARN"}
	case strings.Contains(text, "failed to refresh cached credentials"), strings.Contains(text, "static credentials are empty"):
		return &explainedError{err: err, hint: "No AWS credentials could be resolved for the selected auth type: check the keys, profile or role, and that Grafana passes AWS environment variables to the plugin"}
	case errors.As(err, &dnsErr):
		return &explainedError{err: err, hint: "The workspace host name does not resolve: check the URL, and DNS for VPC endpoints"}
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(text, "Client.Timeout"):
		return &explainedError{err: err, hint: "The request timed out: check network access to the workspace, or raise the timeout setting"}
	case errors.As(err, &opErr):
		return &explainedError{err: err, hint: "Could not connect to the workspace endpoint: check the URL, proxies and network access"}
	}
	return err
}
