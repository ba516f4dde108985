package pluginhost

import (
	"runtime"

	"github.com/grafana/grafana-plugin-sdk-go/config"
)

// GrafanaShape is what one kind of Grafana server sends with every plugin request: its GrafanaConfig map and
// its user agent. Versions differ less in the keys than configuration does, so the shapes cover both.
type GrafanaShape struct {
	Name string
	// Config is PluginContext.GrafanaConfig.
	Config map[string]string
	// UserAgent is PluginContext.UserAgent; empty when the server sends none.
	UserAgent string
}

// GrafanaShapes are the request shapes the plugin must work with, from the oldest supported Grafana (11.6) to
// the current one.
//
// Grafana 11.6, 12.x and 13.x send the same GrafanaConfig keys to this plugin with default settings: the [aws]
// forward list has named grafana-amazonprometheus-datasource since grafana/grafana#96590 (11.4), and the
// concurrent query count has been sent since 10.x. What varies in practice is configuration carried over from
// older installs: a custom [aws] forward_settings_to_plugins that predates the plugin (no AWS keys at all), a
// stripped-down config (no concurrent query count), and hosts that send no user agent.
func GrafanaShapes() []GrafanaShape {
	return []GrafanaShape{
		{Name: "Grafana 11.6 defaults", Config: GrafanaConfig(nil), UserAgent: userAgentOf("11.6.11")},
		{Name: "Grafana 12.3 defaults", Config: GrafanaConfig(nil), UserAgent: userAgentOf("12.3.1")},
		{Name: "Grafana 13 defaults", Config: GrafanaConfig(nil), UserAgent: UserAgent()},
		{Name: "Grafana 11.6, [aws] not forwarded", UserAgent: userAgentOf("11.6.11"), Config: GrafanaConfig(map[string]string{
			AWSAllowedAuthProviders: "", AWSSessionDuration: "", AWSListMetricsPageLimit: "",
		})},
		{Name: "no concurrent query count", Config: GrafanaConfig(map[string]string{config.ConcurrentQueryCount: ""}), UserAgent: UserAgent()},
		{Name: "no user agent", Config: GrafanaConfig(nil)},
		{Name: "no Grafana config at all", Config: nil, UserAgent: userAgentOf("11.6.11")},
	}
}

func userAgentOf(version string) string {
	return "Grafana/" + version + " (" + runtime.GOOS + "; " + runtime.GOARCH + ")"
}
