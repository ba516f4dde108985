package resources

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// AWSConfigSource gives the AWS SDK configuration for control-plane calls, with the data source's credentials;
// region "" means the signing region. signing.AWSConfigs implements it.
type AWSConfigSource interface {
	Config(ctx context.Context, region string) (aws.Config, error)
}

// Options configures a Handler.
type Options struct {
	Settings *models.Settings
	Client   *promclient.Client
	// AWS is nil when the instance has no AWS configuration; discovery then answers with an explanation.
	AWS AWSConfigSource
	// ExplainTransport adds an admin hint to a request that got no HTTP answer; nil keeps errors as they are.
	ExplainTransport func(error) error
	// ExplainStatus adds an admin hint to an AWS error answer (a *promclient.StatusError); nil keeps it.
	ExplainStatus func(error) error
	// Now is the clock of the discovery cache and rate limiter; nil means time.Now.
	Now func() time.Time
}

// Handler answers resource calls for one data source instance. It is safe for concurrent use; the discovery
// cache and rate limiter live as long as the Handler.
type Handler struct {
	settings  *models.Settings
	client    *promclient.Client
	explainTx func(error) error
	explainSt func(error) error
	amp       bool
	discovery *discovery
}

// New returns the Handler of one instance.
func New(o Options) *Handler {
	identity := func(err error) error { return err }
	if o.ExplainTransport == nil {
		o.ExplainTransport = identity
	}
	if o.ExplainStatus == nil {
		o.ExplainStatus = identity
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Handler{
		settings:  o.Settings,
		client:    o.Client,
		explainTx: o.ExplainTransport,
		explainSt: o.ExplainStatus,
		amp:       IsAMP(o.Settings),
		discovery: newDiscovery(o.Settings, o.AWS, o.ExplainTransport, o.Now),
	}
}

// IsDiscoveryPath reports whether a resource path is one of the workspace-discovery routes, which need AWS
// credentials but no workspace URL.
func IsDiscoveryPath(p string) bool {
	switch strings.TrimPrefix(p, "/") {
	case "regions", "workspaces", "workspace":
		return true
	}
	return false
}

// IsAMP reports whether the data source talks to AMP: an AMP workspace host, or any host (VPC endpoint alias,
// private DNS, proxy) reached with requests signed for the aps service.
func IsAMP(s *models.Settings) bool {
	return s.Endpoint.IsAMPHost() || (s.SigV4 != nil && s.SigV4.Service == models.DefaultService)
}

// Handle answers one resource call. Every failure is an answer with a JSON body, never an error, so that the
// frontend shows the plugin's message rather than a generic plugin failure.
func (h *Handler) Handle(ctx context.Context, req *backend.CallResourceRequest) *backend.CallResourceResponse {
	p := strings.TrimPrefix(req.Path, "/")
	switch {
	case IsDiscoveryPath(p):
		if req.Method != http.MethodGet {
			return methodNotAllowed(p+" only accepts GET", http.MethodGet)
		}
		return h.discovery.handle(ctx, p, req.URL)
	case strings.EqualFold(p, "suggestions"):
		return h.suggestions(ctx, req)
	}
	rt, ok := matchRoute(p)
	if !ok {
		return jsonError(http.StatusNotFound, fmt.Sprintf(
			"unknown resource path %q: this data source serves api/v1/labels, api/v1/label/<name>/values, api/v1/series, "+
				"api/v1/metadata, api/v1/query, api/v1/rules, suggestions, regions, workspaces and workspace", p))
	}
	if h.amp && rt.unsupportedOnAMP != nil {
		return rt.unsupportedOnAMP()
	}
	return h.relay(ctx, req, rt)
}

// errorBody is the JSON of every error the plugin answers itself. It has Prometheus's envelope fields (status,
// errorType, error), which the Prometheus frontend reads, and message, which Grafana's fetch layer shows.
type errorBody struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType,omitempty"`
	Error     string `json:"error"`
	Message   string `json:"message"`
	// Details carries the AWS error message behind a shortened one.
	Details string `json:"details,omitempty"`
}

func jsonError(status int, msg string) *backend.CallResourceResponse {
	return jsonResponse(status, errorBody{Status: "error", Error: msg, Message: msg})
}

func methodNotAllowed(msg string, allow ...string) *backend.CallResourceResponse {
	resp := jsonError(http.StatusMethodNotAllowed, msg)
	resp.Headers["Allow"] = []string{strings.Join(allow, ", ")}
	return resp
}

func jsonResponse(status int, v any) *backend.CallResourceResponse {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"status":"error","error":"encoding the answer failed","message":"encoding the answer failed"}`)
	}
	return &backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	}
}

// SettingsError is the answer to every resource call of a data source whose settings are invalid.
func SettingsError(err error) *backend.CallResourceResponse {
	return jsonError(http.StatusBadRequest, err.Error())
}
