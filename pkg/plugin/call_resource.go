package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// maxResourceBody bounds a relayed resource answer.
const maxResourceBody = 64 << 20

var labelValuesPath = regexp.MustCompile(`^api/v1/label/([^/]+)/values$`)

// CallResource relays an allow-list of Prometheus metadata endpoints through the signed client.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	if d.settingsErr != nil {
		return sendJSONError(sender, http.StatusBadRequest, d.settingsErr.Error())
	}
	if req.Path != "api/v1/labels" && !labelValuesPath.MatchString(req.Path) {
		return sendJSONError(sender, http.StatusNotFound, fmt.Sprintf("unknown resource path %q", req.Path))
	}
	if req.Method != http.MethodGet {
		return sendJSONError(sender, http.StatusMethodNotAllowed, req.Path+" only accepts GET")
	}
	params := url.Values{}
	if u, err := url.Parse(req.URL); err == nil {
		params = u.Query()
	}
	ctx = requestContext(ctx, req.GetHTTPHeaders())
	resp, err := d.client.Get(ctx, req.Path, params)
	if err != nil {
		return sendJSONError(sender, http.StatusBadGateway, "error querying resource: "+explainTransportError(err).Error())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResourceBody+1))
	if err != nil {
		return sendJSONError(sender, http.StatusBadGateway, "error reading resource response: "+err.Error())
	}
	if len(body) > maxResourceBody {
		return sendJSONError(sender, http.StatusBadGateway, "the resource response is larger than 64 MiB; narrow the request with match[], start and end")
	}
	headers := map[string][]string{}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		headers["Content-Type"] = []string{ct}
	}
	return sender.Send(&backend.CallResourceResponse{Status: resp.StatusCode, Headers: headers, Body: body})
}

func sendJSONError(sender backend.CallResourceResponseSender, status int, msg string) error {
	body, _ := json.Marshal(map[string]string{"status": "error", "error": msg, "message": msg})
	return sender.Send(&backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
}
