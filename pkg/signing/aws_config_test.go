package signing

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/awsfake"
)

const roleARN = "arn:aws:iam::123456789012:role/grafana-amp"

// withGrafanaConfig puts Grafana's per-request config into ctx, as the SDK does for every request.
func withGrafanaConfig(cfg map[string]string) context.Context {
	return backend.WithGrafanaConfig(context.Background(), backend.NewGrafanaCfg(cfg))
}

var forwardedDefaults = map[string]string{"AWS_AUTH_AllowedAuthProviders": "default,keys,credentials"}

func sigV4Settings(sv models.SigV4) *models.Settings {
	if sv.Region == "" {
		sv.Region = "eu-west-1"
	}
	sv.Service = "aps"
	return &models.Settings{SigV4: &sv, Timeout: 5 * time.Second}
}

func TestConfigAppliesGrafanaAWSPolicy(t *testing.T) {
	isolateAWS(t)
	keys := models.SigV4{AuthType: "keys", AccessKey: accessKey, SecretKey: secretKey}
	withRole := keys
	withRole.AssumeRoleARN = roleARN
	ec2 := models.SigV4{AuthType: "ec2_iam_role"}
	tests := []struct {
		name string
		sv   models.SigV4
		ctx  context.Context
		want []string // empty: allowed
	}{
		{"keys with defaults forwarded", keys, withGrafanaConfig(forwardedDefaults), nil},
		{"keys not allowed", keys, withGrafanaConfig(map[string]string{"AWS_AUTH_AllowedAuthProviders": "default"}),
			[]string{"trying to use non-allowed auth method keys", "[aws] allowed_auth_providers allows default", "add keys"}},
		{"no Grafana config still allows keys", keys, context.Background(), nil},
		{"no Grafana config rejects ec2_iam_role", ec2, context.Background(),
			[]string{"non-allowed auth method ec2_iam_role", "did not forward", "AWS_AUTH_AllowedAuthProviders", "forward_settings_to_plugins", pluginID}},
		{"settings not forwarded but other config present", ec2, withGrafanaConfig(map[string]string{"GF_APP_URL": "http://g/"}),
			[]string{"non-allowed auth method ec2_iam_role", "forward_settings_to_plugins"}},
		{"assume role disabled", withRole, withGrafanaConfig(map[string]string{"AWS_AUTH_AllowedAuthProviders": "keys", "AWS_AUTH_AssumeRoleEnabled": "false"}),
			[]string{"assume role but it is disabled in grafana config", "assume_role_enabled = true"}},
		{"ec2_iam_role allowed", ec2, withGrafanaConfig(map[string]string{"AWS_AUTH_AllowedAuthProviders": "ec2_iam_role"}), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewAWSConfigs(sigV4Settings(tc.sv), nil).Config(tc.ctx, "")
			if len(tc.want) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.True(t, backend.IsDownstreamError(err), "a refused setting is the admin's to fix")
			var ae *AuthError
			assert.True(t, errors.As(err, &ae))
		})
	}
}

func TestConfigRegionsAndSigV4Off(t *testing.T) {
	isolateAWS(t)
	configs := NewAWSConfigs(sigV4Settings(models.SigV4{AuthType: "keys", AccessKey: accessKey, SecretKey: secretKey}), nil)
	ctx := withGrafanaConfig(forwardedDefaults)

	cfg, err := configs.Config(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, "eu-west-1", cfg.Region, "empty means the signing region")
	other, err := configs.Config(ctx, "ap-southeast-2")
	require.NoError(t, err)
	assert.Equal(t, "ap-southeast-2", other.Region)
	creds, err := other.Credentials.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, accessKey, creds.AccessKeyID)

	_, err = configs.Config(ctx, "mars-1")
	require.ErrorContains(t, err, `"mars-1" is not an AWS region name`)

	off := NewAWSConfigs(&models.Settings{}, nil)
	_, err = off.Config(ctx, "")
	require.ErrorIs(t, err, ErrSigV4Off)
	assert.True(t, backend.IsDownstreamError(err))
}

// startSTS starts a fake STS that trusts the test key and registers issued keys with emu (when given).
func startSTS(t *testing.T, emu *ampemu.Emulator, lifetime time.Duration) *awsfake.STS {
	t.Helper()
	sts, err := awsfake.StartSTS(awsfake.STSConfig{
		Region:   "eu-west-1",
		Callers:  []awsfake.Caller{{Credentials: awsfake.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey}}},
		Roles:    []awsfake.Role{{ARN: roleARN, ExternalID: "ext-123"}},
		Lifetime: lifetime,
		OnIssue: func(is awsfake.Issued) error {
			if emu == nil {
				return nil
			}
			return emu.AddKey(ampemu.Key{AccessKeyID: is.AccessKeyID, SecretAccessKey: is.SecretAccessKey, SessionToken: is.SessionToken})
		},
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sts.Close()) })
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL())
	return sts
}

func assumeRoleSettings(externalID string) *models.Settings {
	return sigV4Settings(models.SigV4{AuthType: "keys", AccessKey: accessKey, SecretKey: secretKey,
		AssumeRoleARN: roleARN, ExternalID: externalID})
}

func TestAssumedRoleIsSharedAndRefreshedBeforeExpiry(t *testing.T) {
	isolateAWS(t)
	sts := startSTS(t, nil, 4*time.Second)
	configs := NewAWSConfigs(assumeRoleSettings("ext-123"), nil)
	ctx := withGrafanaConfig(forwardedDefaults)

	var wg sync.WaitGroup
	keys := make([]string, 20)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds, err := configs.Credentials(ctx)
			if assert.NoError(t, err) {
				keys[i] = creds.AccessKeyID
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 1, sts.Count(awsfake.ActionAssumeRole), "concurrent callers share one AssumeRole")
	for _, k := range keys {
		assert.Equal(t, keys[0], k)
	}
	call := sts.Calls()[0]
	assert.Equal(t, "ext-123", call.Form.Get("ExternalId"))
	assert.Equal(t, "900", call.Form.Get("DurationSeconds"), "Grafana's default session_duration")
	assert.Equal(t, "eu-west-1", call.Region, "STS is called in the data source's region")

	arn, err := configs.CallerIdentity(ctx)
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:sts::123456789012:assumed-role/grafana-amp/"+call.Form.Get("RoleSessionName"), arn)
	assert.Equal(t, 1, sts.Count(awsfake.ActionAssumeRole), "the identity lookup reuses the assumed role")

	first, err := configs.Credentials(ctx)
	require.NoError(t, err)
	// Shortly before expiry (inside the quarter-lifetime window), the credentials are replaced although they
	// are still valid.
	time.Sleep(time.Until(first.Expires.Add(-400 * time.Millisecond)))
	require.False(t, first.Expired())
	second, err := configs.Credentials(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessKeyID, second.AccessKeyID)
	assert.Equal(t, 2, sts.Count(awsfake.ActionAssumeRole))
}

func TestAssumeRoleDeniedIsExplained(t *testing.T) {
	isolateAWS(t)
	startSTS(t, nil, 0)
	_, err := NewAWSConfigs(assumeRoleSettings("wrong-id"), nil).Credentials(withGrafanaConfig(forwardedDefaults))
	require.Error(t, err)
	for _, w := range []string{"AssumeRole", "AccessDenied", "trust policy", `external ID sent ("wrong-id")`, roleARN, "access key " + accessKey} {
		assert.Contains(t, err.Error(), w)
	}
	assert.NotContains(t, err.Error(), secretKey)
	assert.True(t, backend.IsDownstreamError(err))
}

// countingProvider hands out credentials that expire after lifetime, failing when fail is set.
type countingProvider struct {
	calls    atomic.Int32
	fail     atomic.Bool
	lifetime time.Duration
}

func (p *countingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	n := p.calls.Add(1)
	if p.fail.Load() {
		return aws.Credentials{}, errors.New("sts unavailable")
	}
	return aws.Credentials{AccessKeyID: "ASIA" + strings.Repeat("X", int(n)), SecretAccessKey: "s", CanExpire: true,
		Expires: time.Now().Add(p.lifetime)}, nil
}

func TestEarlyRefreshKeepsValidCredentialsWhenRefreshFails(t *testing.T) {
	p := &countingProvider{lifetime: 800 * time.Millisecond}
	r := &earlyRefresh{cache: aws.NewCredentialsCache(p)}
	ctx := context.Background()
	first, err := r.Retrieve(ctx)
	require.NoError(t, err)
	p.fail.Store(true)
	time.Sleep(650 * time.Millisecond) // inside the last quarter of the lifetime
	got, err := r.Retrieve(ctx)
	require.NoError(t, err, "a failed early refresh must not fail requests while the credentials are valid")
	assert.Equal(t, first.AccessKeyID, got.AccessKeyID)
	calls := p.calls.Load()
	_, err = r.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, calls, p.calls.Load(), "no new attempt before the retry delay")
	time.Sleep(time.Until(first.Expires))
	_, err = r.Retrieve(ctx)
	require.ErrorContains(t, err, "sts unavailable", "expired credentials are not served")
}

func TestEarlyRefreshIgnoresLongLivedAndStaticCredentials(t *testing.T) {
	p := &countingProvider{lifetime: time.Hour}
	r := &earlyRefresh{cache: aws.NewCredentialsCache(p)}
	for range 5 {
		_, err := r.Retrieve(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), p.calls.Load())
}

func TestSharedProfileErrorsNameTheFiles(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	credsFile := filepath.Join(dir, "credentials")
	require.NoError(t, os.WriteFile(credsFile, []byte("[amp]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profile-secret\n"), 0o600))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credsFile)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	ctx := withGrafanaConfig(forwardedDefaults)

	creds, err := NewAWSConfigs(sigV4Settings(models.SigV4{AuthType: "credentials", Profile: "amp"}), nil).Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AKIAPROFILE", creds.AccessKeyID)
	assert.Contains(t, CredentialSourceName(creds.Source), "shared credentials file")

	_, err = NewAWSConfigs(sigV4Settings(models.SigV4{AuthType: "credentials", Profile: "missing"}), nil).Credentials(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "failed to get shared config profile, missing")
	assert.Contains(t, err.Error(), `Profile "missing" is not in the shared config or credentials files`)
	assert.Contains(t, err.Error(), credsFile)
}

func TestNoCredentialsListsTheChain(t *testing.T) {
	isolateAWS(t)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAONLYTHEID")
	t.Setenv("AWS_ROLE_ARN", roleARN)
	_, err := NewAWSConfigs(sigV4Settings(models.SigV4{AuthType: "default"}), nil).Credentials(withGrafanaConfig(forwardedDefaults))
	require.Error(t, err)
	msg := err.Error()
	for _, w := range []string{
		"No AWS credentials were found",
		"environment variables (AWS_ACCESS_KEY_ID set but AWS_SECRET_ACCESS_KEY not set)",
		"web identity (AWS_ROLE_ARN set but AWS_WEB_IDENTITY_TOKEN_FILE not set)",
		`profile "default"`,
		"container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set)",
		"EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)",
		"forward_settings_to_plugins",
	} {
		assert.Contains(t, msg, w)
	}
	assert.NotContains(t, msg, "AKIAONLYTHEID", "variables are named, never printed")
}

func TestSignerSharesCredentialsWithConfigs(t *testing.T) {
	isolateAWS(t)
	emu, _ := startEmulator(t)
	sts := startSTS(t, emu, 0)
	s := settingsFor(t, emu.WorkspaceURL(workspace), `{"sigV4AuthType":"keys","sigV4Region":"eu-west-1",
		"sigV4AssumeRoleArn":"`+roleARN+`","sigV4ExternalId":"ext-123"}`)
	configs := NewAWSConfigs(s, nil)
	client, err := NewClient(s, configs)
	require.NoError(t, err)
	ctx := withGrafanaConfig(forwardedDefaults)
	for range 3 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, emu.WorkspaceURL(workspace)+"api/v1/labels", nil)
		require.NoError(t, err)
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	_, err = configs.CallerIdentity(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, sts.Count(awsfake.ActionAssumeRole), "three signed requests and an STS call, one AssumeRole")
	records := emu.Requests()
	require.Len(t, records, 3)
	assert.Regexp(t, `^ASIA`, records[0].AccessKeyID)
	assert.Equal(t, []string{"host", "x-amz-date", "x-amz-security-token"}, records[0].SignedHeaders)
}

func TestConcurrentFirstUseBuildsOneConfig(t *testing.T) {
	isolateAWS(t)
	sts := startSTS(t, nil, 0)
	configs := NewAWSConfigs(assumeRoleSettings("ext-123"), nil)
	ctx := withGrafanaConfig(forwardedDefaults)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := configs.Credentials(ctx)
			assert.NoError(t, err)
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, 1, sts.Count(awsfake.ActionAssumeRole), "a cold cache hit by 50 callers at once still calls STS once")
}
