// Package grafanaapi emulates the part of Grafana's HTTP API that admin tools use: /api/health, the data source
// API (/api/datasources, /api/datasources/uid/<uid>), /api/search and the dashboard API
// (/api/dashboards/uid/<uid>, /api/dashboards/db). It behaves as Grafana documents and implements it: service
// account tokens checked as bearer tokens, RBAC permissions per token, read-only (provisioned) data sources that
// refuse updates, optimistic versions with 409 and 412 conflicts, secrets that are never returned (only
// secureJsonFields) and kept when an update omits them, and dashboards saved as numbered versions with messages.
// Faults (5xx answers) can be injected per path for retry tests.
package grafanaapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
)

// Permissions a token can hold; the names are Grafana's RBAC actions.
const (
	DataSourcesRead  = "datasources:read"
	DataSourcesWrite = "datasources:write"
	DashboardsRead   = "dashboards:read"
	DashboardsWrite  = "dashboards:write"
	DashboardsCreate = "dashboards:create"
)

// AllPermissions is what an Admin service account holds for the emulated endpoints.
var AllPermissions = []string{DataSourcesRead, DataSourcesWrite, DashboardsRead, DashboardsWrite, DashboardsCreate}

// Token is a service account token the emulator accepts.
type Token struct {
	Value       string
	Permissions []string
	// Expired tokens are known but refused, as Grafana refuses an expired service account token.
	Expired bool
}

// Server is a running emulator. Its zero value is not usable; call New or Start.
type Server struct {
	mu          sync.Mutex
	tokens      map[string]Token
	dataSources map[string]*dataSource
	dashboards  map[string]*dashboard
	nextID      int64
	faults      []*fault
	requests    []Request
	// anonymous is what requests without a token may do, like Grafana's [auth.anonymous]; nil refuses them.
	anonymous *Token

	http *httptest.Server
}

// Request is one request the emulator answered, for assertions on what a client sent.
type Request struct {
	Method, Path, RawQuery string
	// Authorization is the raw header value; tests check its scheme and that tokens never leak elsewhere.
	Authorization string
	Body          []byte
	Status        int
}

type fault struct {
	method, path string
	status       int
	remaining    int
}

// New returns an emulator with the given tokens and no data; serve it with Handler or Start.
func New(tokens ...Token) *Server {
	s := &Server{tokens: map[string]Token{}, dataSources: map[string]*dataSource{}, dashboards: map[string]*dashboard{}}
	for _, t := range tokens {
		s.tokens[t.Value] = t
	}
	return s
}

// Start serves an emulator on a free loopback port; Close stops it.
func Start(tokens ...Token) *Server {
	s := New(tokens...)
	s.http = httptest.NewServer(s.Handler())
	return s
}

// URL is the base URL of a started emulator.
func (s *Server) URL() string { return s.http.URL }

// Close stops a started emulator.
func (s *Server) Close() {
	if s.http != nil {
		s.http.Close()
	}
}

// FailNext makes the next n requests with this method and path (exact, without query) answer status with
// Grafana's JSON error body, before any other check; used to test retries and error reporting.
func (s *Server) FailNext(method, path string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, path: path, status: status, remaining: n})
}

// AllowAnonymous lets requests without an Authorization header act with these permissions, as Grafana does
// with anonymous access enabled ([auth.anonymous] enabled = true); a browser page can then read dashboards.
func (s *Server) AllowAnonymous(permissions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.anonymous = &Token{Permissions: permissions}
}

// Requests returns the requests answered so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Handler serves the emulated API; a harness can mount it next to its own routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/health", s.health)
	mux.HandleFunc("GET /api/datasources", s.auth(DataSourcesRead, s.listDataSources))
	mux.HandleFunc("GET /api/datasources/uid/{uid}", s.auth(DataSourcesRead, s.getDataSource))
	mux.HandleFunc("PUT /api/datasources/uid/{uid}", s.auth(DataSourcesWrite, s.updateDataSource))
	mux.HandleFunc("GET /api/search", s.auth(DashboardsRead, s.search))
	mux.HandleFunc("GET /api/dashboards/uid/{uid}", s.auth(DashboardsRead, s.getDashboard))
	// Saving needs dashboards:create or dashboards:write depending on whether the dashboard exists.
	mux.HandleFunc("POST /api/dashboards/db", s.auth("", s.saveDashboard))
	return s.record(mux)
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"commit": "emulated", "database": "ok", "version": "12.2.0"})
}

// auth checks the bearer token and the permission an endpoint needs (none when empty), answering like Grafana
// does.
func (s *Server) auth(permission string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		value, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		token, known := s.tokens[value]
		if r.Header.Get("Authorization") == "" && s.anonymous != nil {
			token, known, ok, value = *s.anonymous, true, true, "anonymous"
		}
		s.mu.Unlock()
		switch {
		case !ok || value == "":
			writeError(w, http.StatusUnauthorized, "Unauthorized", "auth.unauthorized")
			return
		case !known:
			writeError(w, http.StatusUnauthorized, "Invalid API key", "api-key.invalid")
			return
		case token.Expired:
			writeError(w, http.StatusUnauthorized, "Expired API key", "api-key.expired")
			return
		}
		if permission != "" && !slices.Contains(token.Permissions, permission) {
			writeJSON(w, http.StatusForbidden, map[string]string{
				"accessErrorId": "ACE0000000001",
				"message":       "You'll need additional permissions to perform this action. Permissions needed: " + permission,
				"title":         "Access denied",
			})
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, token)))
	}
}

// callerKey holds, in a request's context, the token auth accepted for it.
type callerKey struct{}

// callerHas reports whether the token auth accepted for r holds permission, for endpoints whose permission
// depends on what they find.
func callerHas(r *http.Request, permission string) bool {
	token, _ := r.Context().Value(callerKey{}).(Token)
	return slices.Contains(token.Permissions, permission)
}

// record logs every request and applies injected faults first.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := readBody(r)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if status := s.takeFault(r.Method, r.URL.Path); status != 0 {
			writeError(rec, status, http.StatusText(status), "")
		} else {
			next.ServeHTTP(rec, r)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests = append(s.requests, Request{
			Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			Authorization: r.Header.Get("Authorization"), Body: body, Status: rec.status,
		})
	})
}

func (s *Server) takeFault(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.remaining > 0 && f.method == method && f.path == path {
			f.remaining--
			return f.status
		}
	}
	return 0
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// writeError writes Grafana's error body: a message, and for auth errors a messageId and statusCode.
func writeError(w http.ResponseWriter, status int, message, messageID string) {
	body := map[string]any{"message": message}
	if messageID != "" {
		body["messageId"], body["statusCode"] = messageID, status
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
