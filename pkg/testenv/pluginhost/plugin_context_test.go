package pluginhost

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPluginContextFromDataSource(t *testing.T) {
	updated := time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
	ds := DataSource{
		ID: 7, Name: "AMP", Type: "grafana-amazonprometheus-datasource", UID: "amp", URL: "http://127.0.0.1:1/",
		User: "u", Database: "db", BasicAuth: true, BasicAuthUser: "bob", APIVersion: "v0alpha1",
		JSONData: json.RawMessage(`{"sigV4Auth":true}`), SecureJSONData: map[string]string{"k": "v"},
		LastUpdated: updated, PluginVersion: "2.0.0",
	}
	cfg := GrafanaConfig(nil)
	pc := ds.PluginContext(cfg)

	assert.Equal(t, int64(1), pc.OrgId, "org defaults to 1")
	assert.Equal(t, "default", pc.Namespace)
	assert.Equal(t, "grafana-amazonprometheus-datasource", pc.PluginId)
	assert.Equal(t, "2.0.0", pc.PluginVersion)
	assert.Equal(t, "admin", pc.User.GetLogin())
	assert.Equal(t, "Admin", pc.User.GetRole())
	assert.Equal(t, UserAgent(), pc.UserAgent)
	assert.Equal(t, cfg, pc.GrafanaConfig)

	s := pc.DataSourceInstanceSettings
	assert.Equal(t, int64(7), s.Id)
	assert.Equal(t, "amp", s.Uid)
	assert.Equal(t, "AMP", s.Name)
	assert.Equal(t, "http://127.0.0.1:1/", s.Url)
	assert.Equal(t, "u", s.User)
	assert.Equal(t, "db", s.Database)
	assert.True(t, s.BasicAuthEnabled)
	assert.Equal(t, "bob", s.BasicAuthUser)
	assert.Equal(t, "v0alpha1", s.ApiVersion)
	assert.Equal(t, `{"sigV4Auth":true}`, string(s.JsonData))
	assert.Equal(t, map[string]string{"k": "v"}, s.DecryptedSecureJsonData)
	assert.Equal(t, updated.UnixMilli(), s.LastUpdatedMS)

	// The context owns copies: later edits to the inputs must not leak in.
	cfg["GF_APP_URL"] = "changed"
	ds.SecureJSONData["k"] = "changed"
	assert.Equal(t, "http://localhost:3000/", pc.GrafanaConfig["GF_APP_URL"])
	assert.Equal(t, "v", s.DecryptedSecureJsonData["k"])

	ds.OrgID = 4
	ds.JSONData = nil
	other := ds.PluginContext(nil)
	assert.Equal(t, int64(4), other.OrgId)
	assert.Equal(t, "org-4", other.Namespace)
	assert.Equal(t, "{}", string(other.DataSourceInstanceSettings.JsonData))
	assert.Equal(t, int64(99), ds.InstanceSettings(99).Id)
}
