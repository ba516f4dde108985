// Package harness serves the playground page (src/browser/harness, also driven by the browser test) and stands in
// for Grafana's HTTP API behind it: resource calls, /api/ds/query, health checks and saving data source settings
// all go to a built plugin process, over the same gRPC calls Grafana makes. The plugin reaches the local stack's AMP emulator for queries and an
// emulated AMP control plane (through AWS_ENDPOINT_URL_AMP) for the workspace picker.
package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/migrate"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// UIDs of the data sources the harness page edits.
const (
	// QueryDataSourceUID is the provisioned data source the query editor and variables use.
	QueryDataSourceUID = "amp-query"
	// ConfigDataSourceUID is the data source the config editor edits and saves.
	ConfigDataSourceUID = "amp-config"
	// MigratedDataSourceUID is the uid of the core Prometheus data source the saved dashboard fixture
	// (src/testing/prometheus_dashboard.json) refers to; Grafana's type migration keeps it.
	MigratedDataSourceUID = "amp"
	// StagingWorkspaceID is a second, not yet active workspace the control plane lists.
	StagingWorkspaceID = "ws-staging-0000"
)

// Options configures Start.
type Options struct {
	// Stack provides Prometheus, the AMP emulator and the plugin executable; required.
	Stack *stack.Stack
	// AssetsDir holds the built page (harness.js); default <module root>/build/harness.
	AssetsDir string
	// Addr is the loopback host:port the page is served on; default 127.0.0.1:0 (a free port).
	Addr string
	// AllowedAuthProviders is Grafana's [aws] allowed_auth_providers; default default,keys,credentials.
	AllowedAuthProviders []string
	// AssumeRoleEnabled is Grafana's [aws] assume_role_enabled.
	AssumeRoleEnabled bool
	// From and To are the page's dashboard time range; default the fixture's range.
	From, To time.Time
	// PluginStderr receives the plugin's logs; default discarded.
	PluginStderr io.Writer
}

// Server is a running harness.
type Server struct {
	// URL is the page address, http://127.0.0.1:<port>/.
	URL string
	// ControlPlane is the emulated AMP control plane the workspace picker lists.
	ControlPlane *ampemu.ControlPlane
	// Admin serves Grafana's data source, dashboard and search API and stores the data sources (datasources.go).
	Admin *grafanaapi.Server

	opts   Options
	plugin *pluginhost.Plugin
	http   *http.Server
	served chan struct{}

	mu      sync.Mutex
	calls   []ResourceCall
	queries []QueryCall
}

// Start launches a plugin process wired to an emulated control plane and serves the harness on a free
// loopback port. Close stops everything it started.
func Start(ctx context.Context, opts Options) (s *Server, err error) {
	if opts.Stack == nil {
		return nil, errors.New("harness: Options.Stack is required")
	}
	if opts.AssetsDir == "" {
		opts.AssetsDir = filepath.Join(opts.Stack.Root, "build", "harness")
	}
	if _, err := os.Stat(filepath.Join(opts.AssetsDir, "harness.js")); err != nil {
		return nil, fmt.Errorf("harness: the page is not built (%s is missing): run `npm run build:harness` first",
			filepath.Join(opts.AssetsDir, "harness.js"))
	}
	if len(opts.AllowedAuthProviders) == 0 {
		opts.AllowedAuthProviders = []string{"default", "keys", "credentials"}
	}
	if opts.From.IsZero() || opts.To.IsZero() {
		opts.From, opts.To = promserver.FixtureStart, promserver.FixtureEnd
	}
	st := opts.Stack
	s = &Server{opts: opts, Admin: newAdminAPI()}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()
	s.ControlPlane, err = ampemu.StartControlPlane(ampemu.ControlPlaneConfig{
		Region: st.Region,
		Keys:   []ampemu.Key{{AccessKeyID: stack.AccessKeyID, SecretAccessKey: stack.SecretAccessKey}},
		Workspaces: []ampemu.WorkspaceInfo{
			{ID: stack.WorkspaceID, Alias: "emulated"},
			{ID: StagingWorkspaceID, Alias: "staging", Status: ampemu.StatusCreating},
		},
		DataPlaneURL: st.AMP.URL(),
	})
	if err != nil {
		return nil, err
	}
	exe, err := stack.PluginExecutable(st.Root)
	if err != nil {
		return nil, err
	}
	s.plugin, err = pluginhost.Launch(ctx, exe, pluginhost.LaunchOptions{
		Env:    append(stack.PluginEnv(), "AWS_ENDPOINT_URL_AMP="+s.ControlPlane.URL()),
		Stderr: opts.PluginStderr,
	})
	if err != nil {
		return nil, err
	}
	if err := s.addDataSources(); err != nil {
		return nil, err
	}
	return s, s.listen()
}

// addDataSources registers the provisioned query data source, the one the config editor starts from (SigV4 with
// the default credential chain and a placeholder workspace, as a user would have after a first save), and a core
// Prometheus data source with SigV4 as Grafana 13's type migration leaves it: same uid and connection, this
// plugin's type, and the migration flag in jsonData.
func (s *Server) addDataSources() error {
	st := s.opts.Stack
	queryDS, err := st.LoadDataSource(filepath.Join("provisioning", "datasources", "amazon-prometheus.yaml"))
	if err != nil {
		return err
	}
	migrated := queryDS
	queryDS.ID, queryDS.UID = 1, QueryDataSourceUID
	if err := s.addDataSource(queryDS); err != nil {
		return err
	}

	var jsonData map[string]any
	if err := json.Unmarshal(migrated.JSONData, &jsonData); err != nil {
		return fmt.Errorf("harness: provisioned jsonData: %w", err)
	}
	jsonData[migrate.MigrationFlag] = true
	if migrated.JSONData, err = json.Marshal(jsonData); err != nil {
		return err
	}
	migrated.ID, migrated.UID, migrated.Name = 3, MigratedDataSourceUID, "Prometheus (migrated)"
	if err := s.addDataSource(migrated); err != nil {
		return err
	}
	return s.addDataSource(pluginhost.DataSource{
		ID: 2, UID: ConfigDataSourceUID, Name: "AMP (config editor)", Type: queryDS.Type,
		URL:      "https://aps-workspaces." + st.Region + ".amazonaws.com/workspaces/ws-placeholder/",
		JSONData: []byte(`{"sigV4Auth":true,"sigV4AuthType":"default","sigV4Region":"` + st.Region + `","httpMethod":"POST"}`),
	})
}

func (s *Server) listen() error {
	addr := s.opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("harness: listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.servePage)
	mux.Handle("/build/", http.StripPrefix("/build/", http.FileServer(http.Dir(s.opts.AssetsDir))))
	s.serveGrafanaAssets(mux)
	s.serveAdminAPI(mux)
	mux.HandleFunc("/api/datasources/uid/", s.withTimeout(s.serveDataSourceAPI))
	mux.HandleFunc("/api/ds/query", s.withTimeout(s.serveQuery))
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.served = make(chan struct{})
	s.URL = "http://" + ln.Addr().String() + "/"
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln)
	}()
	return nil
}

func (s *Server) withTimeout(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		h(w, r.WithContext(ctx))
	}
}

// grafanaConfig is the GrafanaConfig of every plugin request, with the [aws] settings the page shows.
func (s *Server) grafanaConfig() map[string]string {
	return pluginhost.GrafanaConfig(map[string]string{
		pluginhost.AWSAllowedAuthProviders: strings.Join(s.opts.AllowedAuthProviders, ","),
		pluginhost.AWSAssumeRoleEnabled:    strconv.FormatBool(s.opts.AssumeRoleEnabled),
	})
}

// ResourceCalls returns the resource requests the page made so far, in order.
func (s *Server) ResourceCalls() []ResourceCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ResourceCall(nil), s.calls...)
}

// QueryCalls returns the /api/ds/query queries the page sent so far, in order.
func (s *Server) QueryCalls() []QueryCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]QueryCall(nil), s.queries...)
}

// PluginPid is the process id of the plugin the page talks to.
func (s *Server) PluginPid() int { return s.plugin.Pid() }

// DataSource returns a stored data source with its secrets.
func (s *Server) DataSource(uid string) (grafanaapi.DataSource, bool) {
	return s.Admin.DataSource(uid)
}

// Close stops the HTTP server, the plugin process and the control plane.
func (s *Server) Close() error {
	var errs []error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, s.http.Shutdown(ctx))
		cancel()
		<-s.served
	}
	if s.plugin != nil {
		errs = append(errs, s.plugin.Close())
	}
	if s.ControlPlane != nil {
		errs = append(errs, s.ControlPlane.Close())
	}
	return errors.Join(errs...)
}
