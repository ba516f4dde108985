package promclient

import (
	"context"
	"net/http"
	"net/url"
	"slices"
)

// ownedParams are parameters the data source settings decide (AMP's cost guards, query statistics and the query
// timeout), whether or not the admin set them: a caller's value is dropped, never sent.
var ownedParams = []string{
	"max_samples_processed_warning_threshold",
	"max_samples_processed_error_threshold",
	"stats",
	"timeout",
}

// Resource sends a metadata or variable request (labels, series, rules, ...) with the given method. Parameters the
// data source settings own (its custom query parameters, AMP's samples-processed thresholds, stats and timeout)
// cannot be set by the caller: the caller's values are dropped and the settings' values are sent, and an instant
// query gets the configured timeout and statistics as a panel query does. With POST every parameter goes in the
// form body, with GET in the query string, never both. The caller closes the response body.
func (c *Client) Resource(ctx context.Context, method, apiPath string, params url.Values) (*http.Response, error) {
	allowed := url.Values{}
	for k, v := range params {
		if !c.owns(k) {
			allowed[k] = v
		}
	}
	if apiPath == PathQuery || apiPath == PathQueryRange {
		c.addQueryOptions(allowed)
	}
	return c.do(ctx, method, apiPath, allowed)
}

func (c *Client) owns(param string) bool {
	_, custom := c.params[param]
	return custom || slices.Contains(ownedParams, param)
}
