package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/testcerts"
)

func TestLoadSettingsTLS(t *testing.T) {
	ca, err := testcerts.NewCA("test CA")
	require.NoError(t, err)
	client, err := ca.Client("grafana")
	require.NoError(t, err)
	other, err := ca.Client("someone else")
	require.NoError(t, err)
	secure := func(kv ...string) map[string]string {
		m := map[string]string{"sigV4AccessKey": testKeys["sigV4AccessKey"], "sigV4SecretKey": testKeys["sigV4SecretKey"]}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}

	s, err := load(t, ampURL, `{"sigV4AuthType":"keys"}`, testKeys)
	require.NoError(t, err)
	assert.Nil(t, s.TLS, "no TLS option, no TLS settings")

	s, err = load(t, ampURL, `{"sigV4AuthType":"keys","tlsSkipVerify":true,"serverName":"ignored"}`, secure("tlsCACert", "ignored"))
	require.NoError(t, err)
	assert.Equal(t, &TLS{SkipVerify: true}, s.TLS, "the server name and certificates are read only with a certificate option, as Grafana does")

	s, err = load(t, ampURL, `{"sigV4AuthType":"keys","tlsAuthWithCACert":true,"tlsAuth":true,"serverName":"amp.internal"}`,
		secure("tlsCACert", ca.CertPEM, "tlsClientCert", client.CertPEM, "tlsClientKey", client.KeyPEM))
	require.NoError(t, err)
	assert.Equal(t, "amp.internal", s.TLS.ServerName)
	assert.Equal(t, ca.CertPEM[:20], s.TLS.CACert[:20])
	assert.NotContains(t, s.TLS.String(), "PRIVATE KEY", "the client key is never printed")

	failures := []struct {
		name, jsonData, field string
		secure                map[string]string
	}{
		{"CA missing", `{"sigV4AuthType":"keys","tlsAuthWithCACert":true}`, "secureJsonData.tlsCACert", secure()},
		{"CA not PEM", `{"sigV4AuthType":"keys","tlsAuthWithCACert":true}`, "secureJsonData.tlsCACert", secure("tlsCACert", "not a certificate")},
		{"client cert missing", `{"sigV4AuthType":"keys","tlsAuth":true}`, "secureJsonData.tlsClientCert", secure("tlsClientKey", client.KeyPEM)},
		{"key of another cert", `{"sigV4AuthType":"keys","tlsAuth":true}`, "secureJsonData.tlsClientKey", secure("tlsClientCert", client.CertPEM, "tlsClientKey", other.KeyPEM)},
		{"flag not a bool", `{"sigV4AuthType":"keys","tlsSkipVerify":"sometimes"}`, "jsonData.tlsSkipVerify", secure()},
		{"server name not a string", `{"sigV4AuthType":"keys","tlsAuthWithCACert":true,"serverName":5}`, "jsonData.serverName", secure("tlsCACert", ca.CertPEM)},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, ampURL, tc.jsonData, tc.secure)
			var se *SettingsError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.field, se.Field)
			assert.NotEmpty(t, se.Fix)
			assert.NotContains(t, err.Error(), other.KeyPEM[40:80], "no key material in the message")
		})
	}
}

func TestLoadSettingsKeepCookies(t *testing.T) {
	s, err := load(t, ampURL, `{"sigV4AuthType":"keys","keepCookies":["team"," session_id "]}`, testKeys)
	require.NoError(t, err)
	assert.Equal(t, []string{"team", "session_id"}, s.KeepCookies)

	for _, bad := range []string{`"team"`, `[1]`, `["a=b"]`, `["a;b"]`} {
		_, err := load(t, ampURL, `{"sigV4AuthType":"keys","keepCookies":`+bad+`}`, testKeys)
		var se *SettingsError
		require.ErrorAs(t, err, &se, bad)
		assert.Equal(t, "jsonData.keepCookies", se.Field)
	}
}

func TestLoadSettingsCustomHeadersCannotReplaceSignedHeaders(t *testing.T) {
	secure := map[string]string{"sigV4AccessKey": testKeys["sigV4AccessKey"], "sigV4SecretKey": testKeys["sigV4SecretKey"], "httpHeaderValue1": "v"}
	for _, name := range []string{"X-Amz-Date", "x-amz-security-token", "X-Amz-Content-Sha256", "Authorization"} {
		_, err := load(t, ampURL, `{"sigV4AuthType":"keys","httpHeaderName1":"`+name+`"}`, secure)
		var se *SettingsError
		require.ErrorAs(t, err, &se, name)
		assert.Equal(t, "jsonData.httpHeaderName", se.Field)
		assert.Contains(t, se.Fix, "remove that custom header")
	}
	s, err := load(t, ampURL, `{"sigV4AuthType":"keys","httpHeaderName1":"X-Team"}`, secure)
	require.NoError(t, err)
	assert.Equal(t, "v", s.Headers.Get("X-Team"))

	s, err = load(t, "https://prom.example.com/", `{"sigV4Auth":false,"httpHeaderName1":"X-Amz-Date"}`, map[string]string{"httpHeaderValue1": "v"})
	require.NoError(t, err, "without SigV4 nothing is signed, so any header is allowed")
	assert.Equal(t, "v", s.Headers.Get("X-Amz-Date"))
}
