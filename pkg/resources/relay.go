package resources

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// Headers of Grafana's resource cache protocol: the frontend asks with X-Grafana-Cache: <Cache-Control directive>
// and Grafana caches answers that carry X-Grafana-Cache: y.
const (
	headerGrafanaCache = "X-Grafana-Cache"
	formContentType    = "application/x-www-form-urlencoded"
)

// droppedHeaders are upstream headers that no longer describe the relayed body (it is decoded and sent in one
// piece) or are hop-by-hop. Leaving Content-Encoding or Content-Length in place makes Grafana's proxy fail.
var droppedHeaders = []string{"Content-Encoding", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive"}

// relay forwards an allow-listed request through the signed client and relays the answer.
func (h *Handler) relay(ctx context.Context, req *backend.CallResourceRequest, rt route) *backend.CallResourceResponse {
	if req.Method != http.MethodGet && req.Method != http.MethodPost {
		return methodNotAllowed(fmt.Sprintf("%s is not allowed on %s: resource calls are read-only", req.Method, rt.apiPath),
			http.MethodGet, http.MethodPost)
	}
	if rt.policy == readOnly && req.Method != http.MethodGet {
		return methodNotAllowed(rt.apiPath+" is read-only here. Rule editing for Amazon Managed Service for Prometheus is "+
			"done via rule groups namespaces (YAML): edit the rules in AWS.", http.MethodGet)
	}
	params, status, err := requestParams(req)
	if err != nil {
		return jsonError(status, err.Error())
	}
	return h.forward(ctx, req, outgoingMethod(rt.policy, req.Method, h.settings.HTTPMethod), rt.apiPath, params)
}

// forward sends one request upstream and relays the answer; req supplies the cache directive.
func (h *Handler) forward(ctx context.Context, req *backend.CallResourceRequest, method, apiPath string, params url.Values) *backend.CallResourceResponse {
	resp, err := h.client.Resource(ctx, method, apiPath, params)
	if err != nil {
		return jsonError(http.StatusBadGateway, "error querying resource: "+h.explainTx(err).Error())
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return jsonError(http.StatusBadGateway, "error reading the resource response: "+err.Error())
	}
	headers := relayHeaders(resp.Header)
	if resp.StatusCode >= 300 && resp.Header.Get("X-Amzn-Errortype") != "" {
		return h.awsError(resp, headers, body)
	}
	// Only successful answers are marked cacheable: caching a 403 or 429 for an hour would keep the editor broken
	// long after the permission or quota was fixed.
	if directive := req.GetHTTPHeader(headerGrafanaCache); directive != "" && resp.StatusCode < 300 {
		headers["Cache-Control"] = []string{directive}
		headers[headerGrafanaCache] = []string{"y"}
	}
	return &backend.CallResourceResponse{Status: resp.StatusCode, Headers: headers, Body: body}
}

// awsError turns an AWS error answer (x-amzn-ErrorType, {"message"}) into a Prometheus-style error envelope with
// the plugin's hint, keeping the status and the upstream headers (x-amzn-ErrorType, x-amzn-RequestId).
func (h *Handler) awsError(resp *http.Response, headers map[string][]string, body []byte) *backend.CallResourceResponse {
	decoded := *resp
	decoded.Body = io.NopCloser(bytes.NewReader(body))
	err := promclient.ReadStatusError(&decoded)
	errorType := ""
	if se, ok := promclient.AsStatusError(err); ok {
		errorType = se.AWSErrorType
	}
	msg := h.explainSt(err).Error()
	out := jsonResponse(resp.StatusCode, errorBody{Status: "error", ErrorType: errorType, Error: msg, Message: msg})
	for k, v := range headers {
		if _, set := out.Headers[k]; !set {
			out.Headers[k] = v
		}
	}
	return out
}

// requestParams collects the parameters of the incoming call from its query string and, when there is one, its
// form body. The caller decides where they go upstream, so that they are never split between both.
func requestParams(req *backend.CallResourceRequest) (url.Values, int, error) {
	params := url.Values{}
	if req.URL != "" {
		u, err := url.Parse(req.URL)
		if err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("the resource URL does not parse: %w", err)
		}
		if params, err = url.ParseQuery(u.RawQuery); err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("the query string does not parse: %w", err)
		}
	}
	if len(bytes.TrimSpace(req.Body)) == 0 {
		return params, 0, nil
	}
	if ct := req.GetHTTPHeader("Content-Type"); ct != "" {
		if mediaType, _, err := mime.ParseMediaType(ct); err != nil || mediaType != formContentType {
			return nil, http.StatusUnsupportedMediaType, fmt.Errorf("the request body has content type %q; send parameters "+
				"in the query string or as %s", ct, formContentType)
		}
	}
	form, err := url.ParseQuery(strings.TrimSpace(string(req.Body)))
	if err != nil {
		return nil, http.StatusBadRequest, fmt.Errorf("the request body is not form-encoded: %w", err)
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	return params, 0, nil
}

// outgoingMethod maps the incoming method to the upstream one (see methodPolicy).
func outgoingMethod(policy methodPolicy, incoming, configured string) string {
	if policy != followConfig || incoming == http.MethodGet {
		return http.MethodGet
	}
	return configured
}

func relayHeaders(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, v := range h {
		out[k] = append([]string(nil), v...)
	}
	for _, name := range droppedHeaders {
		delete(out, name)
	}
	return out
}
