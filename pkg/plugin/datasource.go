// Package plugin holds the Grafana-facing handlers. They fetch the instance and delegate to models, promclient and
// converter.
package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/querycache"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/resources"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

// PluginID is the plugin's id in Grafana.
const PluginID = "grafana-amazonprometheus-datasource"

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured data source. Grafana's instance manager creates it when the settings (or the
// Grafana config sent with them) change, and disposes the old one.
type Datasource struct {
	settings   *models.Settings
	httpClient *http.Client
	client     *promclient.Client
	// awsConfigs resolves AWS configs for this data source's credentials (STS, the AMP control plane); the
	// signed HTTP client shares its credential cache. Nil when settingsErr is set.
	awsConfigs *signing.AWSConfigs
	// resources serves CallResource; built on first use, it keeps the workspace discovery cache per instance.
	resources resourceHandler
	// settingsErr is kept instead of failing instance creation, so that every handler can answer with the
	// message that names the broken setting instead of a generic plugin error.
	settingsErr error
	// discoveryOnly serves workspace discovery while the URL is still empty, so the config editor's picker can
	// fill it in for a new data source.
	discoveryOnly *resources.Handler
	// cache is the shared range-query cache, nil when jsonData.incrementalQuerying is off; cacheDS and cacheParams
	// are this data source's part of its keys.
	cache       *querycache.Cache
	cacheDS     querycache.DataSource
	cacheParams string
}

// NewDatasource is the instance factory.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := models.LoadSettings(s)
	if err != nil {
		log.DefaultLogger.Warn("Invalid data source settings", "uid", s.UID, "error", err)
		return &Datasource{settingsErr: backend.DownstreamError(err), discoveryOnly: discoveryWithoutURL(ctx, s)}, nil
	}
	proxyOpts, err := s.ProxyOptionsFromContext(ctx)
	if err != nil {
		return &Datasource{settingsErr: backend.DownstreamErrorf("invalid secure socks proxy settings: %w", err)}, nil
	}
	awsConfigs := signing.NewAWSConfigs(settings, proxyOpts)
	httpClient, err := signing.NewClient(settings, awsConfigs)
	if err != nil {
		return &Datasource{settingsErr: backend.DownstreamError(err)}, nil
	}
	d := &Datasource{
		settings:   settings,
		httpClient: httpClient,
		client:     promclient.New(httpClient, settings),
		awsConfigs: awsConfigs,
	}
	d.cache, d.cacheDS = queryCache(s, settings)
	d.cacheParams = cacheParams(settings)
	return d, nil
}

// discoveryWithoutURL reads the auth settings of a data source whose URL is not set yet against its region's AMP
// endpoint, so that regions and workspaces can be listed with its credentials. It returns nil when the URL is set
// (the settings error is then real) or the auth settings are broken too.
func discoveryWithoutURL(ctx context.Context, s backend.DataSourceInstanceSettings) *resources.Handler {
	if strings.TrimSpace(s.URL) != "" {
		return nil
	}
	var jd struct {
		Region any `json:"sigV4Region"`
	}
	region := "us-east-1"
	if json.Unmarshal(s.JSONData, &jd) == nil {
		if r, ok := jd.Region.(string); ok && models.ValidRegion(r) {
			region = r
		}
	}
	s.URL = "https://aps-workspaces." + region + ".amazonaws.com/"
	settings, err := models.LoadSettings(s)
	if err != nil || settings.SigV4 == nil {
		return nil
	}
	proxyOpts, err := s.ProxyOptionsFromContext(ctx)
	if err != nil {
		return nil
	}
	return resources.New(resources.Options{Settings: settings, AWS: signing.NewAWSConfigs(settings, proxyOpts)})
}

// Dispose releases idle connections when Grafana replaces the instance.
func (d *Datasource) Dispose() {
	if d.httpClient != nil {
		d.httpClient.CloseIdleConnections()
	}
}

// requestContext carries per-request values the HTTP client's middlewares read.
// X-Grafana-User is only present when Grafana's [dataproxy] send_user_header is on; the plugin honours that.
func requestContext(ctx context.Context, headers http.Header) context.Context {
	return signing.WithGrafanaUser(ctx, headers.Get("X-Grafana-User"))
}
