package grafanaapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxBody bounds request bodies; dashboards are the largest and stay well below this.
const maxBody = 8 << 20

// DataSource is a stored data source, secrets included. Only the emulator and tests see SecureJSONData; the API
// returns secureJsonFields flags instead.
type DataSource struct {
	ID              int64
	UID             string
	Name            string
	Type            string
	Access          string
	URL             string
	User            string
	Database        string
	BasicAuth       bool
	BasicAuthUser   string
	WithCredentials bool
	IsDefault       bool
	JSONData        json.RawMessage
	SecureJSONData  map[string]string
	// ReadOnly marks a data source provisioned from a file; Grafana refuses API updates to it.
	ReadOnly bool
	Version  int64
	// Updated is when the data source was last saved, Grafana's "updated" column; it feeds the plugin context's
	// LastUpdatedMS, on which the SDK's instance manager rebuilds an instance. Every save moves it forward.
	Updated time.Time
}

type dataSource struct {
	DataSource
	// concurrentEdits is how many upcoming updates find the data source changed by someone else first.
	concurrentEdits int
}

// DataSourceDTO is GET /api/datasources/uid/<uid>, with Grafana's field names and order.
type DataSourceDTO struct {
	ID               int64           `json:"id"`
	UID              string          `json:"uid"`
	OrgID            int64           `json:"orgId"`
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	TypeLogoURL      string          `json:"typeLogoUrl"`
	Access           string          `json:"access"`
	URL              string          `json:"url"`
	User             string          `json:"user"`
	Database         string          `json:"database"`
	BasicAuth        bool            `json:"basicAuth"`
	BasicAuthUser    string          `json:"basicAuthUser"`
	WithCredentials  bool            `json:"withCredentials"`
	IsDefault        bool            `json:"isDefault"`
	JSONData         json.RawMessage `json:"jsonData,omitempty"`
	SecureJSONFields map[string]bool `json:"secureJsonFields"`
	Version          int64           `json:"version"`
	ReadOnly         bool            `json:"readOnly"`
}

// listItemDTO is one entry of GET /api/datasources: no version, no secure field flags.
type listItemDTO struct {
	ID          int64           `json:"id"`
	UID         string          `json:"uid"`
	OrgID       int64           `json:"orgId"`
	Name        string          `json:"name"`
	Type        string          `json:"type"`
	TypeName    string          `json:"typeName"`
	TypeLogoURL string          `json:"typeLogoUrl"`
	Access      string          `json:"access"`
	URL         string          `json:"url"`
	User        string          `json:"user"`
	Database    string          `json:"database"`
	BasicAuth   bool            `json:"basicAuth"`
	IsDefault   bool            `json:"isDefault"`
	JSONData    json.RawMessage `json:"jsonData,omitempty"`
	ReadOnly    bool            `json:"readOnly"`
}

// updateCommand is the body of PUT /api/datasources/uid/<uid>. Grafana ignores readOnly and the secure field
// flags in it.
type updateCommand struct {
	UID             string            `json:"uid"`
	Name            string            `json:"name"`
	Type            string            `json:"type"`
	Access          string            `json:"access"`
	URL             string            `json:"url"`
	User            string            `json:"user"`
	Database        string            `json:"database"`
	BasicAuth       bool              `json:"basicAuth"`
	BasicAuthUser   string            `json:"basicAuthUser"`
	WithCredentials bool              `json:"withCredentials"`
	IsDefault       bool              `json:"isDefault"`
	JSONData        json.RawMessage   `json:"jsonData"`
	SecureJSONData  map[string]string `json:"secureJsonData"`
	Version         int64             `json:"version"`
}

// AddDataSource stores a data source as provisioning or the UI would, normalising jsonData the way Grafana's
// storage does (compact, keys sorted). A zero ID or Version gets the next id and version 1.
func (s *Server) AddDataSource(ds DataSource) error {
	jsonData, err := normaliseJSON(ds.JSONData)
	if err != nil {
		return fmt.Errorf("data source %s: jsonData: %w", ds.UID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	if ds.ID == 0 {
		ds.ID = s.nextID
	}
	if ds.Version == 0 {
		ds.Version = 1
	}
	if ds.Access == "" {
		ds.Access = "proxy"
	}
	if ds.Updated.IsZero() {
		ds.Updated = time.Now()
	}
	ds.JSONData, ds.SecureJSONData = jsonData, maps.Clone(ds.SecureJSONData)
	s.dataSources[ds.UID] = &dataSource{DataSource: ds}
	return nil
}

// DataSource returns a stored data source with its secrets.
func (s *Server) DataSource(uid string) (DataSource, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, ok := s.dataSources[uid]
	if !ok {
		return DataSource{}, false
	}
	out := ds.DataSource
	out.SecureJSONData = maps.Clone(ds.SecureJSONData)
	return out, true
}

// EditConcurrently makes the next n updates of a data source find it changed by someone else just before they
// apply (its version goes up), so a client holding the version it read gets Grafana's 409.
func (s *Server) EditConcurrently(uid string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ds, ok := s.dataSources[uid]; ok {
		ds.concurrentEdits = n
	}
}

func (s *Server) listDataSources(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	all := make([]listItemDTO, 0, len(s.dataSources))
	for _, ds := range s.dataSources {
		all = append(all, listItemDTO{
			ID: ds.ID, UID: ds.UID, OrgID: 1, Name: ds.Name, Type: ds.Type, TypeName: typeName(ds.Type),
			TypeLogoURL: logoURL(ds.Type), Access: ds.Access, URL: ds.URL, User: ds.User, Database: ds.Database,
			BasicAuth: ds.BasicAuth, IsDefault: ds.IsDefault, JSONData: ds.JSONData, ReadOnly: ds.ReadOnly,
		})
	}
	s.mu.Unlock()
	// Grafana sorts the list by name, ignoring case.
	slices.SortFunc(all, func(a, b listItemDTO) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	writeJSON(w, http.StatusOK, all)
}

func (s *Server) getDataSource(w http.ResponseWriter, r *http.Request) {
	ds, ok := s.DataSource(r.PathValue("uid"))
	if !ok {
		writeError(w, http.StatusNotFound, "Data source not found", "")
		return
	}
	writeJSON(w, http.StatusOK, ToDTO(ds))
}

// updateDataSource follows Grafana's UpdateDataSourceByUID: read-only data sources are refused with 403; a
// non-zero version must not be older than the stored one (409 otherwise) and the stored version becomes
// version+1; version 0 forces the update and stores version 1. Secrets named in secureJsonData replace the
// stored ones; the others are kept.
func (s *Server) updateDataSource(w http.ResponseWriter, r *http.Request) {
	var cmd updateCommand
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&cmd); err != nil {
		writeError(w, http.StatusBadRequest, "bad request data", "")
		return
	}
	jsonData, err := normaliseJSON(cmd.JSONData)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad request data", "")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, ok := s.dataSources[r.PathValue("uid")]
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "Data source not found", "")
		return
	case ds.ReadOnly:
		writeError(w, http.StatusForbidden, "Cannot update read-only data source", "")
		return
	case cmd.Name == "":
		writeError(w, http.StatusBadRequest, "Name is required", "")
		return
	}
	for _, other := range s.dataSources {
		if other != ds && other.Name == cmd.Name {
			writeError(w, http.StatusConflict, "Failed to update datasource: data source with the same name already exists", "")
			return
		}
	}
	if ds.concurrentEdits > 0 {
		ds.concurrentEdits--
		ds.Version++
	}
	if cmd.Version != 0 && ds.Version > cmd.Version {
		writeError(w, http.StatusConflict, "Datasource has already been updated by someone else. Please reload and try again", "")
		return
	}
	secrets := maps.Clone(ds.SecureJSONData)
	if secrets == nil {
		secrets = map[string]string{}
	}
	maps.Copy(secrets, cmd.SecureJSONData)
	next := DataSource{
		ID: ds.ID, UID: ds.UID, Name: cmd.Name, Type: cmd.Type, Access: cmd.Access, URL: cmd.URL, User: cmd.User,
		Database: cmd.Database, BasicAuth: cmd.BasicAuth, BasicAuthUser: cmd.BasicAuthUser,
		WithCredentials: cmd.WithCredentials, IsDefault: cmd.IsDefault, JSONData: jsonData, SecureJSONData: secrets,
		ReadOnly: ds.ReadOnly, Version: cmd.Version + 1, Updated: later(time.Now(), ds.Updated.Add(time.Millisecond)),
	}
	ds.DataSource = next
	writeJSON(w, http.StatusOK, map[string]any{
		"datasource": ToDTO(next), "id": next.ID, "message": "Datasource updated", "name": next.Name,
	})
}

// ToDTO is the API's view of a stored data source: no secrets, and a secureJsonFields flag for each secret with a
// value (Grafana keeps a secret saved empty, from a reset field, but does not flag it).
func ToDTO(ds DataSource) DataSourceDTO {
	flags := map[string]bool{}
	for k, v := range ds.SecureJSONData {
		if v != "" {
			flags[k] = true
		}
	}
	return DataSourceDTO{
		ID: ds.ID, UID: ds.UID, OrgID: 1, Name: ds.Name, Type: ds.Type, TypeLogoURL: logoURL(ds.Type),
		Access: ds.Access, URL: ds.URL, User: ds.User, Database: ds.Database, BasicAuth: ds.BasicAuth,
		BasicAuthUser: ds.BasicAuthUser, WithCredentials: ds.WithCredentials, IsDefault: ds.IsDefault,
		JSONData: ds.JSONData, SecureJSONFields: flags, Version: ds.Version, ReadOnly: ds.ReadOnly,
	}
}

// normaliseJSON stores jsonData as Grafana does: an object, re-encoded compactly with sorted keys and numbers
// kept as written; null or absent becomes {}.
func normaliseJSON(raw json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return json.RawMessage("{}"), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func typeName(pluginType string) string {
	switch pluginType {
	case "prometheus":
		return "Prometheus"
	case "grafana-amazonprometheus-datasource":
		return "Amazon Managed Service for Prometheus"
	}
	return pluginType
}

func logoURL(pluginType string) string {
	return "public/plugins/" + pluginType + "/img/logo.svg"
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}
