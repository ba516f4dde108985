package models

import (
	"net/url"
	"regexp"
	"strings"
)

// Endpoint is what the workspace URL's host says about where requests go.
type Endpoint struct {
	// Region is the AWS region named by the host, or "" for hosts that are not AWS endpoints.
	Region string
	// Service is the SigV4 service the host expects ("aps", "monitoring"), or "" when unknown.
	Service string
	// WorkspaceID is the AMP workspace id from the path, or "".
	WorkspaceID string
}

var (
	ampHost        = regexp.MustCompile(`^aps-workspaces(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$`)
	ampVPCHost     = regexp.MustCompile(`^vpce-[a-z0-9-]+\.aps-workspaces(?:-fips)?\.([a-z0-9-]+)\.vpce\.amazonaws\.com(?:\.cn)?$`)
	monitoringHost = regexp.MustCompile(`^monitoring(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$`)
	monitoringVPC  = regexp.MustCompile(`^vpce-[a-z0-9-]+\.monitoring(?:-fips)?\.([a-z0-9-]+)\.vpce\.amazonaws\.com(?:\.cn)?$`)
	workspacePath  = regexp.MustCompile(`/workspaces/([A-Za-z0-9-]+)`)
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
)

// ParseEndpoint infers region, service and workspace id from an AMP or CloudWatch PromQL URL.
func ParseEndpoint(u *url.URL) Endpoint {
	host := strings.ToLower(u.Hostname())
	var ep Endpoint
	if m := ampHost.FindStringSubmatch(host); m != nil {
		ep.Region, ep.Service = m[1], "aps"
	} else if m := ampVPCHost.FindStringSubmatch(host); m != nil {
		ep.Region, ep.Service = m[1], "aps"
	} else if m := monitoringHost.FindStringSubmatch(host); m != nil {
		ep.Region, ep.Service = m[1], "monitoring"
	} else if m := monitoringVPC.FindStringSubmatch(host); m != nil {
		ep.Region, ep.Service = m[1], "monitoring"
	}
	if m := workspacePath.FindStringSubmatch(u.Path); m != nil {
		ep.WorkspaceID = m[1]
	}
	return ep
}

// ValidRegion reports whether region looks like an AWS region name (us-west-2, us-gov-west-1, cn-north-1, ...).
func ValidRegion(region string) bool { return regionPattern.MatchString(region) }

// IsAMPHost reports whether the endpoint is an AMP workspace endpoint.
func (e Endpoint) IsAMPHost() bool { return e.Service == "aps" }

// apiSuffixes are paths users paste together with the workspace URL; the plugin appends API paths itself.
var apiSuffixes = []string{"/api/v1/query_range", "/api/v1/query", "/api/v1"}

// normaliseURL parses the data source URL and strips a pasted API suffix.
func normaliseURL(raw string) (*url.URL, string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, "", &SettingsError{Field: "url", Problem: "is empty",
			Fix: "set it to the workspace endpoint, e.g. https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-.../"}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", &SettingsError{Field: "url", Problem: "is not an absolute http(s) URL: " + quoteURL(raw),
			Fix: "use the workspace endpoint, e.g. https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-.../"}
	}
	if u.User != nil {
		return nil, "", &SettingsError{Field: "url", Problem: "must not contain user information",
			Fix: "remove the user:password@ part; credentials belong in the auth settings"}
	}
	u.RawQuery, u.Fragment = "", ""
	trimmed := strings.TrimRight(u.Path, "/")
	for _, s := range apiSuffixes {
		if strings.HasSuffix(trimmed, s) {
			u.Path = strings.TrimSuffix(trimmed, s) + "/"
			u.RawPath = ""
			return u, "the URL ended in " + s + ", which the plugin adds itself; it was removed", nil
		}
	}
	return u, "", nil
}

// quoteURL keeps URLs in messages short and never shows a password, even in a URL that does not parse (a
// password with a stray "%" makes url.Parse fail).
func quoteURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User("redacted")
		raw = u.String()
	} else {
		raw = withoutUserInfo(raw)
	}
	if len(raw) > 200 {
		raw = raw[:200] + "..."
	}
	return `"` + raw + `"`
}

// withoutUserInfo replaces everything between the scheme and the last "@" before the query with "redacted",
// without parsing. A password may hold "/", so the "@" is looked for beyond the authority; an "@" in a path only
// hides more than needed.
func withoutUserInfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	if ok {
		scheme += "://"
	}
	return scheme + "redacted" + rest[at:]
}
