package ampemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	controlPlanePrefix = "/workspaces"
	defaultMaxResults  = 100
	maxMaxResults      = 1000
	// nextTokenPrefix marks the emulator's page tokens, which carry the offset of the next page. AWS's tokens are
	// opaque, and clients must pass them back unchanged, which is all this emulates.
	nextTokenPrefix = "emu-offset-"
)

// Wire shapes of AMP's REST-JSON control plane (lower camel case; createdAt in epoch seconds).
type (
	wireStatus struct {
		StatusCode string `json:"statusCode"`
	}
	wireWorkspace struct {
		Alias              string            `json:"alias,omitempty"`
		Arn                string            `json:"arn"`
		CreatedAt          json.Number       `json:"createdAt"`
		PrometheusEndpoint string            `json:"prometheusEndpoint,omitempty"`
		Status             wireStatus        `json:"status"`
		Tags               map[string]string `json:"tags"`
		WorkspaceID        string            `json:"workspaceId"`
	}
	wireList struct {
		NextToken  string          `json:"nextToken,omitempty"`
		Workspaces []wireWorkspace `json:"workspaces"`
	}
	wireDescribe struct {
		Workspace wireWorkspace `json:"workspace"`
	}
)

// ServeHTTP handles one control-plane request: route, verify, authorise, apply faults, answer.
func (c *ControlPlane) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw, rec, done := c.record(w, r)
	defer done()

	action, id, ok := controlPlaneRoute(r)
	if !ok {
		writeError(sw, http.StatusNotFound, "UnknownOperationException",
			"The emulated control plane serves GET /workspaces and GET /workspaces/{workspaceId} only.")
		return
	}
	rec.Workspace = id
	res, err := c.verifier.Verify(r, nil)
	if err != nil {
		writeVerifyError(sw, err)
		return
	}
	rec.AccessKeyID, rec.SignedHeaders = res.AccessKeyID, res.SignedHeaders
	if k, _ := c.key(res.AccessKeyID); !k.allows(action) {
		principal := k.Principal
		if principal == "" {
			principal = "arn:aws:iam::" + c.cfg.AccountID + ":user/" + k.AccessKeyID
		}
		writeError(sw, http.StatusForbidden, TypeAccessDenied, fmt.Sprintf(
			"User: %s is not authorized to perform: %s on resource: %s", principal, action, c.resourceARN(id)))
		return
	}
	if f, ok := c.takeFault(r.URL.Path); ok && applyFault(sw, r, f) {
		return
	}
	if action == ActionListWorkspaces {
		c.list(sw, r.URL.Query())
		return
	}
	c.describe(sw, id)
}

// controlPlaneRoute maps a request to its IAM action and, for DescribeWorkspace, the workspace id.
func controlPlaneRoute(r *http.Request) (action, id string, ok bool) {
	if r.Method != http.MethodGet {
		return "", "", false
	}
	rest, found := strings.CutPrefix(r.URL.EscapedPath(), controlPlanePrefix)
	switch {
	case !found:
		return "", "", false
	case rest == "" || rest == "/":
		return ActionListWorkspaces, "", true
	}
	rawID := strings.TrimPrefix(rest, "/")
	if strings.Contains(rawID, "/") {
		return "", "", false
	}
	id, err := url.PathUnescape(rawID)
	if err != nil || id == "" {
		return "", "", false
	}
	return ActionDescribeWorkspace, id, true
}

func (c *ControlPlane) resourceARN(id string) string {
	if id == "" {
		return fmt.Sprintf("arn:aws:aps:%s:%s:/workspaces", c.cfg.Region, c.cfg.AccountID)
	}
	return fmt.Sprintf("arn:aws:aps:%s:%s:workspace/%s", c.cfg.Region, c.cfg.AccountID, id)
}

func (c *ControlPlane) list(w http.ResponseWriter, q url.Values) {
	limit := defaultMaxResults
	if raw := q.Get("maxResults"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxMaxResults {
			writeError(w, http.StatusBadRequest, TypeValidation,
				fmt.Sprintf("1 validation error detected: Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", raw, maxMaxResults))
			return
		}
		limit = n
	}
	if c.cfg.PageSize > 0 && c.cfg.PageSize < limit {
		limit = c.cfg.PageSize
	}
	offset := 0
	if token := q.Get("nextToken"); token != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(token, nextTokenPrefix))
		if !strings.HasPrefix(token, nextTokenPrefix) || err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, TypeValidation, "Invalid nextToken.")
			return
		}
		offset = n
	}
	var matching []WorkspaceInfo
	for _, ws := range c.snapshot() {
		if strings.HasPrefix(ws.Alias, q.Get("alias")) {
			matching = append(matching, ws)
		}
	}
	out := wireList{Workspaces: []wireWorkspace{}}
	for i := offset; i < len(matching) && i < offset+limit; i++ {
		out.Workspaces = append(out.Workspaces, c.wire(matching[i], false))
	}
	if offset+limit < len(matching) {
		out.NextToken = nextTokenPrefix + strconv.Itoa(offset+limit)
	}
	writeJSON(w, out)
}

func (c *ControlPlane) describe(w http.ResponseWriter, id string) {
	for _, ws := range c.snapshot() {
		if ws.ID == id {
			writeJSON(w, wireDescribe{Workspace: c.wire(ws, true)})
			return
		}
	}
	writeError(w, http.StatusNotFound, TypeResourceNotFound, "Workspace not found: "+id)
}

func (c *ControlPlane) wire(ws WorkspaceInfo, withEndpoint bool) wireWorkspace {
	status := ws.Status
	if status == "" {
		status = StatusActive
	}
	created := ws.CreatedAt
	if created.IsZero() {
		created = defaultCreatedAt
	}
	out := wireWorkspace{
		Alias:       ws.Alias,
		Arn:         c.resourceARN(ws.ID),
		CreatedAt:   json.Number(strconv.FormatFloat(float64(created.UnixMilli())/1000, 'f', -1, 64)),
		Status:      wireStatus{StatusCode: status},
		Tags:        map[string]string{},
		WorkspaceID: ws.ID,
	}
	if withEndpoint {
		out.PrometheusEndpoint = c.cfg.DataPlaneURL + "/workspaces/" + url.PathEscape(ws.ID) + "/"
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, TypeInternalServer, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}
