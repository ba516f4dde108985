package harness

import (
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
)

// Settings is a data source as Grafana's settings API shows it to the browser: everything but the secrets,
// which appear only as flags in SecureJSONFields.
type Settings struct {
	ID               int64           `json:"id"`
	UID              string          `json:"uid"`
	OrgID            int64           `json:"orgId"`
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	TypeName         string          `json:"typeName"`
	TypeLogoURL      string          `json:"typeLogoUrl"`
	Access           string          `json:"access"`
	URL              string          `json:"url"`
	User             string          `json:"user"`
	Database         string          `json:"database"`
	BasicAuth        bool            `json:"basicAuth"`
	BasicAuthUser    string          `json:"basicAuthUser"`
	IsDefault        bool            `json:"isDefault"`
	JSONData         json.RawMessage `json:"jsonData"`
	SecureJSONFields map[string]bool `json:"secureJsonFields"`
	ReadOnly         bool            `json:"readOnly"`
	WithCredentials  bool            `json:"withCredentials"`
	Version          int64           `json:"version"`
}

// update is the body of PUT /api/datasources/uid/<uid>: the settings plus new secrets.
type update struct {
	Settings
	SecureJSONData map[string]string `json:"secureJsonData"`
}

type dataSource struct {
	settings    Settings
	secrets     map[string]string
	lastUpdated time.Time
}

// store holds the data sources the harness serves, like Grafana's database.
type store struct {
	mu  sync.Mutex
	all map[string]*dataSource
}

func newStore() *store { return &store{all: map[string]*dataSource{}} }

// add registers a provisioned data source under its UID.
func (s *store) add(ds pluginhost.DataSource) Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	jsonData := ds.JSONData
	if len(jsonData) == 0 {
		jsonData = json.RawMessage("{}")
	}
	settings := Settings{
		ID: ds.ID, UID: ds.UID, OrgID: 1, Name: ds.Name, Type: ds.Type,
		TypeName: "Amazon Managed Service for Prometheus", Access: "proxy", URL: ds.URL,
		BasicAuth: ds.BasicAuth, BasicAuthUser: ds.BasicAuthUser, JSONData: jsonData, Version: 1,
	}
	entry := &dataSource{settings: settings, secrets: maps.Clone(ds.SecureJSONData), lastUpdated: time.Now()}
	if entry.secrets == nil {
		entry.secrets = map[string]string{}
	}
	entry.settings.SecureJSONFields = secretFlags(entry.secrets)
	s.all[ds.UID] = entry
	return entry.settings
}

// save applies an edit from the settings page: secrets with a value replace the stored ones, an empty value
// removes one, and secrets that are not mentioned stay. The version goes up, so the plugin rebuilds its instance.
func (s *store) save(uid string, u update) (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, ok := s.all[uid]
	if !ok {
		return Settings{}, fmt.Errorf("data source %q not found", uid)
	}
	if !json.Valid(u.JSONData) {
		return Settings{}, fmt.Errorf("jsonData is not valid JSON")
	}
	for k, v := range u.SecureJSONData {
		if v == "" {
			delete(entry.secrets, k)
		} else {
			entry.secrets[k] = v
		}
	}
	next := entry.settings
	next.URL, next.BasicAuth, next.BasicAuthUser, next.JSONData = u.URL, u.BasicAuth, u.BasicAuthUser, u.JSONData
	next.Name, next.Access = u.Name, u.Access
	next.Version++
	next.SecureJSONFields = secretFlags(entry.secrets)
	entry.settings = next
	// The SDK's instance manager rebuilds an instance only when this changes; keep it strictly increasing.
	entry.lastUpdated = maxTime(time.Now(), entry.lastUpdated.Add(time.Millisecond))
	return next, nil
}

// get returns the browser view of a data source.
func (s *store) get(uid string) (Settings, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, ok := s.all[uid]
	if !ok {
		return Settings{}, false
	}
	return entry.settings, true
}

// pluginDataSource returns what the plugin receives for a data source, secrets included.
func (s *store) pluginDataSource(uid string) (pluginhost.DataSource, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, ok := s.all[uid]
	if !ok {
		return pluginhost.DataSource{}, false
	}
	st := entry.settings
	return pluginhost.DataSource{
		Name: st.Name, Type: st.Type, UID: st.UID, URL: st.URL, Access: st.Access,
		BasicAuth: st.BasicAuth, BasicAuthUser: st.BasicAuthUser, JSONData: st.JSONData,
		SecureJSONData: maps.Clone(entry.secrets), ID: st.ID, OrgID: 1, LastUpdated: entry.lastUpdated,
	}, true
}

// secretsOf returns a copy of a data source's stored secrets, for test assertions.
func (s *store) secretsOf(uid string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if entry, ok := s.all[uid]; ok {
		return maps.Clone(entry.secrets)
	}
	return nil
}

func secretFlags(secrets map[string]string) map[string]bool {
	flags := map[string]bool{}
	for k := range secrets {
		flags[k] = true
	}
	return flags
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
