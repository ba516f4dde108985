package harness

import (
	"maps"
	"net/http"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
)

// AdminToken is the service account token the harness's Grafana API accepts, for ampmigrate against the page.
const AdminToken = "glsa_harness_admin_token"

// The harness keeps its data sources in the Grafana API emulator (Server.Admin), as Grafana keeps them in its
// database: the settings page reads and saves them through the same API admin tools such as ampmigrate use, and
// the plugin receives what is stored there, so an edit from either side is what the other sees.

// newAdminAPI is the Grafana API of the page. The page itself sends no token: like Grafana with anonymous access
// as an Admin, it may read and save data sources and read dashboards.
func newAdminAPI() *grafanaapi.Server {
	admin := grafanaapi.New(grafanaapi.Token{Value: AdminToken, Permissions: grafanaapi.AllPermissions})
	admin.AllowAnonymous(grafanaapi.DataSourcesRead, grafanaapi.DataSourcesWrite, grafanaapi.DashboardsRead)
	return admin
}

// serveAdminAPI mounts the emulator's health, data source, search and dashboard routes; the harness's own
// /api/datasources/uid/<uid>/{health,resources/...} routes stay beside them.
func (s *Server) serveAdminAPI(mux *http.ServeMux) {
	h := s.Admin.Handler()
	for _, path := range []string{"/api/health", "/api/datasources", "/api/search", "/api/dashboards/"} {
		mux.Handle(path, h)
	}
	mux.HandleFunc("GET /api/datasources/uid/{uid}", s.withTimeout(h.ServeHTTP))
	mux.HandleFunc("PUT /api/datasources/uid/{uid}", s.withTimeout(h.ServeHTTP))
}

// addDataSource stores a provisioned data source.
func (s *Server) addDataSource(ds pluginhost.DataSource) error {
	return s.Admin.AddDataSource(grafanaapi.DataSource{
		ID: ds.ID, UID: ds.UID, Name: ds.Name, Type: ds.Type, Access: ds.Access, URL: ds.URL, User: ds.User,
		Database: ds.Database, BasicAuth: ds.BasicAuth, BasicAuthUser: ds.BasicAuthUser, IsDefault: ds.IsDefault,
		JSONData: ds.JSONData, SecureJSONData: ds.SecureJSONData,
	})
}

// pluginDataSource returns what the plugin receives for a data source, secrets included.
func (s *Server) pluginDataSource(uid string) (pluginhost.DataSource, bool) {
	ds, ok := s.Admin.DataSource(uid)
	if !ok {
		return pluginhost.DataSource{}, false
	}
	return pluginhost.DataSource{
		Name: ds.Name, Type: ds.Type, UID: ds.UID, URL: ds.URL, Access: ds.Access, User: ds.User,
		Database: ds.Database, BasicAuth: ds.BasicAuth, BasicAuthUser: ds.BasicAuthUser, JSONData: ds.JSONData,
		SecureJSONData: maps.Clone(ds.SecureJSONData), ID: ds.ID, OrgID: 1, LastUpdated: ds.Updated,
	}, true
}

// pageSettings is a data source as the page starts from: the API's view, plus the plugin's name, which Grafana's
// settings page takes from the plugin's meta.
type pageSettings struct {
	grafanaapi.DataSourceDTO
	TypeName string `json:"typeName"`
}

func (s *Server) pageSettings(uid string) pageSettings {
	ds, _ := s.Admin.DataSource(uid)
	return pageSettings{DataSourceDTO: grafanaapi.ToDTO(ds), TypeName: "Amazon Managed Service for Prometheus"}
}
