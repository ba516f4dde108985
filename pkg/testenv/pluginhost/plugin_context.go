package pluginhost

import (
	"maps"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// InstanceSettings returns the DataSourceInstanceSettings Grafana sends for d
// under the given numeric id.
func (d DataSource) InstanceSettings(id int64) *pluginv2.DataSourceInstanceSettings {
	jsonData := []byte(d.JSONData)
	if jsonData == nil {
		jsonData = []byte("{}")
	}
	return &pluginv2.DataSourceInstanceSettings{
		Id:                      id,
		Uid:                     d.UID,
		Name:                    d.Name,
		Url:                     d.URL,
		User:                    d.User,
		Database:                d.Database,
		BasicAuthEnabled:        d.BasicAuth,
		BasicAuthUser:           d.BasicAuthUser,
		JsonData:                jsonData,
		DecryptedSecureJsonData: maps.Clone(d.SecureJSONData),
		LastUpdatedMS:           d.LastUpdated.UnixMilli(),
		ApiVersion:              d.APIVersion,
	}
}

// PluginContext returns the PluginContext Grafana attaches to every request
// for d, issued by the admin user. grafanaConfig is usually GrafanaConfig(...).
func (d DataSource) PluginContext(grafanaConfig map[string]string) *pluginv2.PluginContext {
	orgID := d.OrgID
	if orgID == 0 {
		orgID = 1
	}
	return &pluginv2.PluginContext{
		OrgId:                      orgID,
		PluginId:                   d.Type,
		PluginVersion:              d.PluginVersion,
		User:                       AdminUser(),
		DataSourceInstanceSettings: d.InstanceSettings(d.ID),
		GrafanaConfig:              maps.Clone(grafanaConfig),
		UserAgent:                  UserAgent(),
		Namespace:                  namespace(orgID),
	}
}

// AdminUser is Grafana's default admin user.
func AdminUser() *pluginv2.User {
	return &pluginv2.User{Login: "admin", Name: "admin", Email: "admin@localhost", Role: "Admin"}
}

// namespace follows Grafana's mapping: org 1 is "default", others "org-<id>".
func namespace(orgID int64) string {
	if orgID == 1 {
		return "default"
	}
	return "org-" + strconv.FormatInt(orgID, 10)
}
