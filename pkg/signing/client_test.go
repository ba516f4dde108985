package signing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

const (
	accessKey = "AKIAIOSFODNN7EXAMPLE"
	secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	workspace = "ws-1"
)

// isolateAWS keeps the developer's AWS environment out of the test; AWS_CA_BUNDLE alone breaks every signing call.
func isolateAWS(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			require.NoError(t, os.Unsetenv(k))
		}
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

type recorder struct {
	mu      sync.Mutex
	headers []http.Header
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.headers = append(r.headers, req.Header.Clone())
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
}

func startEmulator(t *testing.T) (*ampemu.Emulator, *recorder) {
	t.Helper()
	rec := &recorder{}
	upstream := httptest.NewServer(rec)
	t.Cleanup(upstream.Close)
	emu, err := ampemu.Start(ampemu.Config{Upstream: upstream.URL, Region: "eu-west-1", Workspaces: []string{workspace},
		Keys: []ampemu.Key{{AccessKeyID: accessKey, SecretAccessKey: secretKey}}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = emu.Close() })
	return emu, rec
}

func settingsFor(t *testing.T, url, jsonData string) *models.Settings {
	t.Helper()
	s, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: url, JSONData: []byte(jsonData),
		DecryptedSecureJSONData: map[string]string{"sigV4AccessKey": accessKey, "sigV4SecretKey": secretKey}})
	require.NoError(t, err)
	return s
}

func TestSignedClientSurvivesForwardedCredentials(t *testing.T) {
	isolateAWS(t)
	emu, rec := startEmulator(t)
	s := settingsFor(t, emu.WorkspaceURL(workspace), `{"sigV4AuthType":"keys","sigV4Region":"eu-west-1","forwardGrafanaUserHeader":true,
		"httpHeaderName1":"X-Custom"}`)
	s.Headers.Set("X-Custom", "yes")
	client, err := NewClient(s, NewAWSConfigs(s, nil))
	require.NoError(t, err)

	ctx := WithGrafanaUser(context.Background(), "alice")
	// A forwarded OAuth token and cookie, as Grafana's header forwarding would add them before signing.
	ctx = httpclient.WithContextualMiddleware(ctx, httpclient.MiddlewareFunc(func(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
		return httpclient.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			r.Header.Set("Authorization", "Bearer user-token")
			r.Header.Set("Cookie", "grafana_session=abc")
			return next.RoundTrip(r)
		})
	}))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, emu.WorkspaceURL(workspace)+"api/v1/labels", strings.NewReader("match%5B%5D=up"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "the SigV4 signature must survive forwarded credentials")

	records := emu.Requests()
	require.Len(t, records, 1)
	assert.Equal(t, accessKey, records[0].AccessKeyID)
	assert.Equal(t, []string{"content-length", "host", "x-amz-date"}, records[0].SignedHeaders)
	require.Len(t, rec.headers, 1)
	assert.Equal(t, "alice", rec.headers[0].Get("X-Grafana-User"), "added after signing")
	assert.Equal(t, "yes", rec.headers[0].Get("X-Custom"))
	assert.Empty(t, rec.headers[0].Get("Cookie"))
}

func TestUnsignedClientWhenSigV4IsOff(t *testing.T) {
	isolateAWS(t)
	emu, _ := startEmulator(t)
	s, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: emu.WorkspaceURL(workspace), JSONData: []byte(`{"sigV4Auth":false}`)})
	require.NoError(t, err)
	client, err := NewClient(s, NewAWSConfigs(s, nil))
	require.NoError(t, err)
	resp, err := client.Get(emu.WorkspaceURL(workspace) + "api/v1/labels")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "MissingAuthenticationTokenException", emu.Requests()[0].ErrorType)
}

func TestSigningChainKeepsTheSDKDefaults(t *testing.T) {
	opts := httpclient.Options{SigV4: &httpclient.SigV4Config{}}
	chain := insertAfterContextual(httpclient.DefaultMiddlewares(), signingChain(opts, NewAWSConfigs(nil, nil), true))
	var names []string
	for _, m := range chain {
		if n, ok := m.(httpclient.MiddlewareName); ok {
			names = append(names, n.MiddlewareName())
		}
	}
	ctx := slices.Index(names, httpclient.ContextualMiddlewareName)
	require.GreaterOrEqual(t, ctx, 0)
	assert.Equal(t, []string{dropCredentialsName, "sigv4", grafanaUserName}, names[ctx+1:ctx+4])
	assert.Len(t, chain, len(httpclient.DefaultMiddlewares())+3, "no SDK default middleware may be dropped")

	noSigV4 := insertAfterContextual(httpclient.DefaultMiddlewares(), signingChain(httpclient.Options{}, nil, false))
	assert.Len(t, noSigV4, len(httpclient.DefaultMiddlewares()))

	var full []string
	for _, m := range insertAfterContextual(httpclient.DefaultMiddlewares(), pluginChain(opts, NewAWSConfigs(nil, nil), true, nil)) {
		if n, ok := m.(httpclient.MiddlewareName); ok {
			full = append(full, n.MiddlewareName())
		}
	}
	assert.Equal(t, []string{retryName, dropCredentialsName, "sigv4", grafanaUserName, redactName}, full[ctx+1:ctx+6],
		"retries run before signing, so each attempt is signed again; redaction sees the raw answer")
	assert.Equal(t, names[ctx+4:], full[ctx+6:], "the SDK's middlewares after the contextual one stay in place")
}
