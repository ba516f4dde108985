package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/awsfake"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
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
	stderr *syncbuf.Buffer

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
	env.sts, env.stderr = sts, &syncbuf.Buffer{}
	p := launchPlugin(t, env.stderr, append(vars, opts.env...))
	env.Stack = &stack.Stack{Root: st.Root, Region: st.Region, Prometheus: st.Prometheus, AMP: st.AMP, Plugin: p}
	return env
}

// launchPlugin starts the built plugin with exactly env (later entries win) and stops it at the end of the test.
func launchPlugin(t *testing.T, stderr *syncbuf.Buffer, env []string) *pluginhost.Plugin {
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

// text is everything Grafana shows: the one-line title and, under Details, the step report.
func (h healthAnswer) text() string {
	return h.Message + "\n" + h.Details.VerboseMessage
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
	require.NotContains(t, res.Message, "\n", "Grafana shows the message as a title: one line")
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
