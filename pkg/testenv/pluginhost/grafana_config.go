package pluginhost

import (
	"github.com/grafana/grafana-plugin-sdk-go/config"
)

// GrafanaVersion is the Grafana version the host impersonates.
const GrafanaVersion = "13.0.0"

// GrafanaEdition is what an open-source Grafana reports in GF_EDITION.
const GrafanaEdition = "Open Source"

// Keys Grafana forwards from its [aws] section, spelled as grafana-aws-sdk's
// awsds constants (a test keeps them equal). They are written out here so
// the host does not pull the AWS stack into every test binary.
const (
	AWSAllowedAuthProviders = "AWS_AUTH_AllowedAuthProviders"
	AWSAssumeRoleEnabled    = "AWS_AUTH_AssumeRoleEnabled"
	AWSExternalID           = "AWS_AUTH_EXTERNAL_ID"
	AWSSessionDuration      = "AWS_AUTH_SESSION_DURATION"
	AWSListMetricsPageLimit = "AWS_CW_LIST_METRICS_PAGE_LIMIT"
)

// GrafanaConfig returns the PluginContext.GrafanaConfig map that a Grafana 13
// with default settings sends to a plugin listed in
// [aws] forward_settings_to_plugins, with overrides applied. An override
// whose value is "" deletes the key (Grafana omits unset settings; for
// example AWS_AUTH_AssumeRoleEnabled is only sent as "false").
//
// Feature toggles (GF_INSTANCE_FEATURE_TOGGLES_ENABLE) are not included
// because the default set changes between Grafana releases; pass them as an
// override when a test needs them. GF_RESPONSE_LIMIT is absent because its
// default is 0, which Grafana does not send.
func GrafanaConfig(overrides map[string]string) map[string]string {
	cfg := map[string]string{
		config.AppURL:                           "http://localhost:3000/",
		config.ConcurrentQueryCount:             "10",
		config.UserFacingDefaultError:           "please inspect Grafana server log for details",
		config.SQLRowLimit:                      "1000000",
		config.SQLMaxOpenConnsDefault:           "100",
		config.SQLMaxIdleConnsDefault:           "100",
		config.SQLMaxConnLifetimeSecondsDefault: "14400",
		AWSAllowedAuthProviders:                 "default,keys,credentials",
		AWSSessionDuration:                      "15m",
		AWSListMetricsPageLimit:                 "500",
	}
	for k, v := range overrides {
		if v == "" {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return cfg
}

// GrafanaPluginEnv returns the environment variables Grafana sets for a
// forwarded AWS plugin process on top of the host environment: its version
// and edition, and the legacy process-level copy of the [aws] settings.
func GrafanaPluginEnv() []string {
	env := []string{
		"GF_VERSION=" + GrafanaVersion,
		"GF_EDITION=" + GrafanaEdition,
	}
	defaults := GrafanaConfig(nil)
	for _, k := range []string{AWSAllowedAuthProviders, AWSSessionDuration, AWSListMetricsPageLimit} {
		env = append(env, k+"="+defaults[k])
	}
	return env
}

// UserAgent returns the user agent string Grafana puts in PluginContext,
// in the format the SDK's useragent.Parse expects.
func UserAgent() string {
	return userAgentOf(GrafanaVersion)
}
