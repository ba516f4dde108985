package models

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Authentication modes; exactly one is in effect for a data source.
const (
	AuthModeSigV4  = "sigv4"
	AuthModeBasic  = "basic"
	AuthModeHeader = "header"
	AuthModeNone   = "none"
)

// secretKeys are secureJsonData keys. Found in jsonData they would be stored and shown in plain text, and the
// plugin would not read them there, so they are rejected rather than ignored.
var secretKeys = regexp.MustCompile(`^(sigV4AccessKey|sigV4SecretKey|sigV4SessionToken|basicAuthPassword|password|httpHeaderValue\d+|tlsClientKey)$`)

// AuthMode names the authentication mode in effect: SigV4, basic auth, a custom Authorization header (a token,
// as Alibaba Cloud ARMS uses) or none.
func (s *Settings) AuthMode() string {
	switch {
	case s.SigV4 != nil:
		return AuthModeSigV4
	case s.BasicAuth != nil:
		return AuthModeBasic
	case s.hasHeader("Authorization"):
		return AuthModeHeader
	}
	return AuthModeNone
}

func (s *Settings) loadAuth(jd jsonData, ds backend.DataSourceInstanceSettings) error {
	for key := range jd {
		if secretKeys.MatchString(key) {
			return &SettingsError{Field: "jsonData." + key, Problem: "holds a secret",
				Fix: "move it to secureJsonData, which Grafana encrypts; jsonData is stored and shown in plain text"}
		}
	}
	// AMP accepts nothing but SigV4, so a data source that never said otherwise is signed.
	sigv4, err := jd.boolean("sigV4Auth", true)
	if err != nil {
		return err
	}
	basic, err := s.loadBasicAuth(jd, ds)
	if err != nil {
		return err
	}
	if !sigv4 {
		return s.loadOtherAuth(basic, ds)
	}
	if basic != nil {
		return &SettingsError{Field: "basicAuth", Problem: "is on together with SigV4",
			Fix: "turn basic auth off: AWS rejects requests whose Authorization header is not the SigV4 signature"}
	}
	if s.hasHeader("Authorization") {
		return &SettingsError{Field: "jsonData.httpHeaderName", Problem: "sets an Authorization header while SigV4 is on",
			Fix: "remove that custom header: it would replace the SigV4 signature"}
	}
	if oauth, err := jd.boolean("oauthPassThru", false); err != nil {
		return err
	} else if oauth {
		s.addWarning("forward OAuth identity is on; the forwarded Authorization header is dropped because it would replace the SigV4 signature")
	}
	if s.Endpoint.IsAMPHost() && s.hasHeader("X-Scope-OrgID") {
		s.addWarning("the X-Scope-OrgID header is set; Amazon Managed Service for Prometheus rejects requests that carry it")
	}
	s.SigV4, err = loadSigV4(jd, ds, s)
	return err
}

// loadOtherAuth accepts the modes of other managed Prometheus services (for example Alibaba Cloud ARMS: a token in
// a custom Authorization header, or basic auth with an AccessKey pair), one at a time.
func (s *Settings) loadOtherAuth(basic *BasicAuth, ds backend.DataSourceInstanceSettings) error {
	s.BasicAuth = basic
	if basic != nil && s.hasHeader("Authorization") {
		return &SettingsError{Field: "jsonData.httpHeaderName", Problem: "sets Authorization while basic auth is on",
			Fix: "use either basic auth or an Authorization header, not both"}
	}
	if basic != nil && basic.User == "" {
		return &SettingsError{Field: "basicAuthUser", Problem: "is empty while basic auth is on",
			Fix: "enter the user name (for Alibaba Cloud ARMS, the AccessKey ID), or turn basic auth off"}
	}
	if basic != nil && basic.Password == "" {
		s.addWarning("basic auth is on but secureJsonData.basicAuthPassword is empty")
	}
	if s.hasHeader("Authorization") && s.Headers.Get("Authorization") == "" {
		s.addWarning("the custom Authorization header has no value; enter the token in its secure value field")
	}
	for _, key := range []string{"sigV4AccessKey", "sigV4SecretKey", "sigV4SessionToken"} {
		if ds.DecryptedSecureJSONData[key] != "" {
			s.addWarning("secureJsonData." + key + " is set, but SigV4 authentication is off, so it is not used")
		}
	}
	if s.Endpoint.Service != "" {
		s.addWarning("SigV4 authentication is off, but " + s.URL.Host + " only accepts SigV4-signed requests; turn on SigV4 auth")
	}
	return nil
}

func (s *Settings) loadBasicAuth(jd jsonData, ds backend.DataSourceInstanceSettings) (*BasicAuth, error) {
	on, err := jd.boolean("basicAuth", false)
	if err != nil {
		return nil, err
	}
	if !on && !ds.BasicAuthEnabled {
		return nil, nil
	}
	user := ds.BasicAuthUser
	if user == "" {
		if user, err = jd.str("basicAuthUser", "use the user name as a string"); err != nil {
			return nil, err
		}
	}
	return &BasicAuth{User: user, Password: ds.DecryptedSecureJSONData["basicAuthPassword"]}, nil
}

func loadSigV4(jd jsonData, ds backend.DataSourceInstanceSettings, s *Settings) (*SigV4, error) {
	sv := &SigV4{}
	fields := []struct {
		key, fix string
		dst      *string
	}{
		{"sigV4AuthType", "use one of " + strings.Join(authTypes, ", "), &sv.AuthType},
		{"sigV4Region", `set it to the workspace's AWS region, e.g. "us-west-2"`, &sv.Region},
		{"sigv4Service", `leave it empty for "aps"`, &sv.Service},
		{"sigV4Profile", "use the profile name from the shared credentials file", &sv.Profile},
		{"sigV4AssumeRoleArn", `use an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/grafana"`, &sv.AssumeRoleARN},
		{"sigV4ExternalId", "use the external ID from the role's trust policy", &sv.ExternalID},
	}
	for _, f := range fields {
		v, err := jd.str(f.key, f.fix)
		if err != nil {
			return nil, err
		}
		*f.dst = v
	}
	if norm, ok := legacyAuthTypes[sv.AuthType]; ok {
		sv.AuthType = norm
	}
	if !slices.Contains(authTypes, sv.AuthType) {
		return nil, &SettingsError{Field: "jsonData.sigV4AuthType", Problem: fmt.Sprintf("%q is not a known auth type", sv.AuthType),
			Fix: "use one of " + strings.Join(authTypes, ", ")}
	}
	if err := s.resolveRegionAndService(sv); err != nil {
		return nil, err
	}
	secrets := []struct {
		key string
		dst *string
	}{{"sigV4AccessKey", &sv.AccessKey}, {"sigV4SecretKey", &sv.SecretKey}, {"sigV4SessionToken", &sv.SessionToken}}
	for _, sec := range secrets {
		raw := ds.DecryptedSecureJSONData[sec.key]
		*sec.dst = strings.TrimSpace(raw)
		if *sec.dst != raw && sv.AuthType == "keys" {
			s.addWarning("secureJsonData." + sec.key + " had surrounding whitespace, which was removed")
		}
	}
	if sv.AuthType == "keys" {
		for _, sec := range secrets[:2] {
			if *sec.dst == "" {
				return nil, &SettingsError{Field: "secureJsonData." + sec.key, Problem: "is empty while the auth type is keys",
					Fix: "enter the access key ID and secret access key, or choose another auth type"}
			}
		}
	}
	if sv.ExternalID != "" && sv.AssumeRoleARN == "" {
		s.addWarning("an external ID is set without an assume role ARN; it is not used")
	}
	return sv, nil
}

// resolveRegionAndService picks the signing region and service. When the URL host is an AWS endpoint, its region
// and service win: AWS rejects a request signed for any other scope, so honouring a mismatched setting can only fail.
func (s *Settings) resolveRegionAndService(sv *SigV4) error {
	ep := s.Endpoint
	if sv.Region == "default" {
		sv.Region = ""
	}
	switch {
	case ep.Region != "" && sv.Region == "":
		sv.Region = ep.Region
	case ep.Region != "" && sv.Region != ep.Region:
		s.addWarning(fmt.Sprintf("sigV4Region %q does not match the region of the workspace URL (%s); requests are signed for %s. Set the region to %s",
			sv.Region, ep.Region, ep.Region, ep.Region))
		sv.Region = ep.Region
	case sv.Region == "":
		return &SettingsError{Field: "jsonData.sigV4Region", Problem: "is empty and the URL host " + s.URL.Hostname() + " does not name a region",
			Fix: `set it to the workspace's AWS region, e.g. "us-west-2"`}
	}
	if !regionPattern.MatchString(sv.Region) {
		return &SettingsError{Field: "jsonData.sigV4Region", Problem: fmt.Sprintf("%q is not an AWS region name", sv.Region),
			Fix: `use a region such as "us-west-2"`}
	}
	switch {
	case sv.Service == "" && ep.Service != "":
		sv.Service = ep.Service
	case sv.Service == "":
		sv.Service = DefaultService
	case ep.Service != "" && sv.Service != ep.Service:
		s.addWarning(fmt.Sprintf("sigv4Service %q does not match the service of %s (%s); requests are signed for %s",
			sv.Service, s.URL.Hostname(), ep.Service, ep.Service))
		sv.Service = ep.Service
	}
	return nil
}

// minRedactLength is the shortest value treated as a secret in text: very short values would blank out ordinary
// words, and no real credential is that short.
const minRedactLength = 4

// Secrets lists the configured secret values (secret key, session token, basic-auth password and its encoded
// Authorization form, custom header values and their token part), longer than a few characters, for redaction of
// text built from what a server sent back: a misbehaving server or proxy may echo the credentials it received.
func (s *Settings) Secrets() []string {
	var out []string
	if s.SigV4 != nil {
		out = append(out, s.SigV4.SecretKey, s.SigV4.SessionToken)
	}
	if b := s.BasicAuth; b != nil {
		out = append(out, b.Password, base64.StdEncoding.EncodeToString([]byte(b.User+":"+b.Password)))
	}
	// Custom header values are secure fields and often tokens; "Bearer <token>" may come back as the token alone.
	for _, values := range s.Headers {
		for _, v := range values {
			out = append(out, v)
			if _, token, ok := strings.Cut(v, " "); ok {
				out = append(out, strings.TrimSpace(token))
			}
		}
	}
	return slices.DeleteFunc(out, func(v string) bool { return len(v) < minRedactLength })
}

// hasHeader reports whether a custom header is configured, even with an empty value.
func (s *Settings) hasHeader(name string) bool {
	_, ok := s.Headers[http.CanonicalHeaderKey(name)]
	return ok
}
