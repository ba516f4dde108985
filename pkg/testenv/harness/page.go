package harness

import (
	"encoding/json"
	"html/template"
	"net/http"
)

// pageTemplate is the playground page. The boot data must exist before the bundle loads: @grafana/runtime reads it
// into its config when the module is first evaluated; @grafana/ui reads the public path for icons and fonts.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AMP data source: playground</title>
<link rel="icon" href="/public/build/img/icons/mono/grafana.svg">
</head>
<body>
<div id="root"></div>
<script>
window.grafanaBootData = {{.BootData}};
window.harnessConfig = {{.HarnessConfig}};
window.__grafana_public_path__ = {{.PublicPath}};
</script>
<script src="/build/harness.js"></script>
</body>
</html>
`))

// bootData is the part of Grafana's window.grafanaBootData the editors read.
func (s *Server) bootData() map[string]any {
	return map[string]any{
		"settings": map[string]any{
			"awsAllowedAuthProviders": s.opts.AllowedAuthProviders,
			"awsAssumeRoleEnabled":    s.opts.AssumeRoleEnabled,
			"featureToggles":          map[string]bool{},
			"buildInfo":               map[string]string{"version": "13.0.0", "env": "production"},
			"namespace":               "default",
		},
		"user":    map[string]any{"theme": "light", "lightTheme": true, "timezone": "utc"},
		"navTree": []any{},
		"assets":  map[string]string{"light": "", "dark": ""},
	}
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	harness := map[string]any{
		"queryDataSource":    s.pageSettings(QueryDataSourceUID),
		"configDataSource":   s.pageSettings(ConfigDataSourceUID),
		"migratedDataSource": s.pageSettings(MigratedDataSourceUID),
		"range":              map[string]int64{"from": s.opts.From.UnixMilli(), "to": s.opts.To.UnixMilli()},
	}
	// html/template escapes values for a script context when they are JSON-marshalable; marshal explicitly so
	// json.RawMessage fields stay objects.
	boot, err := json.Marshal(s.bootData())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	cfg, err := json.Marshal(harness)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pageTemplate.Execute(w, map[string]any{
		"BootData":      template.JS(boot),
		"HarnessConfig": template.JS(cfg),
		"PublicPath":    publicPath,
	})
}
