package e2e

import (
	"net/http"
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
		assert.Contains(t, h.step("Credentials"), "failed to get shared config profile, missing")
		assert.Contains(t, h.Message, `AWS credentials could not be used: profile "missing" is not in the shared config or credentials files`)
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
				assert.Contains(t, h.text(), w)
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
		assert.Regexp(t, `^Connected to workspace `+stack.WorkspaceID+` in us-east-2 as arn:aws:sts::123456789012:assumed-role/grafana-amp/\S+: \d+ metrics$`, h.Message)
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
		assert.True(t, strings.HasPrefix(h.Message, "AWS credentials could not be used: STS denied sts:AssumeRole on "+roleARN), h.Message)
		for _, w := range []string{"AssumeRole", "AccessDenied", "STS denied sts:AssumeRole on " + roleARN, "trust policy", `external ID sent ("not-it")`} {
			assert.Contains(t, h.text(), w)
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
		assert.NotContains(t, h.Message, " as arn:", "no identity to show")
		assert.Contains(t, h.Message, "(1 warning, see Details)")
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
			assert.Contains(t, h.text(), w)
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
