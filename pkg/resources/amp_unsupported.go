package resources

import (
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Messages of the local answers for endpoints AMP does not serve.
const (
	ExemplarsUnsupportedMessage = "Amazon Managed Service for Prometheus does not support exemplars"
	BuildInfoUnsupportedMessage = "Amazon Managed Service for Prometheus does not serve build information (api/v1/status/buildinfo)"
)

// exemplarsUnsupported answers Grafana's start-up probe of api/v1/query_exemplars without an upstream call. The
// status is 200 with a Prometheus error envelope: the frontend reads status != "success" as "exemplars
// unavailable", while a 400 or 405 would make it retry the probe by GET and a 404 would be logged as a failure
// on every dashboard load.
func exemplarsUnsupported() *backend.CallResourceResponse {
	return jsonResponse(http.StatusOK, errorBody{Status: "error", ErrorType: "unavailable",
		Error: ExemplarsUnsupportedMessage, Message: ExemplarsUnsupportedMessage})
}

// buildInfoUnsupported answers api/v1/status/buildinfo with 404, which Grafana's Prometheus heuristics read as
// "no build info" (a plain Prometheus without Mimir features), again without an upstream call.
func buildInfoUnsupported() *backend.CallResourceResponse {
	return jsonResponse(http.StatusNotFound, errorBody{Status: "error", ErrorType: "not_found",
		Error: BuildInfoUnsupportedMessage, Message: BuildInfoUnsupportedMessage})
}
