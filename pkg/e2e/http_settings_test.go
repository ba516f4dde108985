package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/testcerts"
)

// headerRecorder sits between the emulator and Prometheus and keeps the headers of what the emulator accepted.
type headerRecorder struct {
	mu   sync.Mutex
	seen []http.Header
}

func (h *headerRecorder) headers() []http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]http.Header(nil), h.seen...)
}

// emulatedWorkspace serves an AMP emulator (SigV4 verified) in front of the shared Prometheus on its own loopback
// server, over TLS when cert is set, demanding a client certificate from clientCAs when that is set.
func emulatedWorkspace(t *testing.T, cert *tls.Certificate, clientCAs *x509.CertPool) (string, *ampemu.Emulator, *headerRecorder) {
	t.Helper()
	prom, err := url.Parse(st.Prometheus.URL)
	require.NoError(t, err)
	rec := &headerRecorder{}
	proxy := httputil.NewSingleHostReverseProxy(prom)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Header.Clone())
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(upstream.Close)
	emu, err := ampemu.New(stack.EmulatorConfig(upstream.URL, st.Region))
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(emu)
	if cert == nil {
		srv.Start()
	} else {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		if clientCAs != nil {
			srv.TLS.ClientCAs, srv.TLS.ClientAuth = clientCAs, tls.RequireAndVerifyClientCert
		}
		srv.StartTLS()
	}
	t.Cleanup(srv.Close)
	return srv.URL + "/workspaces/" + stack.WorkspaceID + "/", emu, rec
}

// TLS settings reach the plugin's HTTP client: a loopback server with a certificate from a CA generated here is
// trusted only with that CA (or with verification off), a certificate for another name only with the server name
// set, and a server that demands a client certificate accepts the configured one.
func TestTLSSettingsAgainstLoopbackServer(t *testing.T) {
	ca, err := testcerts.NewCA("AMP test CA")
	require.NoError(t, err)
	byIP, err := ca.Server("127.0.0.1")
	require.NoError(t, err)
	byName, err := ca.Server("amp.internal")
	require.NoError(t, err)
	client, err := ca.Client("grafana")
	require.NoError(t, err)

	ipURL, _, _ := emulatedWorkspace(t, &byIP.TLS, nil)
	nameURL, _, _ := emulatedWorkspace(t, &byName.TLS, nil)
	mtlsURL, mtlsEmu, _ := emulatedWorkspace(t, &byIP.TLS, ca.Pool())
	withCA := map[string]string{"tlsCACert": ca.CertPEM}
	withClient := map[string]string{"tlsCACert": ca.CertPEM, "tlsClientCert": client.CertPEM, "tlsClientKey": client.KeyPEM}

	tests := []struct {
		name   string
		url    string
		edit   map[string]any
		secure map[string]string
		want   string // the start of the Save & test message
	}{
		{"untrusted CA", ipURL, nil, nil, "Could not reach 127.0.0.1:"},
		{"skip verify", ipURL, map[string]any{"tlsSkipVerify": true}, nil, "Connected to workspace"},
		{"with CA cert", ipURL, map[string]any{"tlsAuthWithCACert": true}, withCA, "Connected to workspace"},
		{"certificate for another name", nameURL, map[string]any{"tlsAuthWithCACert": true}, withCA, "Could not reach 127.0.0.1:"},
		{"server name", nameURL, map[string]any{"tlsAuthWithCACert": true, "serverName": "amp.internal"}, withCA, "Connected to workspace"},
		{"client certificate required", mtlsURL, map[string]any{"tlsAuthWithCACert": true}, withCA, "Could not reach 127.0.0.1:"},
		{"client certificate", mtlsURL, map[string]any{"tlsAuthWithCACert": true, "tlsAuth": true}, withClient, "Connected to workspace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			secure := keysOf(stackKey)
			for k, v := range tc.secure {
				secure[k] = v
			}
			ds := authDataSource(t, tc.edit, secure)
			ds.URL = tc.url
			h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
			assert.True(t, strings.HasPrefix(h.Message, tc.want), h.Message)
			switch {
			case tc.name == "client certificate required":
				assert.Contains(t, h.Message, "demands a TLS client certificate")
			case strings.HasPrefix(tc.want, "Could not reach"):
				assert.Contains(t, h.Message, `TLS certificate is not trusted: check the URL's host name; for a private CA or a TLS-inspecting proxy, turn on "With CA cert"`)
			}
			assert.NotContains(t, h.text(), "PRIVATE KEY")
		})
	}
	require.NotEmpty(t, mtlsEmu.Requests())
	assert.Equal(t, stack.AccessKeyID, mtlsEmu.Requests()[len(mtlsEmu.Requests())-1].AccessKeyID, "signed and verified over mutual TLS")
}

// Custom headers are sent and the signature still verifies; keepCookies forwards the named cookies of the Grafana
// user and no others; a custom header that would replace part of the signature is refused before any request.
func TestCustomHeadersAndKeptCookies(t *testing.T) {
	wsURL, emu, rec := emulatedWorkspace(t, nil, nil)
	grafanaHeaders := map[string]string{"Cookie": "grafana_session=abc; team=blue; theme=dark", "Authorization": "Bearer grafana-user-token"}

	secure := keysOf(stackKey)
	secure["httpHeaderValue1"] = "observability"
	ds := authDataSource(t, map[string]any{"httpHeaderName1": "X-Team", "keepCookies": []string{"team", "theme"}}, secure)
	ds.URL = wsURL
	resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), grafanaHeaders, rangeQuery("A", "fixture_up"))
	require.NoError(t, err)
	require.Empty(t, resp["A"].Error)
	require.Len(t, rec.headers(), 1)
	h := rec.headers()[0]
	assert.Equal(t, "observability", h.Get("X-Team"))
	assert.Equal(t, "team=blue; theme=dark", h.Get("Cookie"), "only the kept cookies, never Grafana's session")
	records := emu.Requests()
	require.Len(t, records, 1)
	assert.Equal(t, stack.AccessKeyID, records[0].AccessKeyID, "the emulator verified the signature: the user's Authorization did not replace it")
	assert.NotContains(t, records[0].SignedHeaders, "cookie", "cookies are added after signing")

	ds = authDataSource(t, nil, keysOf(stackKey))
	ds.URL = wsURL
	resp, err = st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), grafanaHeaders, rangeQuery("A", "fixture_up"))
	require.NoError(t, err)
	require.Empty(t, resp["A"].Error)
	assert.Empty(t, rec.headers()[1].Get("Cookie"), "no keepCookies, no cookies")

	secure["httpHeaderValue1"] = "20260101T000000Z"
	ds = authDataSource(t, map[string]any{"httpHeaderName1": "X-Amz-Date"}, secure)
	ds.URL = wsURL
	resp, err = st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, rangeQuery("A", "fixture_up"))
	require.NoError(t, err)
	assert.Contains(t, resp["A"].Error, "sets X-Amz-Date, which the SigV4 signer sets")
	assert.Equal(t, "downstream", resp["A"].ErrorSource)
	assert.Len(t, emu.Requests(), 2, "nothing reached AWS")
}
