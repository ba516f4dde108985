package migrate

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// DashboardMeta is the part of GET /api/dashboards/uid/<uid>'s meta the retarget command reads.
type DashboardMeta struct {
	FolderUID   string `json:"folderUid"`
	Provisioned bool   `json:"provisioned"`
	Version     int64  `json:"version"`
	URL         string `json:"url"`
}

// SaveRequest is the body of POST /api/dashboards/db.
type SaveRequest struct {
	Dashboard map[string]any `json:"dashboard"`
	FolderUID string         `json:"folderUid,omitempty"`
	Message   string         `json:"message,omitempty"`
	Overwrite bool           `json:"overwrite"`
}

// SaveResult is Grafana's answer to a save.
type SaveResult struct {
	UID     string `json:"uid"`
	Version int64  `json:"version"`
	URL     string `json:"url"`
}

// DashboardHit is one /api/search result.
type DashboardHit struct {
	UID   string `json:"uid"`
	Title string `json:"title"`
}

// GetDashboard reads a dashboard model, numbers kept as written.
func (c *Client) GetDashboard(ctx context.Context, uid string) (map[string]any, DashboardMeta, error) {
	var out struct {
		Dashboard json.RawMessage `json:"dashboard"`
		Meta      DashboardMeta   `json:"meta"`
	}
	if err := c.do(ctx, http.MethodGet, "/api/dashboards/uid/"+url.PathEscape(uid), nil, nil, &out); err != nil {
		return nil, DashboardMeta{}, err
	}
	model, err := DecodeDashboard(out.Dashboard)
	return model, out.Meta, err
}

// SaveDashboard saves a dashboard through /api/dashboards/db.
func (c *Client) SaveDashboard(ctx context.Context, req SaveRequest) (SaveResult, error) {
	var out SaveResult
	err := c.do(ctx, http.MethodPost, "/api/dashboards/db", nil, req, &out)
	return out, err
}

// SearchDashboards lists every dashboard the token can read, page by page.
func (c *Client) SearchDashboards(ctx context.Context) ([]DashboardHit, error) {
	const limit = 1000
	var all []DashboardHit
	for page := 1; ; page++ {
		var hits []DashboardHit
		q := url.Values{"type": {"dash-db"}, "limit": {strconv.Itoa(limit)}, "page": {strconv.Itoa(page)}}
		if err := c.do(ctx, http.MethodGet, "/api/search", q, nil, &hits); err != nil {
			return nil, err
		}
		all = append(all, hits...)
		if len(hits) < limit {
			return all, nil
		}
	}
}

// DecodeDashboard parses a dashboard model keeping numbers exactly as written.
func DecodeDashboard(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, &UsageError{Msg: "the dashboard JSON is not an object"}
	}
	return m, nil
}
