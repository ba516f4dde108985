package ampemu

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// IAM actions of the AMP query APIs.
const (
	ActionQueryMetrics      = "aps:QueryMetrics"
	ActionGetLabels         = "aps:GetLabels"
	ActionGetSeries         = "aps:GetSeries"
	ActionGetMetricMetadata = "aps:GetMetricMetadata"
	ActionListRules         = "aps:ListRules"
	ActionListAlerts        = "aps:ListAlerts"
)

const (
	workspacesPrefix = "/workspaces/"
	apiPrefix        = "/api/v1/"
	formContentType  = "application/x-www-form-urlencoded"
)

// route splits a workspace URL into the workspace id and the Prometheus path behind it.
type route struct {
	workspace string
	path      string // decoded, e.g. /api/v1/query
	rawPath   string // the same path as escaped on the wire
}

func parseRoute(escapedPath string) (route, bool) {
	rest, ok := strings.CutPrefix(escapedPath, workspacesPrefix)
	if !ok {
		return route{}, false
	}
	rawID, tail, ok := strings.Cut(rest, "/")
	if !ok || rawID == "" {
		return route{}, false
	}
	id, err := url.PathUnescape(rawID)
	if err != nil {
		return route{}, false
	}
	rawPath := "/" + tail
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return route{}, false
	}
	return route{workspace: id, path: path, rawPath: rawPath}, true
}

// actionFor maps a Prometheus path to the IAM action AMP authorises it with. implemented is false for paths AMP
// does not serve: query_exemplars is authorised as QueryMetrics but answered with 404, and anything outside the
// six query APIs (for example status/buildinfo) has no action at all.
func actionFor(path string) (action string, implemented bool) {
	endpoint, ok := strings.CutPrefix(path, apiPrefix)
	if !ok {
		return "", false
	}
	switch endpoint {
	case "query", "query_range":
		return ActionQueryMetrics, true
	case "query_exemplars":
		return ActionQueryMetrics, false
	case "labels":
		return ActionGetLabels, true
	case "series":
		return ActionGetSeries, true
	case "metadata":
		return ActionGetMetricMetadata, true
	case "rules":
		return ActionListRules, true
	case "alerts":
		return ActionListAlerts, true
	}
	if isLabelValues(endpoint) {
		return ActionGetLabels, true
	}
	return "", false
}

func isLabelValues(endpoint string) bool {
	name, ok := strings.CutPrefix(endpoint, "label/")
	if !ok {
		return false
	}
	name, ok = strings.CutSuffix(name, "/values")
	return ok && name != "" && !strings.Contains(name, "/")
}

// checkShape enforces AMP's request-shape rules and answers the request when one is broken.
func (e *Emulator) checkShape(w http.ResponseWriter, r *http.Request, rt route) bool {
	// AMP's GetLabels API takes label values by GET only, unlike Prometheus, which also accepts POST. The
	// emulator answers other methods with 405 and an AMP-style message so that a client that POSTs there fails
	// loudly in tests instead of only against AWS.
	if isLabelValues(strings.TrimPrefix(rt.path, apiPrefix)) && r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, TypeValidation,
			"Method "+r.Method+" is not allowed on api/v1/label/<name>/values; AMP accepts GET only.")
		return false
	}
	// AWS front ends refuse a form-encoded POST whose URL also carries a query string, because the signature
	// would otherwise be ambiguous about where parameters came from.
	if isFormPost(r) && !e.formQueryAllowed(r.URL) {
		writeError(w, http.StatusBadRequest, TypeValidation,
			"When Content-Type:application/x-www-form-urlencoded, URL cannot include query-string parameters (after '?'): '"+
				r.URL.EscapedPath()+"?"+r.URL.RawQuery+"'")
		return false
	}
	return true
}

func isFormPost(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == formContentType
}

func (e *Emulator) formQueryAllowed(u *url.URL) bool {
	if u.RawQuery == "" {
		return !u.ForceQuery
	}
	for _, part := range strings.Split(u.RawQuery, "&") {
		rawName, _, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !slices.Contains(e.cfg.FormQueryAllowList, name) {
			return false
		}
	}
	return true
}
