package resources

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// methodPolicy says how the incoming method maps to the method sent upstream.
type methodPolicy int

const (
	// followConfig keeps GET and turns any other accepted method into the data source's configured method, as
	// Grafana's Prometheus backend does, so POST-only proxies and long match[] selectors keep working.
	followConfig methodPolicy = iota
	// alwaysGet sends GET whatever came in: the endpoint only takes GET (AMP refuses POST on label values, and
	// Prometheus serves metadata and buildinfo by GET only).
	alwaysGet
	// readOnly accepts GET only: the rules endpoint is read-only here, and AMP manages rules through its own
	// rule groups namespace API, not the Cortex ruler.
	readOnly
)

// route is one allow-listed Prometheus endpoint.
type route struct {
	// apiPath is the path sent upstream, relative to the data source URL.
	apiPath string
	policy  methodPolicy
	// unsupportedOnAMP, when set, is the local answer for AMP data sources, which do not serve the endpoint.
	unsupportedOnAMP func() *backend.CallResourceResponse
}

var fixedRoutes = map[string]route{
	"api/v1/labels":           {apiPath: "api/v1/labels", policy: followConfig},
	"api/v1/series":           {apiPath: "api/v1/series", policy: followConfig},
	"api/v1/query":            {apiPath: "api/v1/query", policy: followConfig},
	"api/v1/metadata":         {apiPath: "api/v1/metadata", policy: alwaysGet},
	"api/v1/rules":            {apiPath: "api/v1/rules", policy: readOnly},
	"api/v1/query_exemplars":  {apiPath: "api/v1/query_exemplars", policy: followConfig, unsupportedOnAMP: exemplarsUnsupported},
	"api/v1/status/buildinfo": {apiPath: "api/v1/status/buildinfo", policy: alwaysGet, unsupportedOnAMP: buildInfoUnsupported},
}

// matchRoute finds the endpoint for a resource path.
func matchRoute(p string) (route, bool) {
	if rt, ok := fixedRoutes[p]; ok {
		return rt, true
	}
	// A label name may itself contain "/" (Grafana hands over the decoded path), so everything between the
	// fixed parts is the name.
	if rest, ok := strings.CutPrefix(p, "api/v1/label/"); ok {
		if name, ok := strings.CutSuffix(rest, "/values"); ok && name != "" {
			return route{apiPath: "api/v1/label/" + EscapeLabelName(name) + "/values", policy: alwaysGet}, true
		}
	}
	return route{}, false
}

// EscapeLabelName writes a label name for the label values path the way Prometheus reads it (the "U__" values
// escaping of its HTTP API): a valid legacy label name ([a-zA-Z_][a-zA-Z0-9_]*) is unchanged; any other name
// becomes "U__" followed by the name with "_" doubled, letters and digits (not in first position) kept, and every
// other character written as its Unicode code point in lower-case hex between underscores ("." becomes "_2e_",
// invalid UTF-8 the replacement character "_fffd_"). Prometheus keeps ":" as-is; it is hex-encoded here ("_3a_",
// which decodes the same) so that every escaped name is itself a legacy name. That makes escaping idempotent:
// names the frontend already escaped pass through unchanged.
func EscapeLabelName(name string) string {
	if isLegacyLabelName(name) {
		return name
	}
	var b strings.Builder
	b.WriteString("U__")
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == '_':
			b.WriteString("__")
		case isLetter(r) || (isDigit(r) && i > 0):
			b.WriteRune(r)
		default:
			b.WriteString("_" + strconv.FormatInt(int64(r), 16) + "_")
		}
		i += size
	}
	return b.String()
}

func isLegacyLabelName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		if !(isLetter(r) || r == '_' || (isDigit(r) && i > 0)) {
			return false
		}
	}
	return true
}

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
