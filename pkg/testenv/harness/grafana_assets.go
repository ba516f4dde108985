package harness

import (
	"net/http"
	"path/filepath"
	"strings"
)

// publicPath is where the page tells @grafana/ui to find Grafana's static files (window.__grafana_public_path__):
// icons under build/img/icons/ (img/icons/ for Grafana 11's @grafana/ui), fonts under fonts/.
const publicPath = "/public/"

// grafanaFonts maps the font files @grafana/ui's global styles ask for to the same faces in the Fontsource
// packages (Grafana serves its own copies, which no npm package ships).
var grafanaFonts = map[string]string{
	"inter/Inter-Regular.woff2":      "@fontsource/inter/files/inter-latin-400-normal.woff2",
	"inter/Inter-Italic.woff2":       "@fontsource/inter/files/inter-latin-400-italic.woff2",
	"inter/Inter-Medium.woff2":       "@fontsource/inter/files/inter-latin-500-normal.woff2",
	"inter/Inter-MediumItalic.woff2": "@fontsource/inter/files/inter-latin-500-italic.woff2",
}

// robotoMono is the monospace face for any file under fonts/roboto/ (Grafana names it by a Google Fonts hash).
const robotoMono = "@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2"

// serveGrafanaAssets serves Grafana's icons from the installed @grafana/ui package and its fonts from the
// Fontsource packages, so the editors look as they do in Grafana.
func (s *Server) serveGrafanaAssets(mux *http.ServeMux) {
	modules := filepath.Join(s.opts.Stack.Root, "node_modules")
	icons := filepath.Join(modules, "@grafana", "ui", "dist", "public", "img", "icons")
	for _, prefix := range []string{publicPath + "build/img/icons/", publicPath + "img/icons/"} {
		mux.Handle(prefix, http.StripPrefix(prefix, cached(http.FileServer(http.Dir(icons)))))
	}
	mux.HandleFunc(publicPath+"fonts/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, publicPath+"fonts/")
		file, ok := grafanaFonts[name]
		if !ok && strings.HasPrefix(name, "roboto/") && strings.HasSuffix(name, ".woff2") {
			file, ok = robotoMono, true
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "font/woff2")
		w.Header().Set("Cache-Control", "max-age=3600")
		http.ServeFile(w, r, filepath.Join(modules, filepath.FromSlash(file)))
	})
}

// cached lets the browser keep icons for an hour; the page asks for each icon once per render otherwise.
func cached(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		h.ServeHTTP(w, r)
	})
}
