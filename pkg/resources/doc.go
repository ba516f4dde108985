// Package resources answers the data source's CallResource requests: an allow-list of Prometheus API endpoints
// relayed through the signed client in the request shapes AMP accepts, local answers for what AMP does not
// serve, the suggestions helper, and AMP workspace discovery for the config editor.
//
// Routes (paths relative to /api/datasources/uid/<uid>/resources/):
//
//	api/v1/labels, api/v1/series, api/v1/query   GET stays GET; POST uses the configured method
//	api/v1/label/<name>/values, api/v1/metadata  always sent by GET (AMP refuses POST on label values);
//	                                             non-legacy label names are sent U__-escaped
//	api/v1/rules                                 GET only; writes answer 405
//	api/v1/query_exemplars                       AMP: 200 {"status":"error",...} without calling AWS
//	api/v1/status/buildinfo                      AMP: 404 {"status":"error",...} without calling AWS
//	suggestions                                  POST JSON {labelName, queries, scopes, adhocFilters, start, end, limit}
//	regions                                      GET -> ["us-east-1", ...] (static list plus the URL's region)
//	workspaces?region=<r>                        GET -> [{id, alias, status, arn, createdAt, selectable}]
//	workspace?region=<r>&id=<ws-...>             GET -> {id, alias, status, prometheusEndpoint}
//
// Parameters come from the query string and a form body together and go upstream in one place only: the form
// body for POST, the query string for GET (AMP rejects a form POST whose URL has a query string). The data
// source's custom query parameters and AMP thresholds are added as for queries. Answers keep the upstream status
// and headers, with the body decoded (gzip, deflate) and Content-Encoding, Content-Length and Transfer-Encoding
// dropped; a successful answer to a request with X-Grafana-Cache: <directive> carries Cache-Control: <directive>
// and X-Grafana-Cache: y. Everything the plugin answers itself, including failures, is JSON with status "error",
// error and message (and errorType when known); workspace discovery failures are 400 (bad input or settings),
// 403 (permission), 404 (unknown workspace), 429 (throttled), 502 or 504.
package resources
