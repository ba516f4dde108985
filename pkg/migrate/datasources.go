package migrate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Data source types and the jsonData flag Grafana's Prometheus type migration sets.
const (
	PluginType     = "grafana-amazonprometheus-datasource"
	PrometheusType = "prometheus"
	MigrationFlag  = "prometheus-type-migration"
)

// States match the banners Grafana's config page shows for a data source.
const (
	StateMigrated    = "migrated"
	StateNotMigrated = "not-migrated"
	StateNotNeeded   = "not-needed"
)

// ListItem is one entry of GET /api/datasources.
type ListItem struct {
	UID      string          `json:"uid"`
	Name     string          `json:"name"`
	Type     string          `json:"type"`
	ReadOnly bool            `json:"readOnly"`
	JSONData json.RawMessage `json:"jsonData"`
}

// State classifies a data source: migrated (this plugin's type with the migration flag), not-migrated (core
// Prometheus with SigV4) or not-needed (anything else).
func (d ListItem) State() string {
	var jd map[string]any
	_ = json.Unmarshal(d.JSONData, &jd)
	switch {
	case d.Type == PluginType && truthy(jd[MigrationFlag]):
		return StateMigrated
	case d.Type == PrometheusType && truthy(jd["sigV4Auth"]):
		return StateNotMigrated
	}
	return StateNotNeeded
}

// truthy accepts the boolean Grafana writes and the "true" string provisioning files sometimes carry.
func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return b == "true"
	}
	return false
}

// ListDataSources returns every data source of the token's organisation.
func (c *Client) ListDataSources(ctx context.Context) ([]ListItem, error) {
	var out []ListItem
	err := c.do(ctx, http.MethodGet, "/api/datasources", nil, nil, &out)
	return out, err
}

// DataSource is GET /api/datasources/uid/<uid> kept field by field as Grafana sent it, so a PUT sends back
// exactly what was read apart from the fields a conversion changes.
type DataSource map[string]json.RawMessage

// GetDataSource reads one data source with its version.
func (c *Client) GetDataSource(ctx context.Context, uid string) (DataSource, error) {
	var out DataSource
	err := c.do(ctx, http.MethodGet, "/api/datasources/uid/"+url.PathEscape(uid), nil, nil, &out)
	return out, err
}

// UpdateDataSource PUTs a data source back.
func (c *Client) UpdateDataSource(ctx context.Context, uid string, ds DataSource) error {
	return c.do(ctx, http.MethodPut, "/api/datasources/uid/"+url.PathEscape(uid), nil, ds, nil)
}

// Str returns a string field, empty when absent.
func (d DataSource) Str(key string) string {
	var s string
	_ = json.Unmarshal(d[key], &s)
	return s
}

// Bool returns a boolean field, false when absent.
func (d DataSource) Bool(key string) bool {
	var b bool
	_ = json.Unmarshal(d[key], &b)
	return b
}

// Item returns the list view of this data source.
func (d DataSource) Item() ListItem {
	return ListItem{UID: d.Str("uid"), Name: d.Str("name"), Type: d.Str("type"), ReadOnly: d.Bool("readOnly"), JSONData: d["jsonData"]}
}

// converted returns the PUT body for a type change: the data source as read, with the new type and the
// migration flag, the version it was read at (so a concurrent edit is detected) and no secureJsonData, so
// Grafana keeps the stored secrets.
func (d DataSource) converted(newType string, flag bool) (DataSource, error) {
	out := DataSource{}
	for k, v := range d {
		out[k] = v
	}
	delete(out, "secureJsonData")
	jsonData := map[string]json.RawMessage{}
	if raw := bytes.TrimSpace(d["jsonData"]); len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &jsonData); err != nil {
			return nil, fmt.Errorf("jsonData of %s is not a JSON object: %w", d.Str("uid"), err)
		}
	}
	jsonData[MigrationFlag], _ = json.Marshal(flag)
	var err error
	if out["jsonData"], err = json.Marshal(jsonData); err != nil {
		return nil, err
	}
	out["type"], _ = json.Marshal(newType)
	return out, nil
}
