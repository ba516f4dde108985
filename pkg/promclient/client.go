// Package promclient speaks the Prometheus HTTP API v1 over the data source's signed HTTP client. It knows the
// endpoints, how parameters are encoded and how errors look; it does not build frames.
package promclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// API paths, relative to the data source URL.
const (
	PathQuery       = "api/v1/query"
	PathQueryRange  = "api/v1/query_range"
	PathExemplars   = "api/v1/query_exemplars"
	PathLabels      = "api/v1/labels"
	PathLabelValues = "api/v1/label/%s/values"
)

// Client sends Prometheus API requests for one data source.
type Client struct {
	http         *http.Client
	base         *url.URL
	method       string
	params       url.Values
	queryTimeout string
	stats        bool
}

// New returns a client for the data source.
func New(httpClient *http.Client, s *models.Settings) *Client {
	return &Client{
		http:         httpClient,
		base:         s.URL,
		method:       s.HTTPMethod,
		params:       s.QueryParameters,
		queryTimeout: s.QueryTimeout,
		stats:        s.QueryStatsEnabled,
	}
}

// QueryRange runs a range query. The caller closes the response body.
func (c *Client) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (*http.Response, error) {
	p := url.Values{}
	p.Set("query", expr)
	p.Set("start", formatTime(start))
	p.Set("end", formatTime(end))
	p.Set("step", models.FormatSeconds(step))
	c.addQueryOptions(p)
	return c.do(ctx, c.method, PathQueryRange, p)
}

// QueryInstant runs an instant query at t. The caller closes the response body.
func (c *Client) QueryInstant(ctx context.Context, expr string, t time.Time) (*http.Response, error) {
	p := url.Values{}
	p.Set("query", expr)
	p.Set("time", formatTime(t))
	c.addQueryOptions(p)
	return c.do(ctx, c.method, PathQuery, p)
}

// QueryExemplars asks for the exemplars of the series expr selects between start and end. Unlike the query
// endpoints it takes no step and no timeout. The caller closes the response body.
func (c *Client) QueryExemplars(ctx context.Context, expr string, start, end time.Time) (*http.Response, error) {
	p := url.Values{}
	p.Set("query", expr)
	p.Set("start", formatTime(start))
	p.Set("end", formatTime(end))
	return c.do(ctx, c.method, PathExemplars, p)
}

// Get sends a GET to a metadata endpoint such as labels or label values. The caller closes the response body.
func (c *Client) Get(ctx context.Context, apiPath string, params url.Values) (*http.Response, error) {
	return c.do(ctx, http.MethodGet, apiPath, params)
}

func (c *Client) addQueryOptions(p url.Values) {
	if c.queryTimeout != "" {
		p.Set("timeout", c.queryTimeout)
	}
	if c.stats {
		p.Set("stats", "all")
	}
}

// do sends one request. With POST every parameter, the data source's custom ones included, goes in the form body:
// AMP rejects a form POST whose URL also carries a query string.
func (c *Client) do(ctx context.Context, method, apiPath string, params url.Values) (*http.Response, error) {
	all := url.Values{}
	for k, v := range c.params {
		all[k] = v
	}
	for k, v := range params {
		all[k] = v
	}
	u := *c.base
	u.Path = path.Join("/", c.base.Path, apiPath)
	u.RawPath = ""
	encoded := all.Encode()
	if len(encoded) > models.MaxRequestBytes {
		return nil, &RequestTooLargeError{Size: len(encoded)}
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(encoded)
	} else {
		u.RawQuery = encoded
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("building the request to %s: %w", apiPath, err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// A present but nil Idempotency-Key (never sent) marks the POST as idempotent, which it is: every
		// request here is a read, so net/http may replay it when a reused connection turns out to be closed.
		req.Header["Idempotency-Key"] = nil
	}
	return c.http.Do(req)
}

// formatTime writes Unix seconds in the shortest decimal form, as Grafana's Prometheus client does.
func formatTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}
