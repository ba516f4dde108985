package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

const (
	seedExample  = "testdata/provisioning/seed-example.yaml"
	provisioning = "provisioning/datasources/amazon-prometheus.yaml"
)

func TestSaveAndTestSucceedsForProvisionedDataSources(t *testing.T) {
	for _, path := range []string{seedExample, provisioning} {
		t.Run(path, func(t *testing.T) {
			st.AMP.Reset()
			ds := dataSource(t, path, nil)
			h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
			assert.Equal(t, "OK", h.Status, h.Message)
			assert.Regexp(t, `^Connected to workspace `+stack.WorkspaceID+` in us-east-2: \d+ metrics$`, h.Message)
			assert.Contains(t, h.step("Query 1+1"), "ok: ")
			assert.Contains(t, h.step("Labels"), "ok: the metric names call succeeded")
			records := st.AMP.Requests()
			require.Len(t, records, 2, "Save & test runs 1+1, then counts the metric names")
			assert.Equal(t, "/api/v1/query", records[0].Path)
			assert.Equal(t, "/api/v1/label/__name__/values", records[1].Path)
			assert.Equal(t, stack.AccessKeyID, records[0].AccessKeyID, "the emulator verified the signature")
			assert.Equal(t, "1+1", records[0].Form.Get("query"))
			assert.Empty(t, records[0].RawQuery, "a form POST carries no query string")
		})
	}
}

func TestSaveAndTestExplainsFailures(t *testing.T) {
	tests := []struct {
		name      string
		edit      map[string]any
		secret    string
		workspace string
		errorType string
		title     string
		want      []string
	}{
		{name: "unsigned", title: "Request not signed: ", edit: map[string]any{"sigV4Auth": false}, errorType: "MissingAuthenticationTokenException",
			want: []string{"403", "Missing Authentication Token", "turn on SigV4 authentication"}},
		{name: "wrong secret", title: "Signature rejected by AMP: check the secret access key", secret: "not-the-secret", errorType: "InvalidSignatureException",
			want: []string{"403", "does not match", "check the secret access key"}},
		{name: "wrong region", title: "Signature rejected by AMP: the request was signed for region", edit: map[string]any{"sigV4Region": "eu-west-1"}, errorType: "InvalidSignatureException",
			want: []string{"403", "signed for region \"eu-west-1\"", "set Region under Authentication"}},
		{name: "unknown workspace", title: "Workspace not found: ", workspace: "ws-00000000-0000-0000-0000-000000000000", errorType: "ResourceNotFoundException",
			want: []string{"404", "ws-00000000-0000-0000-0000-000000000000", "was not found", "check the workspace ID"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			ds := dataSource(t, seedExample, tc.edit)
			if tc.secret != "" {
				ds.SecureJSONData["sigV4SecretKey"] = tc.secret
			}
			if tc.workspace != "" {
				ds.URL = st.AMP.WorkspaceURL(tc.workspace)
			}
			h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
			assert.Equal(t, "ERROR", h.Status)
			assert.True(t, strings.HasPrefix(h.Message, tc.title), h.Message)
			for _, w := range tc.want {
				assert.Contains(t, h.text(), w)
			}
			assert.Equal(t, 1, strings.Count(h.text(), tc.errorType), "AWS's answer appears once")
			assert.NotContains(t, h.text(), stack.SecretAccessKey)
			assert.NotContains(t, h.text(), "not-the-secret")
			records := st.AMP.Requests()
			require.Len(t, records, 1)
			assert.Equal(t, tc.errorType, records[0].ErrorType)
		})
	}
}

func TestSaveAndTestRejectsDisallowedAuthBeforeAnyRequest(t *testing.T) {
	st.AMP.Reset()
	ds := dataSource(t, seedExample, nil)
	cfg := pluginhost.GrafanaConfig(map[string]string{pluginhost.AWSAllowedAuthProviders: "default"})
	h := checkHealthWith(t, st.Plugin, ds, cfg)
	assert.Equal(t, "ERROR", h.Status)
	assert.Contains(t, h.step("Credentials"), "non-allowed auth method keys")
	assert.Contains(t, h.Message, "allowed_auth_providers")
	assert.Empty(t, st.AMP.Requests(), "nothing may reach AWS")
}

// Malformed settings must neither crash the plugin nor send anything unsigned.
func TestMalformedSettings(t *testing.T) {
	tests := []struct {
		name   string
		edit   map[string]any
		status string
		want   string
	}{
		{"region is a number", map[string]any{"sigV4Region": 5}, "ERROR", "jsonData.sigV4Region must be a string, got number 5"},
		{"region is null", map[string]any{"sigV4Region": nil, "sigV4AuthType": nil}, "ERROR", "jsonData.sigV4Region is empty"},
		{"timeout is a string", map[string]any{"timeout": "30"}, "OK", "Connected to workspace"},
		{"timeout is garbage", map[string]any{"timeout": "soon"}, "ERROR", "jsonData.timeout must be a number"},
		{"sigV4Auth is a string", map[string]any{"sigV4Auth": "true"}, "OK", "Connected to workspace"},
		{"sigV4Auth is a number", map[string]any{"sigV4Auth": 1}, "ERROR", "jsonData.sigV4Auth must be a boolean"},
		{"auth type is unknown", map[string]any{"sigV4AuthType": "magic"}, "ERROR", "use one of default, keys, credentials, ec2_iam_role, grafana_assume_role"},
		{"http method is wrong", map[string]any{"httpMethod": "PATCH"}, "ERROR", "jsonData.httpMethod"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			ds := dataSource(t, seedExample, tc.edit)
			h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
			assert.Equal(t, tc.status, h.Status)
			assert.Contains(t, h.Message, tc.want)

			q := rangeQuery("A", "fixture_up")
			resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, q)
			require.NoError(t, err, "the plugin keeps answering")
			if tc.status == "ERROR" {
				assert.Contains(t, resp["A"].Error, tc.want)
				assert.Equal(t, "downstream", resp["A"].ErrorSource)
			} else {
				assert.Empty(t, resp["A"].Error)
			}
			for _, r := range st.AMP.Requests() {
				assert.NotEqual(t, "MissingAuthenticationTokenException", r.ErrorType, "a request went out unsigned")
				assert.Equal(t, stack.AccessKeyID, r.AccessKeyID)
			}
			require.False(t, st.Plugin.Exited(), "the plugin process must survive malformed settings")
		})
	}
}
