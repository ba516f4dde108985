package resources

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// configError is a failure to build the AWS configuration (credentials, Grafana's [aws] restrictions), as opposed
// to a failed control-plane call.
type configError struct{ err error }

func (e *configError) Error() string {
	return "loading AWS credentials for the control plane: " + e.err.Error()
}
func (e *configError) Unwrap() error { return e.err }

// failure turns a discovery error into an answer the picker can show. action is the IAM action of the call.
func (d *discovery) failure(ctx context.Context, err error, action, region, id string) *backend.CallResourceResponse {
	var cfgErr *configError
	if errors.As(err, &cfgErr) {
		// The config source explains its own failures (allowed auth providers, assume role, missing keys); the
		// whole credential-chain report goes to details, the message keeps its first sentence.
		msg := "loading AWS credentials for the control plane: " + firstSentence(cfgErr.err.Error())
		return jsonResponse(http.StatusBadRequest, errorBody{Status: "error", Error: msg, Message: msg, Details: err.Error()})
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		// Signature mismatches append the canonical request, which quotes the session token: keep the first line.
		awsMsg := firstLine(apiErr.ErrorMessage())
		status, msg := http.StatusBadGateway, fmt.Sprintf("%s: %s", code, awsMsg)
		switch code {
		case "AccessDeniedException":
			status, msg = http.StatusForbidden, "missing "+action+" permission — enter the workspace URL manually"
		case "ThrottlingException", "TooManyRequestsException", "Throttling":
			status, msg = http.StatusTooManyRequests, "AWS throttled the workspace lookup (the AMP control plane allows about "+
				"5 requests per second per account and region); wait a few seconds and try again"
		case "ResourceNotFoundException":
			status, msg = http.StatusNotFound, fmt.Sprintf("workspace %s was not found in region %s", id, region)
		case "ValidationException":
			status, msg = http.StatusBadRequest, "AWS rejected the request: "+awsMsg
		case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
			"InvalidClientTokenId", "ExpiredTokenException", "MissingAuthenticationTokenException":
			status, msg = http.StatusForbidden, fmt.Sprintf("AWS rejected the data source's credentials (%s: %s); check them "+
				"with Save & test", code, awsMsg)
		}
		return jsonResponse(status, errorBody{Status: "error", ErrorType: code, Error: msg, Message: msg, Details: awsMsg})
	}
	if ctx.Err() != nil {
		return jsonError(http.StatusGatewayTimeout, "the AMP control plane did not answer in time: "+err.Error())
	}
	// Credential failures arrive here too (the SDK resolves credentials per call) with the whole provider chain in
	// the text: the message keeps the first sentence, the details the rest.
	explained := d.explain(err).Error()
	msg := "calling the AMP control plane: " + firstSentence(explained)
	full := "calling the AMP control plane: " + explained
	if msg == full {
		return jsonError(http.StatusBadGateway, msg)
	}
	return jsonResponse(http.StatusBadGateway, errorBody{Status: "error", Error: msg, Message: msg, Details: full})
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}

// firstSentence shortens a long explanation (the credential chain lists every provider it tried).
func firstSentence(s string) string {
	s = firstLine(s)
	if len(s) <= 200 {
		return s
	}
	for _, sep := range []string{". ", ", "} {
		if head, _, ok := strings.Cut(s, sep); ok && len(head) <= 200 {
			return head + " (see details)"
		}
	}
	return s[:200] + "… (see details)"
}
