package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

const (
	healthOK     = "Successfully queried the Prometheus API."
	healthFailed = "There was an error returned querying the Prometheus API."
)

// healthQueryTime is the evaluation time of the health query; any fixed time works for 1+1.
var healthQueryTime = time.Unix(4, 0)

// CheckHealth is Save & test: it validates the settings, then runs the instant query 1+1 through the signed client.
func (d *Datasource) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: d.settingsErr.Error()}, nil
	}
	ctx = requestContext(ctx, req.GetHTTPHeaders())
	details := map[string]any{}
	if ep := d.settings.Endpoint; ep.WorkspaceID != "" {
		details["workspaceId"] = ep.WorkspaceID
	}
	if d.settings.SigV4 != nil {
		details["region"], details["service"], details["authType"] = d.settings.SigV4.Region, d.settings.SigV4.Service, d.settings.SigV4.AuthType
	}
	if len(d.settings.Warnings) > 0 {
		details["warnings"] = d.settings.Warnings
	}
	if err := d.healthQuery(ctx); err != nil {
		return healthResult(backend.HealthStatusError, fmt.Sprintf("%s - %s", err, healthFailed), details), nil
	}
	msg := healthOK
	for _, w := range d.settings.Warnings {
		msg += " Warning: " + strings.TrimSuffix(w, ".") + "."
	}
	return healthResult(backend.HealthStatusOk, msg, details), nil
}

func (d *Datasource) healthQuery(ctx context.Context) error {
	resp, err := d.client.QueryInstant(ctx, "1+1", healthQueryTime)
	if err != nil {
		return explainTransportError(err)
	}
	if resp.StatusCode != 200 {
		return explainStatusError(promclient.ReadStatusError(resp), d.settings)
	}
	defer resp.Body.Close()
	res, err := converter.ReadResponse(resp.Body)
	if err != nil {
		return err
	}
	return res.Err()
}

func healthResult(status backend.HealthStatus, msg string, details map[string]any) *backend.CheckHealthResult {
	res := &backend.CheckHealthResult{Status: status, Message: msg}
	if b, err := json.Marshal(details); err == nil {
		res.JSONDetails = b
	}
	return res
}
