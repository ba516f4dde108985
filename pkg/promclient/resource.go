package promclient

import (
	"context"
	"net/http"
	"net/url"
)

// Resource sends a metadata or variable request (labels, series, rules, ...) with the given method. The data
// source's custom query parameters and AMP thresholds are added as for queries, and a parameter the caller also
// sets keeps the caller's value. With POST every parameter goes in the form body, with GET in the query string,
// never both. The caller closes the response body.
func (c *Client) Resource(ctx context.Context, method, apiPath string, params url.Values) (*http.Response, error) {
	return c.do(ctx, method, apiPath, params)
}
