package ampemu

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/sigv4verify"
)

// IAM actions of the control-plane APIs the ControlPlane serves.
const (
	ActionListWorkspaces    = "aps:ListWorkspaces"
	ActionDescribeWorkspace = "aps:DescribeWorkspace"
)

// Workspace status codes, as in AMP's WorkspaceStatus.statusCode.
const (
	StatusActive         = "ACTIVE"
	StatusCreating       = "CREATING"
	StatusUpdating       = "UPDATING"
	StatusDeleting       = "DELETING"
	StatusCreationFailed = "CREATION_FAILED"
)

// defaultCreatedAt is the creation time of workspaces configured without one.
var defaultCreatedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// WorkspaceInfo is a workspace as the control plane describes it.
type WorkspaceInfo struct {
	ID string
	// Alias is optional, as in AMP.
	Alias string
	// Status is a Status* code; empty means ACTIVE.
	Status string
	// CreatedAt is zero for 2026-01-01T00:00:00Z.
	CreatedAt time.Time
}

// ControlPlaneConfig configures a ControlPlane.
type ControlPlaneConfig struct {
	// Region is the SigV4 scope region requests must be signed for; required.
	Region string
	// AccountID appears in ARNs; empty means DefaultAccountID.
	AccountID string
	// Keys are the accepted credentials. Key.Actions applies with the control-plane actions
	// (ActionListWorkspaces, ActionDescribeWorkspace); nil allows everything.
	Keys []Key
	// Workspaces is the initial workspace list; SetWorkspaces replaces it.
	Workspaces []WorkspaceInfo
	// DataPlaneURL is the base of the prometheusEndpoint DescribeWorkspace returns (<DataPlaneURL>/workspaces/<id>/),
	// e.g. an Emulator's URL(); empty means https://aps-workspaces.<region>.amazonaws.com.
	DataPlaneURL string
	// PageSize caps a ListWorkspaces page below the client's maxResults, to exercise pagination with a few
	// workspaces; zero means no cap.
	PageSize int
	// MaxSkew and Now are as in Config.
	MaxSkew time.Duration
	Now     func() time.Time
}

// ControlPlane emulates AMP's control-plane operations ListWorkspaces (GET /workspaces) and DescribeWorkspace
// (GET /workspaces/{workspaceId}) in AMP's REST-JSON shapes, with SigV4 verification (service aps), per-key IAM
// actions, AWS error answers and injectable faults. It is an http.Handler; StartControlPlane also serves it.
// Clients reach it through AWS_ENDPOINT_URL_AMP=<URL()> (the SDK's service id is "amp").
type ControlPlane struct {
	cfg      ControlPlaneConfig
	verifier *sigv4verify.Verifier

	mu         sync.Mutex
	keys       map[string]Key
	workspaces []WorkspaceInfo
	// journal records requests and injects faults; Fault.PathSuffix matches /workspaces or /workspaces/<id>, and
	// Record.Workspace is the id of a DescribeWorkspace call.
	journal

	server  *http.Server
	served  chan struct{}
	baseURL string
}

// NewControlPlane returns a ControlPlane to be used as an http.Handler.
func NewControlPlane(cfg ControlPlaneConfig) (*ControlPlane, error) {
	if cfg.Region == "" {
		return nil, errors.New("ampemu: ControlPlaneConfig.Region is required")
	}
	if cfg.AccountID == "" {
		cfg.AccountID = DefaultAccountID
	}
	if cfg.DataPlaneURL == "" {
		cfg.DataPlaneURL = "https://aps-workspaces." + cfg.Region + ".amazonaws.com"
	}
	cfg.DataPlaneURL = strings.TrimSuffix(cfg.DataPlaneURL, "/")
	c := &ControlPlane{cfg: cfg, keys: map[string]Key{}}
	for _, k := range cfg.Keys {
		if err := c.AddKey(k); err != nil {
			return nil, err
		}
	}
	c.SetWorkspaces(cfg.Workspaces)
	c.verifier = &sigv4verify.Verifier{
		Region:  cfg.Region,
		Service: "aps",
		Lookup: func(id string) (sigv4verify.Credentials, bool) {
			k, ok := c.key(id)
			return sigv4verify.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey, SessionToken: k.SessionToken}, ok
		},
		MaxSkew: cfg.MaxSkew,
		Now:     cfg.Now,
	}
	return c, nil
}

// StartControlPlane serves a new ControlPlane on a free loopback port.
func StartControlPlane(cfg ControlPlaneConfig) (*ControlPlane, error) {
	c, err := NewControlPlane(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("ampemu: listen: %w", err)
	}
	c.server = &http.Server{Handler: c, ReadHeaderTimeout: 10 * time.Second}
	c.served = make(chan struct{})
	c.baseURL = "http://" + ln.Addr().String()
	go func() {
		defer close(c.served)
		_ = c.server.Serve(ln)
	}()
	return c, nil
}

// URL is the base URL of a started ControlPlane (the value for AWS_ENDPOINT_URL_AMP); empty for one built with
// NewControlPlane.
func (c *ControlPlane) URL() string { return c.baseURL }

// Close stops a started ControlPlane and waits for its server to return.
func (c *ControlPlane) Close() error {
	if c.server == nil {
		return nil
	}
	err := c.server.Close()
	<-c.served
	return err
}

// AddKey registers (or replaces) an access key.
func (c *ControlPlane) AddKey(k Key) error {
	if err := k.validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys[k.AccessKeyID] = k
	return nil
}

func (c *ControlPlane) key(id string) (Key, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[id]
	return k, ok
}

// SetWorkspaces replaces the workspace list.
func (c *ControlPlane) SetWorkspaces(ws []WorkspaceInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.workspaces = slices.Clone(ws)
}

func (c *ControlPlane) snapshot() []WorkspaceInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.workspaces)
}
