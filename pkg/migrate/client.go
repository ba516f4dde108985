// Package migrate moves Grafana data sources between the core Prometheus type and this plugin's type, and
// retargets dashboards, through Grafana's documented HTTP API with a service account token. The ampmigrate
// command is a thin wrapper around Main.
package migrate

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/internal/ctxsleep"
)

// userAgent names the client in Grafana's logs.
const userAgent = "ampmigrate"

// maxResponse bounds what the client reads from Grafana; the data source list and dashboards fit easily.
const maxResponse = 32 << 20

// Config describes how to reach Grafana.
type Config struct {
	// URL is Grafana's root URL, e.g. https://grafana.example.com or https://example.com/grafana/.
	URL string
	// Token is a service account token, sent as a bearer token. It is never printed.
	Token string
	// CAFile is an optional PEM bundle trusted in addition to the system roots.
	CAFile string
	// Timeout bounds each HTTP request; default 30s.
	Timeout time.Duration
	// Attempts is how many times a request is tried when Grafana answers 5xx or 429; default 4.
	Attempts int
	// Backoff is the first retry delay, doubled for each further retry; default 500ms.
	Backoff time.Duration
}

// Client talks to one Grafana organisation with one token.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
	cfg   Config
	sleep func(context.Context, time.Duration) error
}

// NewClient validates the configuration and builds a client.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &UsageError{Msg: fmt.Sprintf("GRAFANA_URL %q is not an http(s) URL; set it to Grafana's root URL, "+
			"e.g. https://grafana.example.com", cfg.URL)}
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, &UsageError{Msg: "no token: set GRAFANA_TOKEN or pass --token-file with a service account token"}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Attempts == 0 {
		cfg.Attempts = 4
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.CAFile != "" {
		pool, err := caPool(cfg.CAFile)
		if err != nil {
			return nil, err
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &Client{
		base: u, token: strings.TrimSpace(cfg.Token), cfg: cfg,
		http: &http.Client{Timeout: cfg.Timeout, Transport: transport,
			// A redirect usually means a login page; following it would send the token elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		sleep: ctxsleep.Sleep,
	}, nil
}

func caPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("--ca-file: %v", err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &UsageError{Msg: fmt.Sprintf("--ca-file %s holds no PEM certificate", path)}
	}
	return pool, nil
}

// Health checks that GRAFANA_URL answers like Grafana (GET /api/health needs no token).
func (c *Client) Health(ctx context.Context) error {
	var out struct {
		Database string `json:"database"`
		Version  string `json:"version"`
	}
	if err := c.do(ctx, http.MethodGet, "/api/health", nil, nil, &out); err != nil {
		return err
	}
	if out.Database == "" {
		return &APIError{Method: http.MethodGet, Path: "/api/health", Status: http.StatusOK,
			Message: "the answer is not Grafana's health JSON; check that GRAFANA_URL points at Grafana's root URL"}
	}
	return nil
}

// do sends one request, retrying 5xx and 429 answers and transport errors with exponential backoff, and
// decodes a 2xx JSON answer into out. Non-2xx answers become *APIError, transport failures *ConnError; the
// token never appears in either.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return err
		}
	}
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	delay := c.cfg.Backoff
	var lastErr error
	for attempt := 1; attempt <= c.cfg.Attempts; attempt++ {
		if attempt > 1 {
			if err := c.sleep(ctx, delay); err != nil {
				return lastErr
			}
			delay *= 2
		}
		status, respBody, err := c.once(ctx, method, u.String(), payload)
		if err != nil {
			lastErr = classifyTransport(err, c.base.Host, c.token)
			var ce *ConnError
			// DNS and TLS failures do not heal by retrying; refused or reset connections may.
			if errors.As(lastErr, &ce) && (ce.Kind == KindDNS || ce.Kind == KindTLS) {
				return lastErr
			}
			continue
		}
		if status >= 200 && status < 300 {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(respBody, out); err != nil {
				return &APIError{Method: method, Path: path, Status: status,
					Message: "the answer is not the JSON Grafana sends; check that GRAFANA_URL points at Grafana's root URL"}
			}
			return nil
		}
		lastErr = newAPIError(method, path, status, respBody, c.token)
		if status < 500 && status != http.StatusTooManyRequests {
			return lastErr
		}
	}
	if ae, ok := lastErr.(*APIError); ok {
		ae.Attempts = c.cfg.Attempts
	}
	return lastErr
}

func (c *Client) once(ctx context.Context, method, target string, payload []byte) (int, []byte, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, respBody, nil
}
