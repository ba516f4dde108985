package ampemu

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/sigv4verify"
)

// maxBodyBytes bounds buffered request bodies; Prometheus query forms are far smaller.
const maxBodyBytes = 16 << 20

// Emulator is an AMP workspace endpoint. It is an http.Handler; Start and Listen also serve it.
type Emulator struct {
	cfg        Config
	upstream   *url.URL
	verifier   *sigv4verify.Verifier
	proxy      *httputil.ReverseProxy
	workspaces map[string]bool

	mu   sync.Mutex
	keys map[string]Key
	journal

	server  *http.Server
	served  chan struct{}
	baseURL string
}

// New returns an Emulator to be used as an http.Handler.
func New(cfg Config) (*Emulator, error) {
	cfg, upstream, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		cfg:        cfg,
		upstream:   upstream,
		workspaces: map[string]bool{},
		keys:       map[string]Key{},
	}
	for _, id := range cfg.Workspaces {
		e.workspaces[id] = true
	}
	for _, k := range cfg.Keys {
		e.keys[k.AccessKeyID] = k
	}
	e.verifier = &sigv4verify.Verifier{
		Region:  cfg.Region,
		Service: cfg.Service,
		Lookup:  e.lookup,
		MaxSkew: cfg.MaxSkew,
		Now:     cfg.Now,
	}
	e.proxy = &httputil.ReverseProxy{Rewrite: e.rewrite, ErrorHandler: proxyError}
	return e, nil
}

// Start serves a new Emulator on a free loopback port.
func Start(cfg Config) (*Emulator, error) {
	return Listen("127.0.0.1:0", cfg)
}

// Listen serves a new Emulator on addr (host:port; port 0 picks a free one).
func Listen(addr string, cfg Config) (*Emulator, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ampemu: listen on %s: %w", addr, err)
	}
	e.server = &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	e.served = make(chan struct{})
	e.baseURL = "http://" + ln.Addr().String()
	go func() {
		defer close(e.served)
		_ = e.server.Serve(ln)
	}()
	return e, nil
}

// URL returns the base URL of a started Emulator, without a trailing slash; empty for one built with New.
func (e *Emulator) URL() string {
	return e.baseURL
}

// WorkspaceURL returns the data source URL of a workspace: <URL>/workspaces/<id>/.
func (e *Emulator) WorkspaceURL(id string) string {
	return e.baseURL + workspacesPrefix + url.PathEscape(id) + "/"
}

// Close stops a started Emulator, aborting requests in flight, and waits for its server to return.
func (e *Emulator) Close() error {
	if e.server == nil {
		return nil
	}
	err := e.server.Close()
	<-e.served
	return err
}

// AddKey registers (or replaces) an access key at runtime, for example temporary credentials a fake STS issued.
func (e *Emulator) AddKey(k Key) error {
	if err := k.validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.keys[k.AccessKeyID] = k
	return nil
}

func (e *Emulator) key(accessKeyID string) (Key, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.keys[accessKeyID]
	return k, ok
}

func (e *Emulator) lookup(accessKeyID string) (sigv4verify.Credentials, bool) {
	k, ok := e.key(accessKeyID)
	return sigv4verify.Credentials{
		AccessKeyID:     k.AccessKeyID,
		SecretAccessKey: k.SecretAccessKey,
		SessionToken:    k.SessionToken,
	}, ok
}

// ServeHTTP handles one request: route, verify, authorise, check shape, apply faults, forward.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw, rec, done := e.record(w, r)
	defer done()

	rt, ok := parseRoute(r.URL.EscapedPath())
	if !ok {
		writeError(sw, http.StatusNotFound, TypeResourceNotFound,
			"Not Found: AMP query URLs have the form /workspaces/<workspace id>/api/v1/...")
		return
	}
	rec.Workspace, rec.Path = rt.workspace, rt.path

	body, err := readBody(sw, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(sw, http.StatusRequestEntityTooLarge, TypeValidation, "Request body is too large.")
			return
		}
		writeError(sw, http.StatusBadRequest, TypeValidation, "Could not read the request body: "+err.Error())
		return
	}
	if isFormPost(r) {
		rec.Form, _ = url.ParseQuery(string(body))
	}

	res, err := e.verifier.Verify(r, body)
	if err != nil {
		writeVerifyError(sw, err)
		return
	}
	rec.AccessKeyID, rec.SignedHeaders = res.AccessKeyID, res.SignedHeaders

	if !e.workspaces[rt.workspace] {
		writeError(sw, http.StatusNotFound, TypeResourceNotFound, "Workspace not found: "+rt.workspace)
		return
	}
	if !e.authorize(sw, r, rt, res.AccessKeyID) || !e.checkShape(sw, r, rt) || !e.checkLimits(sw, r, rt, body) {
		return
	}
	if f, ok := e.takeFault(rt.path); ok && applyFault(sw, r, f) {
		return
	}
	e.forward(sw, r, rt, body)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
}

// authorize emulates IAM for the key's allowed actions and answers the request when it is denied.
func (e *Emulator) authorize(w http.ResponseWriter, r *http.Request, rt route, accessKeyID string) bool {
	// Emulation choice: AMP derives the tenant from the workspace in the URL. A client that also sends
	// Cortex's X-Scope-OrgID is confused about where it talks to, so the emulator refuses it outright.
	if len(r.Header.Values("X-Scope-OrgID")) > 0 {
		writeError(w, http.StatusForbidden, TypeAccessDenied,
			"X-Scope-OrgID is not accepted: AMP selects the tenant from the workspace in the URL.")
		return false
	}
	action, implemented := actionFor(rt.path)
	if action != "" {
		k, _ := e.key(accessKeyID)
		if !k.allows(action) {
			principal := k.Principal
			if principal == "" {
				principal = "arn:aws:iam::" + e.cfg.AccountID + ":user/" + k.AccessKeyID
			}
			writeError(w, http.StatusForbidden, TypeAccessDenied, fmt.Sprintf(
				"User: %s is not authorized to perform: %s on resource: arn:aws:aps:%s:%s:workspace/%s",
				principal, action, e.cfg.Region, e.cfg.AccountID, rt.workspace))
			return false
		}
	}
	if !implemented {
		writeError(w, http.StatusNotFound, TypeResourceNotFound,
			"Not Found: AMP does not implement "+rt.path)
		return false
	}
	return true
}
