package models

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ampURL = "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-12345678-1234-1234-1234-123456789012/"

var testKeys = map[string]string{"sigV4AccessKey": "AKIAEXAMPLEKEY123456", "sigV4SecretKey": "s3cr3t-value"}

func load(t *testing.T, url, jsonData string, secure map[string]string) (*Settings, error) {
	t.Helper()
	return LoadSettings(backend.DataSourceInstanceSettings{URL: url, JSONData: []byte(jsonData), DecryptedSecureJSONData: secure})
}

func TestLoadSettingsSeedProvisioningExample(t *testing.T) {
	s, err := load(t, ampURL, `{"httpMethod":"POST","sigV4Auth":true,"sigV4AuthType":"keys","sigV4Region":"us-east-2"}`, testKeys)
	require.NoError(t, err)
	require.NotNil(t, s.SigV4)
	assert.Equal(t, "us-west-2", s.SigV4.Region, "the URL host's region must win, or AWS rejects every request")
	assert.Equal(t, "aps", s.SigV4.Service)
	assert.Equal(t, "keys", s.SigV4.AuthType)
	assert.Equal(t, "ws-12345678-1234-1234-1234-123456789012", s.Endpoint.WorkspaceID)
	require.Len(t, s.Warnings, 1)
	assert.Contains(t, s.Warnings[0], `sigV4Region "us-east-2" does not match`)
	assert.Equal(t, http.MethodPost, s.HTTPMethod)
	assert.Equal(t, DefaultTimeout, s.Timeout)
}

func TestLoadSettingsMalformedJSONData(t *testing.T) {
	tests := []struct {
		name, jsonData, field string
		secure                map[string]string
	}{
		{"region is a number", `{"sigV4Region":5}`, "jsonData.sigV4Region", nil},
		{"region is an object", `{"sigV4Region":{"a":1}}`, "jsonData.sigV4Region", nil},
		{"auth type is a number", `{"sigV4AuthType":3}`, "jsonData.sigV4AuthType", nil},
		{"unknown auth type", `{"sigV4AuthType":"bogus"}`, "jsonData.sigV4AuthType", nil},
		{"sigV4Auth is an unreadable string", `{"sigV4Auth":"yes"}`, "jsonData.sigV4Auth", nil},
		{"sigV4Auth is a number", `{"sigV4Auth":1}`, "jsonData.sigV4Auth", nil},
		{"timeout is not a number", `{"timeout":"thirty"}`, "jsonData.timeout", nil},
		{"timeout is negative", `{"timeout":-1}`, "jsonData.timeout", nil},
		{"timeout is too large", `{"timeout":100000}`, "jsonData.timeout", nil},
		{"bad http method", `{"httpMethod":"PUT"}`, "jsonData.httpMethod", nil},
		{"http method is a bool", `{"httpMethod":true}`, "jsonData.httpMethod", nil},
		{"bad scrape interval", `{"timeInterval":"often"}`, "jsonData.timeInterval", nil},
		{"bad query timeout", `{"queryTimeout":"long"}`, "jsonData.queryTimeout", nil},
		{"negative threshold", `{"maxSamplesProcessedErrorThreshold":-5}`, "jsonData.maxSamplesProcessedErrorThreshold", nil},
		{"fractional threshold", `{"maxSamplesProcessedWarningThreshold":1.5}`, "jsonData.maxSamplesProcessedWarningThreshold", nil},
		{"bad custom query parameters", `{"customQueryParameters":"a=%zz"}`, "jsonData.customQueryParameters", nil},
		{"keys without secret", `{"sigV4AuthType":"keys"}`, "secureJsonData.sigV4AccessKey", nil},
		{"keys with only an access key", `{"sigV4AuthType":"keys"}`, "secureJsonData.sigV4SecretKey", map[string]string{"sigV4AccessKey": "AKIA1"}},
		{"basic auth with sigv4", `{"basicAuth":true}`, "basicAuth", nil},
		{"authorization header with sigv4", `{"httpHeaderName1":"Authorization"}`, "jsonData.httpHeaderName", nil},
		{"header name is a number", `{"httpHeaderName1":7}`, "jsonData.httpHeaderName1", nil},
		{"socks user is a number", `{"secureSocksProxyUsername":7}`, "jsonData.secureSocksProxyUsername", nil},
		{"jsonData is an array", `[1,2]`, "jsonData", nil},
		{"region is not a region", `{"sigV4Region":"mars"}`, "jsonData.sigV4Region", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := ampURL
			if tc.field == "jsonData.sigV4Region" {
				url = "https://prometheus.example.com/"
			}
			_, err := load(t, url, tc.jsonData, tc.secure)
			require.Error(t, err)
			var se *SettingsError
			require.True(t, errors.As(err, &se), "want a SettingsError, got %T: %v", err, err)
			assert.Equal(t, tc.field, se.Field)
			assert.NotEmpty(t, se.Fix, "every settings error must say how to fix it")
			assert.Contains(t, err.Error(), tc.field)
		})
	}
}

func TestLoadSettingsCoercions(t *testing.T) {
	s, err := load(t, ampURL, `{"sigV4Auth":"true","timeout":"45","queryStatsEnabled":"TRUE","queryTimeout":60,
		"maxSamplesProcessedWarningThreshold":"1000","maxSamplesProcessedErrorThreshold":5000,
		"customQueryParameters":"?dedup=false&x=1","sigV4AuthType":"arn","httpMethod":" get ","timeInterval":"30s"}`, nil)
	require.NoError(t, err)
	require.NotNil(t, s.SigV4, `"true" as a string turns SigV4 on`)
	assert.Equal(t, 45*time.Second, s.Timeout)
	assert.True(t, s.QueryStatsEnabled)
	assert.Equal(t, "60s", s.QueryTimeout)
	assert.Equal(t, "default", s.SigV4.AuthType, "legacy arn means default")
	assert.Equal(t, http.MethodGet, s.HTTPMethod)
	assert.Equal(t, "1000", s.QueryParameters.Get("max_samples_processed_warning_threshold"))
	assert.Equal(t, "5000", s.QueryParameters.Get("max_samples_processed_error_threshold"))
	assert.Equal(t, "false", s.QueryParameters.Get("dedup"))
	assert.Equal(t, "30s", s.TimeInterval)
}

func TestLoadSettingsAuthModes(t *testing.T) {
	t.Run("sigV4Auth absent signs", func(t *testing.T) {
		s, err := load(t, ampURL, `{}`, nil)
		require.NoError(t, err)
		require.NotNil(t, s.SigV4)
		assert.Equal(t, "default", s.SigV4.AuthType)
		assert.Equal(t, "us-west-2", s.SigV4.Region)
	})
	t.Run("sigV4Auth false is a plain Prometheus", func(t *testing.T) {
		s, err := load(t, "http://127.0.0.1:9090", `{"sigV4Auth":false}`, nil)
		require.NoError(t, err)
		assert.Nil(t, s.SigV4)
		assert.Empty(t, s.Warnings)
	})
	t.Run("sigV4Auth false on an AMP host warns", func(t *testing.T) {
		s, err := load(t, ampURL, `{"sigV4Auth":false}`, nil)
		require.NoError(t, err)
		require.Len(t, s.Warnings, 1)
		assert.Contains(t, s.Warnings[0], "only accepts SigV4")
	})
	t.Run("basic auth without sigv4", func(t *testing.T) {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "https://prom.example.com", BasicAuthEnabled: true,
			BasicAuthUser: "ak", JSONData: []byte(`{"sigV4Auth":false}`), DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "pw"}})
		require.NoError(t, err)
		require.NotNil(t, s.BasicAuth)
		assert.Equal(t, BasicAuth{User: "ak", Password: "pw"}, *s.BasicAuth)
	})
	t.Run("sharedCreds means credentials", func(t *testing.T) {
		s, err := load(t, ampURL, `{"sigV4AuthType":"sharedCreds","sigV4Profile":"amp"}`, nil)
		require.NoError(t, err)
		assert.Equal(t, "credentials", s.SigV4.AuthType)
		assert.Equal(t, "amp", s.SigV4.Profile)
	})
	t.Run("secret whitespace is trimmed with a warning", func(t *testing.T) {
		s, err := load(t, ampURL, `{"sigV4AuthType":"keys"}`, map[string]string{"sigV4AccessKey": "AKIA1", "sigV4SecretKey": " abc \n"})
		require.NoError(t, err)
		assert.Equal(t, "abc", s.SigV4.SecretKey)
		require.Len(t, s.Warnings, 1)
		assert.NotContains(t, s.Warnings[0], "abc", "warnings never quote secrets")
	})
	t.Run("X-Scope-OrgID on AMP warns", func(t *testing.T) {
		s, err := load(t, ampURL, `{"httpHeaderName1":"X-Scope-OrgID"}`, map[string]string{"httpHeaderValue1": "t1"})
		require.NoError(t, err)
		assert.Equal(t, "t1", s.Headers.Get("X-Scope-OrgID"))
		require.Len(t, s.Warnings, 1)
		assert.Contains(t, s.Warnings[0], "X-Scope-OrgID")
	})
}

func TestLoadSettingsEndpoints(t *testing.T) {
	tests := []struct {
		name, url, jsonData, region, service, warning string
	}{
		{"region inferred from the AMP host", ampURL, `{}`, "us-west-2", "aps", ""},
		{"literal default region is inferred", ampURL, `{"sigV4Region":"default"}`, "us-west-2", "aps", ""},
		{"FIPS host", "https://aps-workspaces-fips.us-gov-west-1.amazonaws.com/workspaces/ws-1/", `{}`, "us-gov-west-1", "aps", ""},
		{"China partition", "https://aps-workspaces.cn-north-1.amazonaws.com.cn/workspaces/ws-1", `{}`, "cn-north-1", "aps", ""},
		{"VPC endpoint", "https://vpce-0abc-def.aps-workspaces.eu-west-1.vpce.amazonaws.com/workspaces/ws-1/", `{}`, "eu-west-1", "aps", ""},
		{"CloudWatch PromQL", "https://monitoring.eu-central-1.amazonaws.com/", `{}`, "eu-central-1", "monitoring", ""},
		{"wrong service is corrected", ampURL, `{"sigv4Service":"monitoring"}`, "us-west-2", "aps", `sigv4Service "monitoring"`},
		{"custom host keeps settings", "https://proxy.internal/amp/", `{"sigV4Region":"eu-west-2","sigv4Service":"aps"}`, "eu-west-2", "aps", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := load(t, tc.url, tc.jsonData, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.region, s.SigV4.Region)
			assert.Equal(t, tc.service, s.SigV4.Service)
			if tc.warning == "" {
				assert.Empty(t, s.Warnings)
			} else {
				require.Len(t, s.Warnings, 1)
				assert.Contains(t, s.Warnings[0], tc.warning)
			}
		})
	}
}

func TestLoadSettingsURL(t *testing.T) {
	s, err := load(t, " https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-9/api/v1/query ", `{}`, nil)
	require.NoError(t, err)
	assert.Equal(t, "/workspaces/ws-9/", s.URL.Path)
	require.Len(t, s.Warnings, 1)
	assert.Contains(t, s.Warnings[0], "/api/v1/query")

	for _, bad := range []string{"", "aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-9", "ftp://x/", "https://user:hunter2@host/"} {
		_, err := load(t, bad, `{}`, nil)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "hunter2")
	}
}

func TestLoadSettingsOtherManagedPrometheus(t *testing.T) {
	tests := []struct {
		name     string
		ds       backend.DataSourceInstanceSettings
		mode     string
		err      string
		warnings []string
	}{
		{name: "token in a custom Authorization header", mode: AuthModeHeader,
			ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`),
				DecryptedSecureJSONData: map[string]string{"httpHeaderValue1": "arms-token"}}},
		{name: "basic auth with an AccessKey pair", mode: AuthModeBasic,
			ds: backend.DataSourceInstanceSettings{BasicAuthEnabled: true, BasicAuthUser: "LTAI-access-key", JSONData: []byte(`{"sigV4Auth":false}`),
				DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "ak-secret"}}},
		{name: "no auth", mode: AuthModeNone, ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4Auth":false}`)}},
		{name: "basic auth and a token at once", err: "use either basic auth or an Authorization header",
			ds: backend.DataSourceInstanceSettings{BasicAuthEnabled: true, BasicAuthUser: "u", JSONData: []byte(`{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`),
				DecryptedSecureJSONData: map[string]string{"httpHeaderValue1": "t", "basicAuthPassword": "p"}}},
		{name: "basic auth without a user", err: "basicAuthUser is empty",
			ds: backend.DataSourceInstanceSettings{BasicAuthEnabled: true, JSONData: []byte(`{"sigV4Auth":false}`)}},
		{name: "basic auth without a password warns", mode: AuthModeBasic, warnings: []string{"basicAuthPassword is empty"},
			ds: backend.DataSourceInstanceSettings{BasicAuthEnabled: true, BasicAuthUser: "u", JSONData: []byte(`{"sigV4Auth":false}`)}},
		{name: "empty token warns", mode: AuthModeHeader, warnings: []string{"Authorization header has no value"},
			ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`)}},
		{name: "unused SigV4 keys warn", mode: AuthModeNone, warnings: []string{"sigV4SecretKey is set, but SigV4 authentication is off"},
			ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4Auth":false}`), DecryptedSecureJSONData: map[string]string{"sigV4SecretKey": "x"}}},
		{name: "password in jsonData", err: "jsonData.basicAuthPassword holds a secret; move it to secureJsonData",
			ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4Auth":false,"basicAuthPassword":"pw-in-clear"}`)}},
		{name: "header value in jsonData", err: "jsonData.httpHeaderValue1 holds a secret",
			ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4Auth":false,"httpHeaderName1":"Authorization","httpHeaderValue1":"pw-in-clear"}`)}},
		{name: "secret key in jsonData", err: "jsonData.sigV4SecretKey holds a secret",
			ds: backend.DataSourceInstanceSettings{JSONData: []byte(`{"sigV4SecretKey":"pw-in-clear"}`)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.ds.URL = "https://workspace.cn-hangzhou.arms.aliyuncs.com/api/v1/prometheus/abc/"
			s, err := LoadSettings(tc.ds)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.NotContains(t, err.Error(), "pw-in-clear", "settings errors never quote secrets")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.mode, s.AuthMode())
			assert.Nil(t, s.SigV4)
			require.Len(t, s.Warnings, len(tc.warnings))
			for i, w := range tc.warnings {
				assert.Contains(t, s.Warnings[i], w)
			}
		})
	}
}

func TestSettingsNeverFormatSecrets(t *testing.T) {
	sigv4, err := load(t, ampURL, `{"sigV4AuthType":"keys"}`, map[string]string{"sigV4AccessKey": "AKIAEXAMPLEKEY123456",
		"sigV4SecretKey": "s3cr3t-value", "sigV4SessionToken": "token-value"})
	require.NoError(t, err)
	assert.Equal(t, AuthModeSigV4, sigv4.AuthMode())
	basic, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "https://prom.example.com/", BasicAuthEnabled: true, BasicAuthUser: "ak",
		JSONData: []byte(`{"sigV4Auth":false,"httpHeaderName1":"X-Token"}`), DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "pw-value", "httpHeaderValue1": "hdr-value"}})
	require.NoError(t, err)
	for _, v := range []any{sigv4, *sigv4, *sigv4.SigV4, sigv4.SigV4, basic, *basic, *basic.BasicAuth} {
		for _, verb := range []string{"%v", "%+v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{"s3cr3t-value", "token-value", "pw-value", "hdr-value"} {
				assert.NotContains(t, out, secret, verb)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(sigv4.SigV4), "AKIAEXAMPLEKEY123456", "the access key id is an identifier, not a secret")
	assert.Contains(t, fmt.Sprint(basic), "X-Token")
}

func TestParseEndpointMonitoringVPCAndRegions(t *testing.T) {
	ep := ParseEndpoint(&url.URL{Host: "vpce-0abc-1de.monitoring.ap-south-1.vpce.amazonaws.com"})
	assert.Equal(t, Endpoint{Region: "ap-south-1", Service: "monitoring"}, ep)
	for region, ok := range map[string]bool{"us-west-2": true, "us-gov-west-1": true, "cn-north-1": true, "il-central-1": true,
		"": false, "default": false, "us-west": false, "US-WEST-2": false} {
		assert.Equal(t, ok, ValidRegion(region), region)
	}
}

func TestSecrets(t *testing.T) {
	basic, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "https://prom.example.com/", BasicAuthEnabled: true, BasicAuthUser: "ak",
		JSONData: []byte(`{"sigV4Auth":false}`), DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "pw-value"}})
	require.NoError(t, err)
	token, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "https://prom.example.com/",
		JSONData:                []byte(`{"sigV4Auth":false,"httpHeaderName1":"Authorization","httpHeaderName2":"X-Short"}`),
		DecryptedSecureJSONData: map[string]string{"httpHeaderValue1": "Bearer tok-value", "httpHeaderValue2": "abc"}})
	require.NoError(t, err)
	sigv4, err := load(t, ampURL, `{"sigV4AuthType":"keys"}`, map[string]string{"sigV4AccessKey": "AKIAEXAMPLEKEY123456",
		"sigV4SecretKey": "s3cr3t-value", "sigV4SessionToken": "token-value"})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"pw-value", "YWs6cHctdmFsdWU="}, basic.Secrets())
	assert.ElementsMatch(t, []string{"Bearer tok-value", "tok-value"}, token.Secrets(), "values too short to be credentials are left out")
	assert.ElementsMatch(t, []string{"s3cr3t-value", "token-value"}, sigv4.Secrets(), "the access key ID is not a secret")
}
