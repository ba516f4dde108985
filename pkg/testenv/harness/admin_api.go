package harness

import (
	"net/http"
	"sort"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
)

// AdminToken is the service account token the harness's admin API accepts, for ampmigrate against the page.
const AdminToken = "glsa_harness_admin_token"

// serveAdminAPI mounts Grafana's data source list, search, dashboard and health API (the grafanaapi emulator)
// next to the harness's own /api/datasources/uid/ routes, so admin tools such as ampmigrate can save
// dashboards that the page then opens. The list holds the harness's data sources as they were at start;
// anonymous requests (the page) may read dashboards, as with Grafana's anonymous access.
func (s *Server) serveAdminAPI(mux *http.ServeMux) error {
	s.Admin = grafanaapi.New(grafanaapi.Token{Value: AdminToken, Permissions: grafanaapi.AllPermissions})
	s.Admin.AllowAnonymous(grafanaapi.DashboardsRead)
	s.store.mu.Lock()
	uids := make([]string, 0, len(s.store.all))
	for uid := range s.store.all {
		uids = append(uids, uid)
	}
	sort.Strings(uids)
	var all []grafanaapi.DataSource
	for _, uid := range uids {
		e := s.store.all[uid]
		all = append(all, grafanaapi.DataSource{
			ID: e.settings.ID, UID: uid, Name: e.settings.Name, Type: e.settings.Type, URL: e.settings.URL,
			JSONData: e.settings.JSONData, SecureJSONData: e.secrets,
		})
	}
	s.store.mu.Unlock()
	for _, ds := range all {
		if err := s.Admin.AddDataSource(ds); err != nil {
			return err
		}
	}
	h := s.Admin.Handler()
	for _, path := range []string{"/api/health", "/api/datasources", "/api/search", "/api/dashboards/"} {
		mux.Handle(path, h)
	}
	return nil
}
