package awsfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// defaultLifetime is how long metadata credentials are valid when no lifetime is configured, as on EC2.
const defaultLifetime = 6 * time.Hour

// credentialsJSON is the document IMDS and the container endpoint serve.
type credentialsJSON struct {
	Code            string `json:"Code,omitempty"`
	Type            string `json:"Type,omitempty"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
	LastUpdated     string `json:"LastUpdated,omitempty"`
	RoleArn         string `json:"RoleArn,omitempty"`
}

// counter counts requests by path.
type counter struct {
	mu    sync.Mutex
	paths []string
}

func (c *counter) record(path string) {
	c.mu.Lock()
	c.paths = append(c.paths, path)
	c.mu.Unlock()
}

// Requests returns the request paths seen so far, oldest first.
func (c *counter) Requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.paths...)
}

// IMDSConfig configures a fake EC2 instance metadata service.
type IMDSConfig struct {
	// Role is the instance profile role name.
	Role string
	// Credentials are served for the role.
	Credentials Credentials
	// Lifetime of the served credentials; zero means six hours.
	Lifetime time.Duration
}

// IMDS is a running fake of the EC2 instance metadata service, IMDSv2 only: every GET needs the session token
// from PUT /latest/api/token.
type IMDS struct {
	counter
	cfg    IMDSConfig
	server *server
	token  string
}

// imdsCredentialsPath is where the SDK looks for the instance role.
const imdsCredentialsPath = "/latest/meta-data/iam/security-credentials/"

// StartIMDS serves a fake IMDS on a free loopback port. Close stops it.
func StartIMDS(cfg IMDSConfig) (*IMDS, error) {
	if cfg.Lifetime == 0 {
		cfg.Lifetime = defaultLifetime
	}
	m := &IMDS{cfg: cfg, token: randomString(32, base64Alphabet)}
	srv, err := listen(http.HandlerFunc(m.serve))
	if err != nil {
		return nil, err
	}
	m.server = srv
	return m, nil
}

// URL is the endpoint to put in AWS_EC2_METADATA_SERVICE_ENDPOINT.
func (m *IMDS) URL() string { return m.server.url }

// Close stops the server.
func (m *IMDS) Close() error { return m.server.close() }

func (m *IMDS) serve(w http.ResponseWriter, r *http.Request) {
	m.record(r.Method + " " + r.URL.Path)
	if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
		if r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds") == "" {
			http.Error(w, "missing token TTL", http.StatusBadRequest)
			return
		}
		w.Header().Set("X-aws-ec2-metadata-token-ttl-seconds", r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds"))
		_, _ = w.Write([]byte(m.token))
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("X-aws-ec2-metadata-token") != m.token {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	role, ok := strings.CutPrefix(r.URL.Path, imdsCredentialsPath)
	switch {
	case !ok:
		http.NotFound(w, r)
	case role == "":
		_, _ = w.Write([]byte(m.cfg.Role))
	case role == m.cfg.Role:
		now := time.Now().UTC().Truncate(time.Second)
		writeJSON(w, credentialsJSON{
			Code: "Success", Type: "AWS-HMAC", LastUpdated: now.Format(time.RFC3339),
			AccessKeyID: m.cfg.Credentials.AccessKeyID, SecretAccessKey: m.cfg.Credentials.SecretAccessKey,
			Token: m.cfg.Credentials.SessionToken, Expiration: expiration(m.cfg.Lifetime).Format(time.RFC3339),
		})
	default:
		http.NotFound(w, r)
	}
}

// ContainerConfig configures a fake container credentials endpoint (ECS task role, EKS Pod Identity).
type ContainerConfig struct {
	// AuthorizationToken, when set, must arrive in the Authorization header (EKS Pod Identity sends the token
	// from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).
	AuthorizationToken string
	// Credentials are served to authorised requests.
	Credentials Credentials
	// RoleARN is reported with the credentials.
	RoleARN string
	// Lifetime of the served credentials; zero means six hours.
	Lifetime time.Duration
}

// Container is a running fake container credentials endpoint.
type Container struct {
	counter
	cfg    ContainerConfig
	server *server
}

// ContainerCredentialsPath is the path the fake serves credentials on.
const ContainerCredentialsPath = "/v1/credentials"

// StartContainer serves a fake container credentials endpoint on a free loopback port. Close stops it.
func StartContainer(cfg ContainerConfig) (*Container, error) {
	if cfg.Lifetime == 0 {
		cfg.Lifetime = defaultLifetime
	}
	c := &Container{cfg: cfg}
	srv, err := listen(http.HandlerFunc(c.serve))
	if err != nil {
		return nil, err
	}
	c.server = srv
	return c, nil
}

// URL is the value for AWS_CONTAINER_CREDENTIALS_FULL_URI.
func (c *Container) URL() string { return c.server.url + ContainerCredentialsPath }

// Close stops the server.
func (c *Container) Close() error { return c.server.close() }

func (c *Container) serve(w http.ResponseWriter, r *http.Request) {
	c.record(r.Method + " " + r.URL.Path)
	if r.Method != http.MethodGet || r.URL.Path != ContainerCredentialsPath {
		http.NotFound(w, r)
		return
	}
	if c.cfg.AuthorizationToken != "" && r.Header.Get("Authorization") != c.cfg.AuthorizationToken {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"AccessDeniedException","message":"invalid authorization token"}`))
		return
	}
	writeJSON(w, credentialsJSON{
		AccessKeyID: c.cfg.Credentials.AccessKeyID, SecretAccessKey: c.cfg.Credentials.SecretAccessKey,
		Token: c.cfg.Credentials.SessionToken, Expiration: expiration(c.cfg.Lifetime).Format(time.RFC3339),
		RoleArn: c.cfg.RoleARN,
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
