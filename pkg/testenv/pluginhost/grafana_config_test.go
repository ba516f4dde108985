package pluginhost

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-aws-sdk/pkg/awsds"
	"github.com/grafana/grafana-plugin-sdk-go/backend/useragent"
	"github.com/grafana/grafana-plugin-sdk-go/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAWSKeysMatchGrafanaAWSSDK(t *testing.T) {
	assert.Equal(t, awsds.AllowedAuthProvidersEnvVarKeyName, AWSAllowedAuthProviders)
	assert.Equal(t, awsds.AssumeRoleEnabledEnvVarKeyName, AWSAssumeRoleEnabled)
	assert.Equal(t, awsds.GrafanaAssumeRoleExternalIdKeyName, AWSExternalID)
	assert.Equal(t, awsds.SessionDurationEnvVarKeyName, AWSSessionDuration)
	assert.Equal(t, awsds.ListMetricsPageLimitKeyName, AWSListMetricsPageLimit)
}

func TestGrafanaConfig(t *testing.T) {
	tests := []struct {
		name      string
		overrides map[string]string
		check     func(t *testing.T, cfg map[string]string)
	}{
		{
			name: "defaults as the SDK reads them",
			check: func(t *testing.T, cfg map[string]string) {
				c := config.NewGrafanaCfg(cfg)
				n, err := c.ConcurrentQueryCount()
				require.NoError(t, err)
				assert.Equal(t, 10, n)
				appURL, err := c.AppURL()
				require.NoError(t, err)
				assert.Equal(t, "http://localhost:3000/", appURL)
				msg, err := c.UserFacingDefaultError()
				require.NoError(t, err)
				assert.Equal(t, "please inspect Grafana server log for details", msg)
				assert.Equal(t, int64(0), c.ResponseLimit())
				sql, err := c.SQL()
				require.NoError(t, err)
				assert.Equal(t, int64(1000000), sql.RowLimit)
				assert.Equal(t, "default,keys,credentials", cfg[AWSAllowedAuthProviders])
				assert.Equal(t, "15m", cfg[AWSSessionDuration])
				assert.NotContains(t, cfg, AWSAssumeRoleEnabled, "Grafana sends it only when false")
				assert.NotContains(t, cfg, AWSExternalID, "empty by default")
			},
		},
		{
			name:      "override replaces and adds",
			overrides: map[string]string{AWSAllowedAuthProviders: "keys", AWSAssumeRoleEnabled: "false", config.ResponseLimit: "1024"},
			check: func(t *testing.T, cfg map[string]string) {
				assert.Equal(t, "keys", cfg[AWSAllowedAuthProviders])
				assert.Equal(t, "false", cfg[AWSAssumeRoleEnabled])
				assert.Equal(t, int64(1024), config.NewGrafanaCfg(cfg).ResponseLimit())
			},
		},
		{
			name:      "empty override deletes",
			overrides: map[string]string{AWSAllowedAuthProviders: "", AWSSessionDuration: ""},
			check: func(t *testing.T, cfg map[string]string) {
				assert.NotContains(t, cfg, AWSAllowedAuthProviders)
				assert.NotContains(t, cfg, AWSSessionDuration)
				assert.Contains(t, cfg, config.AppURL)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, GrafanaConfig(tt.overrides))
		})
	}

	t.Run("each call returns a fresh map", func(t *testing.T) {
		GrafanaConfig(nil)[config.AppURL] = "changed"
		assert.Equal(t, "http://localhost:3000/", GrafanaConfig(nil)[config.AppURL])
	})
}

func TestGrafanaPluginEnv(t *testing.T) {
	env := map[string]string{}
	for _, kv := range GrafanaPluginEnv() {
		k, v, ok := strings.Cut(kv, "=")
		require.True(t, ok, kv)
		env[k] = v
	}
	assert.Equal(t, map[string]string{
		"GF_VERSION":            GrafanaVersion,
		"GF_EDITION":            "Open Source",
		AWSAllowedAuthProviders: "default,keys,credentials",
		AWSSessionDuration:      "15m",
		AWSListMetricsPageLimit: "500",
	}, env)
}

func TestUserAgentParsesWithSDK(t *testing.T) {
	ua, err := useragent.Parse(UserAgent())
	require.NoError(t, err)
	assert.Equal(t, GrafanaVersion, ua.GrafanaVersion())
	assert.Equal(t, UserAgent(), ua.String())
}
