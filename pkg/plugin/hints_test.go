package plugin

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

func settingsFor(t *testing.T, jsonData string, secure map[string]string) *models.Settings {
	t.Helper()
	s, err := models.LoadSettings(backend.DataSourceInstanceSettings{
		URL:      "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/",
		JSONData: []byte(jsonData), DecryptedSecureJSONData: secure})
	require.NoError(t, err)
	return s
}

func TestStatusHints(t *testing.T) {
	aws := settingsFor(t, `{"sigV4AuthType":"keys"}`, map[string]string{"sigV4AccessKey": "AKIA1", "sigV4SecretKey": "s"})
	basic := settingsFor(t, `{"sigV4Auth":false,"basicAuth":true,"basicAuthUser":"LTAI1"}`, map[string]string{"basicAuthPassword": "p"})
	token := settingsFor(t, `{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`, map[string]string{"httpHeaderValue1": "t"})
	tests := []struct {
		name string
		s    *models.Settings
		se   promclient.StatusError
		want []string
	}{
		{"unsigned", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "MissingAuthenticationTokenException"}, []string{"turn on SigV4"}},
		{"unknown key", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "UnrecognizedClientException"}, []string{"access key ID or session token"}},
		{"expired token", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "ExpiredTokenException"}, []string{"have expired"}},
		{"wrong region", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "InvalidSignatureException", Message: "Credential should be scoped to a valid region."},
			[]string{`signed for region "us-west-2"`, "set Region under Authentication"}},
		{"wrong service", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "InvalidSignatureException", Message: "Credential should be scoped to correct service: 'aps'."},
			[]string{`signed for service "aps"`}},
		{"clock skew", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "InvalidSignatureException", Message: "Signature expired: 20240101T000000Z is now earlier than ..."},
			[]string{"clock skew", "NTP"}},
		{"clock ahead", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "InvalidSignatureException", Message: "Signature not yet current: ..."},
			[]string{"clock skew"}},
		{"mismatch", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "InvalidSignatureException", Message: "The request signature we calculated does not match"},
			[]string{"secret access key", "clock"}},
		{"denied action", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "AccessDeniedException",
			Message: "User: arn:aws:iam::1:user/u is not authorized to perform: aps:GetLabels on resource: arn:aws:aps:us-west-2:1:workspace/ws-1"},
			[]string{"lacks aps:GetLabels", "grant aps:GetLabels on arn:aws:aps:us-west-2:1:workspace/ws-1"}},
		{"denied org id", aws, promclient.StatusError{StatusCode: 403, AWSErrorType: "AccessDeniedException", Message: "X-Scope-OrgID is not accepted"},
			[]string{"Remove the X-Scope-OrgID"}},
		{"workspace not found", aws, promclient.StatusError{StatusCode: 404, AWSErrorType: "ResourceNotFoundException"}, []string{`Workspace "ws-1" was not found in region us-west-2`}},
		{"basic rejected", basic, promclient.StatusError{StatusCode: 401}, []string{"basic auth credentials", "AliyunPrometheusMetricReadAccess"}},
		{"token rejected", token, promclient.StatusError{StatusCode: 403}, []string{"token in the Authorization header"}},
		{"no auth rejected", settingsFor(t, `{"sigV4Auth":false}`, nil), promclient.StatusError{StatusCode: 401}, []string{"requires authentication"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			se := tc.se
			err := explainStatusError(&se, tc.s)
			var ee *explainedError
			require.True(t, errors.As(err, &ee), "%v", err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestTransportHints(t *testing.T) {
	authErr := backend.DownstreamError(&signing.AuthError{Err: errors.New("trying to use non-allowed auth method keys"), Hint: "the fix"})
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"dns", &url.Error{Op: "Post", URL: "https://x.invalid/", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}, "does not resolve"},
		{"tls", &url.Error{Op: "Post", URL: "https://x/", Err: x509.UnknownAuthorityError{}}, "TLS certificate is not trusted"},
		{"plain http", &url.Error{Op: "Post", URL: "https://x/", Err: errors.New("http: server gave HTTP response to HTTPS client")}, "does not speak TLS"},
		{"timeout", &url.Error{Op: "Post", URL: "https://x/", Err: context.DeadlineExceeded}, "timed out"},
		{"refused", &url.Error{Op: "Post", URL: "https://x/", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}, "Could not connect"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, explainTransportError(tc.err).Error(), tc.want)
		})
	}
	wrapped := &url.Error{Op: "Post", URL: "https://x/", Err: authErr}
	assert.Equal(t, wrapped, explainTransportError(wrapped), "signer errors are already explained")
	assert.Equal(t, 1, strings.Count(explainTransportError(wrapped).Error(), "the fix"))
}
