package migrate

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthenticationErrors(t *testing.T) {
	g := grafana(t)
	for _, tc := range []struct {
		name, token string
		args        []string
		code        int
		want        []string
	}{
		{"invalid token", "glsa_not_a_real_token_000", []string{"status"}, ExitFatal,
			[]string{"401 Unauthorized (Invalid API key)", "Create a service account token"}},
		{"expired token", expiredToken, []string{"rollback", "--apply"}, ExitFatal,
			[]string{"401 Unauthorized (Expired API key)", "GRAFANA_TOKEN"}},
		{"no read permission", noReadToken, []string{"status"}, ExitFatal,
			[]string{"403 Forbidden: the service account lacks the permission datasources:read"}},
		{"no write permission", readerToken, []string{"rollback", "--apply"}, ExitFailed,
			[]string{"1 of 2 failed: amp-migrated"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, g.URL(), tc.token, tc.args...)
			assert.Equal(t, tc.code, r.code, r.stdout+r.stderr)
			for _, w := range tc.want {
				assert.Contains(t, r.stderr, w)
			}
		})
	}
	r := runCLI(t, g.URL(), readerToken, "rollback", "--apply")
	assert.Contains(t, r.stdout, "PUT /api/datasources/uid/amp-migrated: 403 Forbidden: the service account lacks the permission datasources:write")
	ds, _ := g.DataSource("amp-migrated")
	assert.Equal(t, PluginType, ds.Type)
}

func TestRetriesServerErrorsWithBackoff(t *testing.T) {
	g := grafana(t)
	c, err := NewClient(Config{URL: g.URL(), Token: adminToken, Backoff: time.Millisecond})
	require.NoError(t, err)
	var delays []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { delays = append(delays, d); return nil }

	g.FailNext("GET", "/api/datasources", http.StatusBadGateway, 2)
	items, err := c.ListDataSources(context.Background())
	require.NoError(t, err)
	assert.Len(t, items, 8)
	assert.Equal(t, []time.Duration{time.Millisecond, 2 * time.Millisecond}, delays, "exponential backoff")

	delays = nil
	g.FailNext("GET", "/api/datasources", http.StatusServiceUnavailable, 10)
	_, err = c.ListDataSources(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusServiceUnavailable, ae.Status)
	assert.Len(t, delays, 3, "bounded: four attempts in all")
	assert.Contains(t, err.Error(), "503 Service Unavailable after 4 attempts")
	assert.Contains(t, err.Error(), "check Grafana's logs")

	delays = nil
	g.FailNext("PUT", "/api/datasources/uid/amp-migrated", http.StatusNotFound, 1)
	err = c.UpdateDataSource(context.Background(), "amp-migrated", DataSource{})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.Status)
	assert.Empty(t, delays, "4xx answers are not retried")
}

func TestNotFound(t *testing.T) {
	g := grafana(t)
	c, err := NewClient(Config{URL: g.URL(), Token: adminToken})
	require.NoError(t, err)
	_, _, err = c.GetDashboard(context.Background(), "missing")
	assert.EqualError(t, err, "GET /api/dashboards/uid/missing: 404 Not Found: Dashboard not found")
	_, err = c.GetDataSource(context.Background(), "missing")
	assert.EqualError(t, err, "GET /api/datasources/uid/missing: 404 Not Found: Data source not found")
}

func TestTLSErrors(t *testing.T) {
	g := grafana(t)
	srv := httptest.NewTLSServer(g.Handler())
	t.Cleanup(srv.Close)

	r := runCLI(t, srv.URL, adminToken, "status")
	assert.Equal(t, ExitFatal, r.code)
	assert.Contains(t, r.stderr, "TLS error talking to "+srv.Listener.Addr().String())
	assert.Contains(t, r.stderr, "signed by an unknown authority")
	assert.Contains(t, r.stderr, "--ca-file")

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := srv.Certificate()
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600))
	r = runCLI(t, srv.URL, adminToken, "status", "--ca-file", caFile)
	assert.Equal(t, ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "amp-migrated")

	plain := httptest.NewServer(g.Handler())
	t.Cleanup(plain.Close)
	r = runCLI(t, "https://"+plain.Listener.Addr().String(), adminToken, "status")
	assert.Equal(t, ExitFatal, r.code)
	assert.Contains(t, r.stderr, "does not speak TLS")
}

func TestConnectionErrors(t *testing.T) {
	r := runCLI(t, "http://grafana.example.invalid:3000", adminToken, "status")
	assert.Equal(t, ExitFatal, r.code)
	assert.Contains(t, r.stderr, "cannot resolve grafana.example.invalid:3000 (DNS: no such host)")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := NewClient(Config{URL: "http://" + addr, Token: adminToken, Attempts: 2, Backoff: time.Millisecond})
	require.NoError(t, err)
	err = c.Health(context.Background())
	var ce *ConnError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, KindRefused, ce.Kind)
	assert.Contains(t, err.Error(), "connection refused; check that Grafana runs")
	assert.True(t, IsFatal(err))

	redirect := httptest.NewServer(http.RedirectHandler("/login", http.StatusFound))
	t.Cleanup(redirect.Close)
	r = runCLI(t, redirect.URL, adminToken, "status")
	assert.Equal(t, ExitFatal, r.code)
	assert.Contains(t, r.stderr, "302 redirect")
}

func TestTokenIsRedacted(t *testing.T) {
	e := newAPIError("GET", "/api/datasources", http.StatusBadRequest, []byte(`{"message":"bad header Bearer `+adminToken+`"}`), adminToken)
	assert.NotContains(t, e.Error(), adminToken)
	assert.Contains(t, e.Error(), "[REDACTED]")
	err := classifyTransport(errors.New("dial: "+adminToken), "h", adminToken)
	assert.NotContains(t, err.Error(), adminToken)

	// The token reaches Grafana only in the Authorization header.
	g := grafana(t)
	runCLI(t, g.URL(), adminToken, "rollback", "--apply")
	for _, req := range g.Requests() {
		assert.NotContains(t, string(req.Body)+req.RawQuery+req.Path, adminToken)
		if req.Path != "/api/health" {
			assert.Equal(t, "Bearer "+adminToken, req.Authorization)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	g := grafana(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no command", nil, nil, "Usage: ampmigrate"},
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"token flag", nil, []string{"status", "--token", adminToken}, "tokens are not accepted as flag values"},
		{"token flag with =", nil, []string{"rollback", "--token=" + adminToken}, "set GRAFANA_TOKEN or pass --token-file"},
		{"no url", map[string]string{"GRAFANA_TOKEN": adminToken}, []string{"status"}, "GRAFANA_URL is not set"},
		{"bad url", map[string]string{"GRAFANA_URL": "grafana:3000", "GRAFANA_TOKEN": adminToken}, []string{"status"}, "is not an http(s) URL"},
		{"no token", map[string]string{"GRAFANA_URL": g.URL()}, []string{"status"}, "no token: set GRAFANA_TOKEN or pass --token-file"},
		{"missing token file", map[string]string{"GRAFANA_URL": g.URL()}, []string{"status", "--token-file", "/nonexistent/token"}, "--token-file: open /nonexistent/token"},
		{"retarget without target", nil, []string{"dashboard", "retarget", "--uid", "x"}, "needs --datasource UID"},
		{"unknown dashboard command", nil, []string{"dashboard", "export"}, "ampmigrate dashboard retarget"},
		{"extra argument", map[string]string{"GRAFANA_URL": g.URL(), "GRAFANA_TOKEN": adminToken}, []string{"rollback", "amp-migrated"}, `unexpected argument "amp-migrated"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), tc.args, func(k string) string { return tc.env[k] }, &stdout, &stderr)
			assert.Equal(t, ExitFatal, code)
			assert.Contains(t, stderr.String(), tc.want)
			assert.NotContains(t, stdout.String()+stderr.String(), adminToken)
		})
	}
}

func TestTokenFile(t *testing.T) {
	g := grafana(t)
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte(readerToken+"\n"), 0o600))
	env := map[string]string{"GRAFANA_URL": g.URL(), "GRAFANA_TOKEN": "glsa_wrong_env_token"}
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"status", "--token-file", path}, func(k string) string { return env[k] }, &stdout, &stderr)
	require.Equal(t, ExitOK, code, stderr.String())
	assert.Contains(t, stdout.String(), "amp-migrated")
	for _, req := range g.Requests() {
		if req.Path == "/api/datasources" {
			assert.Equal(t, "Bearer "+readerToken, req.Authorization, "the file wins over the environment")
		}
	}
}
