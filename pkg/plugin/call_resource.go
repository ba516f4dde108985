package plugin

import (
	"context"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/resources"
)

// resourceHandler builds an instance's resources.Handler on first use. The handler holds the workspace
// discovery cache and rate limiter, so it must live as long as the instance.
type resourceHandler struct {
	once    sync.Once
	handler *resources.Handler
}

// CallResource serves the allow-listed Prometheus endpoints, suggestions and workspace discovery
// (see package resources). Every failure is a JSON answer with a status code, never a plugin error.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	sender = resourceSender{out: d.outgoing(), next: sender}
	if d.settingsErr != nil {
		if d.discoveryOnly != nil && resources.IsDiscoveryPath(req.Path) {
			return sender.Send(d.discoveryOnly.Handle(ctx, req))
		}
		return sender.Send(resources.SettingsError(d.settingsErr))
	}
	ctx = requestContext(ctx, req.GetHTTPHeaders())
	return sender.Send(d.resourceHandler().Handle(ctx, req))
}

func (d *Datasource) resourceHandler() *resources.Handler {
	d.resources.once.Do(func() {
		opts := resources.Options{
			Settings:         d.settings,
			Client:           d.client,
			ExplainTransport: explainTransportError,
			ExplainStatus:    func(err error) error { return explainStatusError(err, d.settings) },
		}
		// A typed nil would pass the handler's nil check and then fail on first use.
		if d.awsConfigs != nil {
			opts.AWS = d.awsConfigs
		}
		d.resources.handler = resources.New(opts)
	})
	return d.resources.handler
}
