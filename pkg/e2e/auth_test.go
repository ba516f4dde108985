package e2e

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/awsfake"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// Roles the fake STS knows. The auth tests cover aws-auth.md 4.5 through the built plugin.
const (
	roleARN        = "arn:aws:iam::123456789012:role/grafana-amp"
	grafanaRoleARN = "arn:aws:iam::123456789012:role/grafana-stack"
	webRoleARN     = "arn:aws:iam::123456789012:role/grafana-irsa"
	webToken       = "oidc-token-example"
)

// Keys the auth tests register with the shared emulator, in AWS's example format; none is a real credential.
var (
	envKey         = ampemu.Key{AccessKeyID: "AKIAENVEXAMPLE000001", SecretAccessKey: "env-secret-example"}
	profileKey     = ampemu.Key{AccessKeyID: "AKIAPROFILEAMP000001", SecretAccessKey: "profile-amp-secret"}
	defaultKey     = ampemu.Key{AccessKeyID: "AKIAPROFILEDEF000001", SecretAccessKey: "profile-default-secret"}
	grafanaBaseKey = ampemu.Key{AccessKeyID: "AKIAGRAFANABASE00001", SecretAccessKey: "grafana-base-secret"}
	queryOnlyKey   = ampemu.Key{AccessKeyID: "AKIAQUERYONLY0000001", SecretAccessKey: "query-only-secret", Actions: []string{ampemu.ActionQueryMetrics}}
	noActionsKey   = ampemu.Key{AccessKeyID: "AKIANOACTIONS0000001", SecretAccessKey: "no-actions-secret", Actions: []string{}}
	stackKey       = ampemu.Key{AccessKeyID: stack.AccessKeyID, SecretAccessKey: stack.SecretAccessKey}
)

// authEnv is a plugin process with its own AWS environment, sharing the package's Prometheus and emulator. Its
// Stack only borrows those: the test's cleanup stops the process and the fakes, never the shared stack.
type authEnv struct {
	*stack.Stack
	sts    *awsfake.STS
	stderr *syncBuffer

	mu     sync.Mutex
	issued []awsfake.Issued
}

// issuedCredentials returns the temporary credentials STS handed out so far.
func (e *authEnv) issuedCredentials() []awsfake.Issued {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]awsfake.Issued(nil), e.issued...)
}

type authOptions struct {
	// stsRegion is the region STS requests must be signed for; default the stack's.
	stsRegion string
	// lifetime of STS-issued credentials; zero means the requested duration.
	lifetime time.Duration
	// callers are further keys STS accepts, so that Save & test can show their identity.
	callers []awsfake.Credentials
	// env is added after the defaults: an isolated AWS environment with the fake STS and a credentials file
	// holding the profiles default, amp and assume_role_credentials.
	env []string
}

func startAuthEnv(t *testing.T, opts authOptions) *authEnv {
	t.Helper()
	// grafana_assume_role reads base keys from this fixed path first; the tests rely on the profile instead.
	require.NoDirExists(t, "/tmp/aws.credentials", "grafana_assume_role would read it instead of the test profile")
	for _, k := range []ampemu.Key{envKey, profileKey, defaultKey, grafanaBaseKey, queryOnlyKey, noActionsKey} {
		require.NoError(t, st.AMP.AddKey(k))
	}
	if opts.stsRegion == "" {
		opts.stsRegion = st.Region
	}
	env := &authEnv{}
	var callers []awsfake.Caller
	for _, k := range []ampemu.Key{stackKey, envKey, profileKey, defaultKey, grafanaBaseKey} {
		callers = append(callers, awsfake.Caller{Credentials: awsfake.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}})
	}
	for _, c := range opts.callers {
		callers = append(callers, awsfake.Caller{Credentials: c, ARN: "arn:aws:sts::123456789012:assumed-role/workload/" + c.AccessKeyID})
	}
	sts, err := awsfake.StartSTS(awsfake.STSConfig{
		Region:  opts.stsRegion,
		Callers: callers,
		Roles: []awsfake.Role{
			{ARN: roleARN, ExternalID: "ext-123"},
			{ARN: grafanaRoleARN, ExternalID: "stack-ext-id", Trusted: []string{grafanaBaseKey.AccessKeyID}},
			{ARN: webRoleARN, WebIdentityToken: webToken},
		},
		Lifetime: opts.lifetime,
		OnIssue: func(is awsfake.Issued) error {
			env.mu.Lock()
			env.issued = append(env.issued, is)
			env.mu.Unlock()
			return st.AMP.AddKey(ampemu.Key{AccessKeyID: is.AccessKeyID, SecretAccessKey: is.SecretAccessKey, SessionToken: is.SessionToken})
		},
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sts.Close()) })

	dir := t.TempDir()
	credentials := "[default]\naws_access_key_id = " + defaultKey.AccessKeyID + "\naws_secret_access_key = " + defaultKey.SecretAccessKey +
		"\n[amp]\naws_access_key_id = " + profileKey.AccessKeyID + "\naws_secret_access_key = " + profileKey.SecretAccessKey +
		"\n[assume_role_credentials]\naws_access_key_id = " + grafanaBaseKey.AccessKeyID + "\naws_secret_access_key = " + grafanaBaseKey.SecretAccessKey + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials"), []byte(credentials), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config"), nil, 0o600))
	vars := append(stack.PluginEnv(), "AWS_ENDPOINT_URL_STS="+sts.URL(),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"), "AWS_CONFIG_FILE="+filepath.Join(dir, "config"))
	env.sts, env.stderr = sts, &syncBuffer{}
	p := launchPlugin(t, env.stderr, append(vars, opts.env...))
	env.Stack = &stack.Stack{Root: st.Root, Region: st.Region, Prometheus: st.Prometheus, AMP: st.AMP, Plugin: p}
	return env
}

// launchPlugin starts the built plugin with exactly env (later entries win) and stops it at the end of the test.
func launchPlugin(t *testing.T, stderr *syncBuffer, env []string) *pluginhost.Plugin {
	t.Helper()
	exe, err := stack.PluginExecutable(st.Root)
	require.NoError(t, err)
	p, err := pluginhost.Launch(testContext(t), exe, pluginhost.LaunchOptions{Env: env, Stderr: stderr})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

// allow is the Grafana config of a forwarded plugin whose [aws] allowed_auth_providers lists types.
func allow(types string, more ...string) map[string]string {
	overrides := map[string]string{pluginhost.AWSAllowedAuthProviders: types}
	for i := 0; i+1 < len(more); i += 2 {
		overrides[more[i]] = more[i+1]
	}
	return pluginhost.GrafanaConfig(overrides)
}

// authDataSource is the seed example (emulated workspace, us-east-2, POST) with jsonData edits and exactly the
// given secure fields.
func authDataSource(t *testing.T, edit map[string]any, secure map[string]string) pluginhost.DataSource {
	t.Helper()
	ds := dataSource(t, seedExample, edit)
	ds.SecureJSONData = map[string]string{}
	for k, v := range secure {
		ds.SecureJSONData[k] = v
	}
	return ds
}

func keysOf(k ampemu.Key) map[string]string {
	return map[string]string{"sigV4AccessKey": k.AccessKeyID, "sigV4SecretKey": k.SecretAccessKey}
}

// healthAnswer is Save & test's answer with its JSON details decoded.
type healthAnswer struct {
	Status, Message string
	Details         struct {
		Steps []struct {
			Name, Status, Message string
		} `json:"steps"`
		VerboseMessage   string `json:"verboseMessage"`
		Identity         string `json:"identity"`
		CredentialSource string `json:"credentialSource"`
		Region           string `json:"region"`
		WorkspaceID      string `json:"workspaceId"`
	}
}

func (h healthAnswer) step(name string) string {
	for _, s := range h.Details.Steps {
		if s.Name == name {
			return s.Status + ": " + s.Message
		}
	}
	return ""
}

func checkHealthWith(t *testing.T, p *pluginhost.Plugin, ds pluginhost.DataSource, cfg map[string]string) healthAnswer {
	t.Helper()
	res, err := p.CheckHealth(testContext(t), ds.PluginContext(cfg), nil)
	require.NoError(t, err)
	out := healthAnswer{Status: res.Status.String(), Message: res.Message}
	require.NoError(t, json.Unmarshal(res.JsonDetails, &out.Details), string(res.JsonDetails))
	return out
}

// queryOnce runs one range query and returns its answer.
func queryOnce(t *testing.T, s *stack.Stack, ds pluginhost.DataSource, cfg map[string]string) stack.Response {
	t.Helper()
	resp, err := s.QueryData(testContext(t), ds, cfg, nil, rangeQuery("A", "fixture_up"))
	require.NoError(t, err)
	return resp["A"]
}

// signedWith asserts that every request the emulator saw was accepted and signed with accessKeyID (a prefix
// such as "ASIA" for issued keys).
func signedWith(t *testing.T, accessKeyID string) []ampemu.Record {
	t.Helper()
	records := st.AMP.Requests()
	require.NotEmpty(t, records)
	for _, r := range records {
		assert.Equal(t, http.StatusOK, r.Status, "%s %s: %s", r.Method, r.Path, r.ErrorType)
		assert.True(t, strings.HasPrefix(r.AccessKeyID, accessKeyID), "signed with %q, want %q", r.AccessKeyID, accessKeyID)
	}
	return records
}

func TestAuthStaticKeysAndProfiles(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	defaults := pluginhost.GrafanaConfig(nil)

	t.Run("1 keys POST query_range", func(t *testing.T) {
		st.AMP.Reset()
		resp := queryOnce(t, env.Stack, authDataSource(t, nil, keysOf(stackKey)), defaults)
		require.Empty(t, resp.Error)
		assert.Len(t, resp.Frames, 3)
		records := signedWith(t, stack.AccessKeyID)
		assert.Equal(t, "/api/v1/query_range", records[0].Path)
		assert.Equal(t, []string{"content-length", "host", "x-amz-date"}, records[0].SignedHeaders)
	})
	t.Run("2 keys GET labels with two mixed match[]", func(t *testing.T) {
		st.AMP.Reset()
		ds := authDataSource(t, map[string]any{"httpMethod": "GET"}, keysOf(stackKey))
		query := url.Values{"match[]": {"fixture_up", `{job="api"}`}}.Encode()
		msgs, err := env.Plugin.CallResource(testContext(t), &pluginv2.CallResourceRequest{PluginContext: ds.PluginContext(defaults),
			Path: "api/v1/labels", Method: http.MethodGet, Url: "/api/v1/labels?" + query})
		require.NoError(t, err)
		require.NotEmpty(t, msgs)
		require.Equal(t, int32(http.StatusOK), msgs[0].Code, string(msgs[0].Body))
		records := signedWith(t, stack.AccessKeyID)
		assert.Equal(t, []string{"host", "x-amz-date"}, records[0].SignedHeaders)
		assert.Contains(t, records[0].RawQuery, "match%5B%5D=")
	})
	t.Run("9 credentials profiles", func(t *testing.T) {
		for profile, key := range map[string]string{"amp": profileKey.AccessKeyID, "": defaultKey.AccessKeyID} {
			st.AMP.Reset()
			ds := authDataSource(t, map[string]any{"sigV4AuthType": "credentials", "sigV4Profile": profile}, nil)
			h := checkHealthWith(t, env.Plugin, ds, defaults)
			require.Equal(t, "OK", h.Status, h.Message)
			assert.Contains(t, h.step("Credentials"), "shared credentials file")
			assert.Equal(t, "arn:aws:iam::123456789012:user/"+key, h.Details.Identity)
			signedWith(t, key)
		}
		st.AMP.Reset()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, map[string]any{"sigV4AuthType": "credentials", "sigV4Profile": "missing"}, nil), defaults)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "failed to get shared config profile, missing")
		assert.Contains(t, h.Message, `Profile "missing" is not in the shared config or credentials files`)
		assert.Empty(t, st.AMP.Requests())
	})
}

func TestAuthGrafanaPolicy(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	tests := []struct {
		name   string
		edit   map[string]any
		secure map[string]string
		cfg    map[string]string
		want   []string
	}{
		{"4 keys not allowed", nil, keysOf(stackKey), allow("default"),
			[]string{"non-allowed auth method keys", "[aws] allowed_auth_providers allows default", "add keys"}},
		{"5 assume role disabled", map[string]any{"sigV4AssumeRoleArn": roleARN}, keysOf(stackKey),
			allow("keys", pluginhost.AWSAssumeRoleEnabled, "false"), []string{"assume role but it is disabled", "[aws] assume_role_enabled = true"}},
		{"6 no Grafana config rejects ec2_iam_role", map[string]any{"sigV4AuthType": "ec2_iam_role"}, nil, nil,
			[]string{"non-allowed auth method ec2_iam_role", "did not forward", "add grafana-amazonprometheus-datasource to [aws] forward_settings_to_plugins"}},
		{"8 unknown auth type even when allowed", map[string]any{"sigV4AuthType": "bogus"}, nil, allow("bogus"),
			[]string{`"bogus" is not a known auth type`, "use one of default, keys, credentials, ec2_iam_role, grafana_assume_role"}},
		{"16 basic auth with SigV4", map[string]any{"basicAuth": true, "basicAuthUser": "u"}, keysOf(stackKey), nil,
			[]string{"basicAuth is on together with SigV4", "turn basic auth off"}},
		{"17 region neither set nor in the URL", map[string]any{"sigV4Region": nil}, keysOf(stackKey), nil,
			[]string{"jsonData.sigV4Region is empty", "does not name a region"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			env.sts.Reset()
			ds := authDataSource(t, tc.edit, tc.secure)
			h := checkHealthWith(t, env.Plugin, ds, tc.cfg)
			assert.Equal(t, "ERROR", h.Status)
			resp := queryOnce(t, env.Stack, ds, tc.cfg)
			for _, w := range tc.want {
				assert.Contains(t, h.Message, w)
				assert.Contains(t, resp.Error, w, "queries fail with the same explanation")
			}
			assert.Equal(t, "downstream", resp.ErrorSource)
			assert.Empty(t, st.AMP.Requests(), "nothing may reach AWS")
			assert.Empty(t, env.sts.Calls(), "nothing may reach STS")
		})
	}
	t.Run("6 no Grafana config still allows keys, with a note", func(t *testing.T) {
		st.AMP.Reset()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, nil, keysOf(stackKey)), nil)
		require.Equal(t, "OK", h.Status, h.Message)
		assert.Contains(t, h.step("Credentials"), "warning: ")
		assert.Contains(t, h.step("Credentials"), "forward_settings_to_plugins")
	})
}

func TestAuthAssumeRole(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	defaults := pluginhost.GrafanaConfig(nil)

	t.Run("13 external ID, three queries, one STS call", func(t *testing.T) {
		st.AMP.Reset()
		ds := authDataSource(t, map[string]any{"sigV4AssumeRoleArn": roleARN, "sigV4ExternalId": "ext-123"}, keysOf(stackKey))
		for range 3 {
			require.Empty(t, queryOnce(t, env.Stack, ds, defaults).Error)
		}
		h := checkHealthWith(t, env.Plugin, ds, defaults)
		require.Equal(t, "OK", h.Status, h.Message)
		assert.Equal(t, "Successfully queried the Prometheus API.\n"+h.Details.VerboseMessage, h.Message, "first line, then the step report")
		records := signedWith(t, "ASIA")
		assert.Equal(t, []string{"content-length", "host", "x-amz-date", "x-amz-security-token"}, records[0].SignedHeaders)
		require.Equal(t, 1, env.sts.Count(awsfake.ActionAssumeRole), "credentials are cached per instance")
		call := env.sts.Calls()[0]
		assert.Equal(t, stack.AccessKeyID, call.AccessKeyID, "the data source's keys are the base credentials")
		assert.Equal(t, st.Region, call.Region, "STS is called in the data source's region")
		assert.Equal(t, roleARN, call.Form.Get("RoleArn"))
		assert.Equal(t, "ext-123", call.Form.Get("ExternalId"))
		assert.Equal(t, "900", call.Form.Get("DurationSeconds"))
		assert.Equal(t, "AssumeRoleProvider", h.Details.CredentialSource)
		assert.Contains(t, h.Details.Identity, "arn:aws:sts::123456789012:assumed-role/grafana-amp/")
		assert.Contains(t, h.step("Credentials"), "role "+roleARN)
	})
	t.Run("14 wrong external ID", func(t *testing.T) {
		st.AMP.Reset()
		ds := authDataSource(t, map[string]any{"sigV4AssumeRoleArn": roleARN, "sigV4ExternalId": "not-it"}, keysOf(stackKey))
		h := checkHealthWith(t, env.Plugin, ds, defaults)
		assert.Equal(t, "ERROR", h.Status)
		for _, w := range []string{"AssumeRole", "AccessDenied", "STS denied sts:AssumeRole on " + roleARN, "trust policy", `external ID sent ("not-it")`} {
			assert.Contains(t, h.Message, w)
		}
		assert.True(t, strings.HasPrefix(h.step("Credentials"), "error: "))
		assert.True(t, strings.HasPrefix(h.step("Query 1+1"), "skipped: "))
		assert.Empty(t, st.AMP.Requests())
	})
	t.Run("15 grafana_assume_role uses the stack external ID and session duration", func(t *testing.T) {
		st.AMP.Reset()
		env.sts.Reset()
		ds := authDataSource(t, map[string]any{"sigV4AuthType": "grafana_assume_role", "sigV4AssumeRoleArn": grafanaRoleARN,
			"sigV4ExternalId": "ignored-id"}, nil)
		cfg := allow("default,keys,credentials,grafana_assume_role", pluginhost.AWSExternalID, "stack-ext-id", pluginhost.AWSSessionDuration, "1h")
		h := checkHealthWith(t, env.Plugin, ds, cfg)
		require.Equal(t, "OK", h.Status, h.Message)
		require.Equal(t, 1, env.sts.Count(awsfake.ActionAssumeRole))
		call := env.sts.Calls()[0]
		assert.Equal(t, grafanaBaseKey.AccessKeyID, call.AccessKeyID, "base keys from profile assume_role_credentials")
		assert.Equal(t, "stack-ext-id", call.Form.Get("ExternalId"))
		assert.Equal(t, "3600", call.Form.Get("DurationSeconds"))
		assert.Contains(t, h.step("Credentials"), "external ID is ignored with Grafana Assume Role")
		signedWith(t, "ASIA")
	})
	t.Run("caller identity denied is a warning", func(t *testing.T) {
		st.AMP.Reset()
		env.sts.DenyCallerIdentity(true)
		defer env.sts.DenyCallerIdentity(false)
		h := checkHealthWith(t, env.Plugin, authDataSource(t, nil, keysOf(stackKey)), defaults)
		require.Equal(t, "OK", h.Status, h.Message)
		assert.True(t, strings.HasPrefix(h.Message, "Successfully queried the Prometheus API.\n"))
		assert.Contains(t, h.step("Credentials"), "warning: ")
		assert.Contains(t, h.step("Credentials"), "sts:GetCallerIdentity")
		assert.Empty(t, h.Details.Identity)
	})
}

// 50 concurrent queries share one AssumeRole; the session is renewed before it expires; new settings or a new
// Grafana config build a new instance with its own session.
func TestAuthCredentialCaching(t *testing.T) {
	env := startAuthEnv(t, authOptions{lifetime: 4 * time.Second})
	defaults := pluginhost.GrafanaConfig(nil)
	st.AMP.Reset()
	ds := authDataSource(t, map[string]any{"sigV4AssumeRoleArn": roleARN, "sigV4ExternalId": "ext-123"}, keysOf(stackKey))
	var wg sync.WaitGroup
	errs := make([]string, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := env.QueryData(testContext(t), ds, defaults, nil, rangeQuery("A", "fixture_up"))
			if err != nil {
				errs[i] = err.Error()
				return
			}
			errs[i] = resp["A"].Error
		}()
	}
	wg.Wait()
	for _, e := range errs {
		require.Empty(t, e)
	}
	assert.Equal(t, 1, env.sts.Count(awsfake.ActionAssumeRole), "50 concurrent queries, one STS call")
	assert.Len(t, st.AMP.Requests(), 50)
	first := st.AMP.Requests()[0].AccessKeyID

	time.Sleep(3500 * time.Millisecond)
	require.Empty(t, queryOnce(t, env.Stack, ds, defaults).Error)
	assert.Equal(t, 2, env.sts.Count(awsfake.ActionAssumeRole), "the session is renewed")
	records := st.AMP.Requests()
	assert.NotEqual(t, first, records[len(records)-1].AccessKeyID)

	ds.LastUpdated = ds.LastUpdated.Add(time.Second)
	require.Empty(t, queryOnce(t, env.Stack, ds, defaults).Error)
	assert.Equal(t, 3, env.sts.Count(awsfake.ActionAssumeRole), "saved settings build a new instance")
	require.Empty(t, queryOnce(t, env.Stack, ds, allow("default,keys,credentials", pluginhost.AWSSessionDuration, "1h")).Error)
	require.Equal(t, 4, env.sts.Count(awsfake.ActionAssumeRole), "a new Grafana config builds a new instance")
	calls := env.sts.Calls()
	assert.Equal(t, "3600", calls[len(calls)-1].Form.Get("DurationSeconds"))
}

func TestAuthEnvironmentChain(t *testing.T) {
	env := startAuthEnv(t, authOptions{env: []string{"AWS_ACCESS_KEY_ID=" + envKey.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + envKey.SecretAccessKey}})
	cfg := allow("default,keys,credentials,ec2_iam_role")
	tests := []struct {
		name, source string
		edit         map[string]any
		key          string
	}{
		{"7 empty auth type means default", "EnvConfigCredentials", map[string]any{"sigV4AuthType": ""}, envKey.AccessKeyID},
		{"10 default", "EnvConfigCredentials", map[string]any{"sigV4AuthType": "default"}, envKey.AccessKeyID},
		{"10 ec2_iam_role falls back to the environment", "EnvConfigCredentials", map[string]any{"sigV4AuthType": "ec2_iam_role"}, envKey.AccessKeyID},
		{"9 named profile wins over the environment", "SharedConfigCredentials", map[string]any{"sigV4AuthType": "credentials", "sigV4Profile": "amp"}, profileKey.AccessKeyID},
		{"9 empty profile is the default chain", "EnvConfigCredentials", map[string]any{"sigV4AuthType": "credentials", "sigV4Profile": ""}, envKey.AccessKeyID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			h := checkHealthWith(t, env.Plugin, authDataSource(t, tc.edit, nil), cfg)
			require.Equal(t, "OK", h.Status, h.Message)
			assert.True(t, strings.HasPrefix(h.Details.CredentialSource, tc.source), h.Details.CredentialSource)
			assert.Equal(t, "arn:aws:iam::123456789012:user/"+tc.key, h.Details.Identity)
			signedWith(t, tc.key)
		})
	}
}

func TestAuthWorkloadCredentials(t *testing.T) {
	noFiles := []string{"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull, "AWS_CONFIG_FILE=" + os.DevNull}
	cfg := allow("default,keys,credentials,ec2_iam_role")
	check := func(t *testing.T, env *authEnv, authType, source string, key awsfake.Credentials) {
		t.Helper()
		require.NoError(t, st.AMP.AddKey(ampemu.Key{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey, SessionToken: key.SessionToken}))
		st.AMP.Reset()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, map[string]any{"sigV4AuthType": authType}, nil), cfg)
		require.Equal(t, "OK", h.Status, h.Message)
		assert.Equal(t, source, h.Details.CredentialSource)
		assert.Equal(t, "arn:aws:sts::123456789012:assumed-role/workload/"+key.AccessKeyID, h.Details.Identity, "signed with the session token")
		records := signedWith(t, key.AccessKeyID)
		assert.Contains(t, records[0].SignedHeaders, "x-amz-security-token")
	}

	t.Run("11 EC2 instance role through IMDS", func(t *testing.T) {
		creds := awsfake.NewTemporaryCredentials()
		imds, err := awsfake.StartIMDS(awsfake.IMDSConfig{Role: "grafana-instance", Credentials: creds})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, imds.Close()) })
		env := startAuthEnv(t, authOptions{callers: []awsfake.Credentials{creds}, env: append(noFiles, "AWS_EC2_METADATA_DISABLED=false", "AWS_EC2_METADATA_SERVICE_ENDPOINT="+imds.URL())})
		check(t, env, "ec2_iam_role", "EC2RoleProvider", creds)
		assert.Contains(t, imds.Requests(), "PUT /latest/api/token")
	})
	t.Run("12 EKS Pod Identity through the container endpoint", func(t *testing.T) {
		creds := awsfake.NewTemporaryCredentials()
		c, err := awsfake.StartContainer(awsfake.ContainerConfig{AuthorizationToken: "pod-identity-token", Credentials: creds})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, c.Close()) })
		tokenFile := filepath.Join(t.TempDir(), "eks-pod-identity-token")
		require.NoError(t, os.WriteFile(tokenFile, []byte("pod-identity-token"), 0o600))
		env := startAuthEnv(t, authOptions{callers: []awsfake.Credentials{creds},
			env: append(noFiles, "AWS_CONTAINER_CREDENTIALS_FULL_URI="+c.URL(), "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="+tokenFile)})
		check(t, env, "default", "CredentialsEndpointProvider", creds)
	})
	t.Run("12 ECS task role through the container endpoint", func(t *testing.T) {
		creds := awsfake.NewTemporaryCredentials()
		c, err := awsfake.StartContainer(awsfake.ContainerConfig{AuthorizationToken: "ecs-token", Credentials: creds})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, c.Close()) })
		env := startAuthEnv(t, authOptions{callers: []awsfake.Credentials{creds},
			env: append(noFiles, "AWS_CONTAINER_CREDENTIALS_FULL_URI="+c.URL(), "AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs-token")})
		check(t, env, "default", "CredentialsEndpointProvider", creds)
	})
	t.Run("EKS IRSA through web identity", func(t *testing.T) {
		tokenFile := filepath.Join(t.TempDir(), "token")
		require.NoError(t, os.WriteFile(tokenFile, []byte(webToken), 0o600))
		env := startAuthEnv(t, authOptions{env: append(noFiles, "AWS_ROLE_ARN="+webRoleARN, "AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile)})
		st.AMP.Reset()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, map[string]any{"sigV4AuthType": "default"}, nil), cfg)
		require.Equal(t, "OK", h.Status, h.Message)
		assert.Equal(t, "WebIdentityCredentials", h.Details.CredentialSource)
		assert.Equal(t, 1, env.sts.Count(awsfake.ActionAssumeRoleWithWebIdentity))
		assert.Contains(t, h.Details.Identity, "assumed-role/grafana-irsa/")
		signedWith(t, "ASIA")
	})
	t.Run("no credentials anywhere", func(t *testing.T) {
		env := startAuthEnv(t, authOptions{env: noFiles})
		st.AMP.Reset()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, map[string]any{"sigV4AuthType": "default"}, nil), cfg)
		assert.Equal(t, "ERROR", h.Status)
		for _, w := range []string{"No AWS credentials were found", "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set",
			"AWS_WEB_IDENTITY_TOKEN_FILE not set", "container credentials", "disabled by AWS_EC2_METADATA_DISABLED",
			"add grafana-amazonprometheus-datasource there"} {
			assert.Contains(t, h.Message, w)
		}
		assert.Empty(t, st.AMP.Requests())
	})
	t.Run("18 AWS_CA_BUNDLE", func(t *testing.T) {
		bundle := filepath.Join(t.TempDir(), "ca.pem")
		require.NoError(t, os.WriteFile(bundle, []byte("not a certificate"), 0o600))
		env := startAuthEnv(t, authOptions{env: []string{"AWS_CA_BUNDLE=" + bundle}})
		h := checkHealthWith(t, env.Plugin, authDataSource(t, nil, keysOf(stackKey)), cfg)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "AWS_CA_BUNDLE")
		assert.Contains(t, h.Message, "unset it")
	})
}

// Failures AWS answers, each with the cause and the fix in the Save & test message (aws-auth.md 4.5 #17, #20).
func TestAuthFailuresAreExplained(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	defaults := pluginhost.GrafanaConfig(nil)
	skewed, err := ampemu.Start(ampemu.Config{Upstream: st.Prometheus.URL, Region: st.Region, Workspaces: []string{stack.WorkspaceID},
		Keys: []ampemu.Key{stackKey}, Now: func() time.Time { return time.Now().Add(-20 * time.Minute) }})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, skewed.Close()) })
	tests := []struct {
		name   string
		edit   map[string]any
		secure map[string]string
		url    string
		step   string
		want   []string
	}{
		{name: "wrong service", edit: map[string]any{"sigv4Service": "execute-api"}, secure: keysOf(stackKey), step: "Query 1+1",
			want: []string{"InvalidSignatureException", `signed for service "execute-api"`, `set the SigV4 service to "aps"`}},
		{name: "wrong region", edit: map[string]any{"sigV4Region": "eu-west-1"}, secure: keysOf(stackKey), step: "Query 1+1",
			want: []string{"scoped to a valid region", `signed for region "eu-west-1"`}},
		{name: "clock 20 minutes ahead", secure: keysOf(stackKey), url: skewed.WorkspaceURL(stack.WorkspaceID), step: "Query 1+1",
			want: []string{"Signature not yet current", "clock skew", "NTP"}},
		{name: "unsigned", edit: map[string]any{"sigV4Auth": false}, step: "Query 1+1",
			want: []string{"MissingAuthenticationTokenException", "turn on SigV4"}},
		{name: "wrong secret", secure: map[string]string{"sigV4AccessKey": stack.AccessKeyID, "sigV4SecretKey": "wrong-secret-value"}, step: "Query 1+1",
			want: []string{"does not match", "check the secret access key"}},
		{name: "unknown key", secure: keysOf(ampemu.Key{AccessKeyID: "AKIAUNKNOWN000000001", SecretAccessKey: "x"}), step: "Query 1+1",
			want: []string{"UnrecognizedClientException", "does not recognise the access key ID"}},
		{name: "query denied", secure: keysOf(noActionsKey), step: "Query 1+1",
			want: []string{"AccessDeniedException", "lacks aps:QueryMetrics", "grant aps:QueryMetrics on arn:aws:aps:us-east-2:123456789012:workspace/" + stack.WorkspaceID}},
		{name: "labels denied", secure: keysOf(queryOnlyKey), step: "Labels",
			want: []string{"AccessDeniedException", "lacks aps:GetLabels", "grant aps:GetLabels on arn:aws:aps:us-east-2:123456789012:workspace/" + stack.WorkspaceID}},
		{name: "workspace not found", secure: keysOf(stackKey), url: st.AMP.WorkspaceURL("ws-00000000-0000-0000-0000-000000000000"), step: "Query 1+1",
			want: []string{"404", "ResourceNotFoundException", `Workspace "ws-00000000-0000-0000-0000-000000000000" was not found in region us-east-2`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			ds := authDataSource(t, tc.edit, tc.secure)
			if tc.url != "" {
				ds.URL = tc.url
			}
			h := checkHealthWith(t, env.Plugin, ds, defaults)
			assert.Equal(t, "ERROR", h.Status)
			first, _, _ := strings.Cut(h.Message, "\n")
			for _, w := range tc.want {
				assert.Contains(t, first, w, "the first line names cause and fix")
			}
			assert.True(t, strings.HasPrefix(h.step(tc.step), "error: "), h.step(tc.step))
		})
	}
	t.Run("timeout", func(t *testing.T) {
		st.AMP.Inject(ampemu.Slow(3 * time.Second))
		defer st.AMP.ClearFaults()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, map[string]any{"timeout": 1}, keysOf(stackKey)), defaults)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "timed out")
		assert.Contains(t, h.Message, "raise the timeout setting")
	})
	t.Run("TLS", func(t *testing.T) {
		tlsServer := httptest.NewUnstartedServer(http.NotFoundHandler())
		tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
		tlsServer.StartTLS()
		t.Cleanup(tlsServer.Close)
		ds := authDataSource(t, nil, keysOf(stackKey))
		ds.URL = tlsServer.URL + "/workspaces/" + stack.WorkspaceID + "/"
		h := checkHealthWith(t, env.Plugin, ds, defaults)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "certificate")
		assert.Contains(t, h.Message, "TLS certificate is not trusted")
	})
}

// The seed example pairs a us-west-2 workspace URL with sigV4Region us-east-2. The URL's region wins and Save &
// test says so. An HTTP proxy (the emulator) stands in for AWS, so the real host name is kept.
func TestAuthSeedExampleRegionMismatch(t *testing.T) {
	westEmu, err := ampemu.Start(ampemu.Config{Upstream: st.Prometheus.URL, Region: "us-west-2", Workspaces: []string{stack.WorkspaceID}, Keys: []ampemu.Key{stackKey}})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, westEmu.Close()) })
	env := startAuthEnv(t, authOptions{stsRegion: "us-west-2", env: []string{"HTTP_PROXY=" + westEmu.URL()}})
	ds := authDataSource(t, map[string]any{"httpHeaderName1": "X-Scope-OrgID"}, keysOf(stackKey))
	ds.URL = "http://aps-workspaces.us-west-2.amazonaws.com/workspaces/" + stack.WorkspaceID + "/"
	ds.SecureJSONData["httpHeaderValue1"] = "tenant-1"

	h := checkHealthWith(t, env.Plugin, ds, pluginhost.GrafanaConfig(nil))
	assert.Equal(t, "ERROR", h.Status, "AMP refuses X-Scope-OrgID")
	assert.Contains(t, h.Message, "Remove the X-Scope-OrgID custom header")
	assert.Contains(t, h.step("Settings"), "X-Scope-OrgID header is set")

	westEmu.Reset()
	env.sts.Reset()
	ds = authDataSource(t, nil, keysOf(stackKey))
	ds.URL = "http://aps-workspaces.us-west-2.amazonaws.com/workspaces/" + stack.WorkspaceID + "/"
	h = checkHealthWith(t, env.Plugin, ds, pluginhost.GrafanaConfig(nil))
	require.Equal(t, "OK", h.Status, h.Message)
	assert.Equal(t, "us-west-2", h.Details.Region)
	assert.Equal(t, stack.WorkspaceID, h.Details.WorkspaceID)
	assert.Contains(t, h.Message, `sigV4Region "us-east-2" does not match the region of the workspace URL (us-west-2)`)
	assert.Equal(t, "arn:aws:iam::123456789012:user/"+stack.AccessKeyID, h.Details.Identity, "the URL is on AWS, so the identity is looked up")
	assert.Equal(t, "us-west-2", env.sts.Calls()[0].Region)
	records := westEmu.Requests()
	require.Len(t, records, 2)
	assert.Equal(t, stack.AccessKeyID, records[0].AccessKeyID)
}

// A data source that should not send the user's name never does; one that should sends only X-Grafana-User,
// unsigned.
func TestAuthGrafanaUserHeader(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`))
	}))
	t.Cleanup(upstream.Close)
	emu, err := ampemu.Start(ampemu.Config{Upstream: upstream.URL, Region: st.Region, Workspaces: []string{stack.WorkspaceID}, Keys: []ampemu.Key{stackKey}})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, emu.Close()) })
	// As Grafana sends them: the user header when [dataproxy] send_user_header is on, plus the user's credentials.
	headers := map[string]string{"http_X-Grafana-User": "alice", "Authorization": "Bearer grafana-user-token", "Cookie": "grafana_session=abc"}
	for _, forward := range []bool{false, true} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		ds := authDataSource(t, map[string]any{"forwardGrafanaUserHeader": forward}, keysOf(stackKey))
		ds.URL = emu.WorkspaceURL(stack.WorkspaceID)
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), headers, rangeQuery("A", "fixture_up"))
		require.NoError(t, err)
		require.Empty(t, resp["A"].Error)
		mu.Lock()
		require.Len(t, seen, 1)
		h := seen[0]
		mu.Unlock()
		if forward {
			assert.Equal(t, "alice", h.Get("X-Grafana-User"))
		} else {
			assert.Empty(t, h.Get("X-Grafana-User"))
		}
		assert.Empty(t, h.Get("Cookie"))
		assert.NotContains(t, emu.Requests()[len(emu.Requests())-1].SignedHeaders, "x-grafana-user")
	}
}
