package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
)

// Secret values of the scenarios below. Distinctive, so that a search for them cannot hit anything else.
const (
	leakAccessKeyID  = "ASIALEAKCHECK0000001"
	leakSecretKey    = "leak-check-secret-key-8f3a"
	leakSessionToken = "leak-check-session-token-5b2c"
	leakUser         = "LTAI5tLeakCheckUser"
	leakPassword     = "leak-check-basic-password-1d9e"
	leakToken        = "leak-check-header-token-7c4f"
)

// otherPrometheus stands in for a managed Prometheus that does not use SigV4 (Alibaba Cloud ARMS style): /token/
// wants "Authorization: Bearer <token>", /basic/ wants an AccessKey pair as basic auth, /open/ wants nothing.
// Refusals echo the Authorization header they got, as careless servers do, so the plugin must redact it.
func otherPrometheus(t *testing.T) *httptest.Server {
	t.Helper()
	upstream, err := url.Parse(st.Prometheus.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mode, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		user, pass, basicOK := r.BasicAuth()
		allowed := map[string]bool{
			"token": r.Header.Get("Authorization") == "Bearer "+leakToken,
			"basic": basicOK && user == leakUser && pass == leakPassword,
			"open":  r.Header.Get("Authorization") == "",
		}
		if !allowed[mode] {
			http.Error(w, "unauthorized: "+r.Header.Get("Authorization"), http.StatusUnauthorized)
			return
		}
		r.URL.Path = "/" + rest
		r.Header.Del("Authorization")
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// leakScenario is one data source that either works or fails in a way an admin can fix.
type leakScenario struct {
	name string
	ds   pluginhost.DataSource
	cfg  map[string]string
	// want is in the first line of a failing Save & test; empty means the scenario must pass.
	want string
}

// TestNoSecretLeaks runs passing and failing scenarios for every kind of secret through the built plugin and
// searches everything it returned or logged for the secret values.
func TestNoSecretLeaks(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	require.NoError(t, st.AMP.AddKey(ampemu.Key{AccessKeyID: leakAccessKeyID, SecretAccessKey: leakSecretKey, SessionToken: leakSessionToken}))
	other := otherPrometheus(t)
	sessionKeys := map[string]string{"sigV4AccessKey": leakAccessKeyID, "sigV4SecretKey": leakSecretKey, "sigV4SessionToken": leakSessionToken}
	wrongSecret := map[string]string{"sigV4AccessKey": leakAccessKeyID, "sigV4SecretKey": leakSecretKey + "-wrong", "sigV4SessionToken": leakSessionToken}
	tokenDS := func(token string) pluginhost.DataSource {
		ds := authDataSource(t, map[string]any{"sigV4Auth": false, "httpHeaderName1": "Authorization"}, map[string]string{"httpHeaderValue1": "Bearer " + token})
		ds.URL = other.URL + "/token/"
		return ds
	}
	basicDS := func(password string) pluginhost.DataSource {
		ds := authDataSource(t, map[string]any{"sigV4Auth": false}, map[string]string{"basicAuthPassword": password})
		ds.URL, ds.BasicAuth, ds.BasicAuthUser = other.URL+"/basic/", true, leakUser
		return ds
	}
	openDS := authDataSource(t, map[string]any{"sigV4Auth": false}, nil)
	openDS.URL = other.URL + "/open/"
	defaults := pluginhost.GrafanaConfig(nil)

	scenarios := []leakScenario{
		{name: "temporary keys", ds: authDataSource(t, nil, sessionKeys), cfg: defaults},
		{name: "temporary keys, wrong secret", ds: authDataSource(t, nil, wrongSecret), cfg: defaults, want: "check the secret access key"},
		{name: "keys not allowed", ds: authDataSource(t, nil, sessionKeys), cfg: allow("default"), want: "allowed_auth_providers"},
		{name: "assume role", ds: authDataSource(t, map[string]any{"sigV4AssumeRoleArn": roleARN, "sigV4ExternalId": "ext-123"}, keysOf(stackKey)), cfg: defaults},
		{name: "token header", ds: tokenDS(leakToken), cfg: defaults},
		{name: "wrong token header", ds: tokenDS(leakToken + "-wrong"), cfg: defaults, want: "rejected the token in the Authorization header"},
		{name: "basic auth with an AccessKey pair", ds: basicDS(leakPassword), cfg: defaults},
		{name: "wrong basic password", ds: basicDS(leakPassword + "-wrong"), cfg: defaults, want: "AliyunPrometheusMetricReadAccess"},
		{name: "no auth", ds: openDS, cfg: defaults},
	}
	var outputs []string
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h := checkHealthWith(t, env.Plugin, sc.ds, sc.cfg)
			raw, err := json.Marshal(h.Details)
			require.NoError(t, err)
			outputs = append(outputs, h.Message, string(raw))
			resp := queryOnce(t, env.Stack, sc.ds, sc.cfg)
			frames, err := json.Marshal(resp.Frames)
			require.NoError(t, err)
			outputs = append(outputs, resp.Error, string(frames))
			msgs, err := env.Plugin.CallResource(testContext(t), &pluginv2.CallResourceRequest{PluginContext: sc.ds.PluginContext(sc.cfg),
				Path: "api/v1/labels", Method: http.MethodGet, Url: "/api/v1/labels"})
			require.NoError(t, err)
			require.NotEmpty(t, msgs)
			for _, m := range msgs {
				outputs = append(outputs, string(m.Body))
			}
			if sc.want == "" {
				require.Equal(t, "OK", h.Status, h.Message)
				assert.Empty(t, resp.Error)
				assert.NotEmpty(t, resp.Frames)
				assert.Equal(t, int32(http.StatusOK), msgs[0].Code)
				return
			}
			assert.Equal(t, "ERROR", h.Status)
			first, _, _ := strings.Cut(h.Message, "\n")
			assert.Contains(t, first, sc.want)
			assert.NotEmpty(t, resp.Error)
		})
	}

	secrets := []string{leakSecretKey, leakSessionToken, leakPassword, leakToken,
		base64.StdEncoding.EncodeToString([]byte(leakUser + ":" + leakPassword)), base64.StdEncoding.EncodeToString([]byte(leakUser + ":" + leakPassword + "-wrong")),
		stackKey.SecretAccessKey}
	issued := env.issuedCredentials()
	require.NotEmpty(t, issued, "the assume-role scenario got temporary credentials")
	for _, is := range issued {
		secrets = append(secrets, is.SecretAccessKey, is.SessionToken)
	}
	log := env.stderr.String()
	require.Contains(t, log, `"@level":"debug"`, "the plugin logged at debug level, so the search covers every level")
	outputs = append(outputs, log)
	for i, out := range outputs {
		for _, secret := range secrets {
			assert.NotContains(t, out, secret, "output %d leaks a secret", i)
		}
	}
}
