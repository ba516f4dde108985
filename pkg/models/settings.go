package models

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Defaults applied when a setting is absent.
const (
	DefaultHTTPMethod = http.MethodPost
	DefaultTimeout    = 30 * time.Second
	MaxTimeout        = 10 * time.Minute
	DefaultService    = "aps"
)

// Settings is a data source's validated configuration, parsed once per instance.
type Settings struct {
	URL          *url.URL
	Endpoint     Endpoint
	HTTPMethod   string
	TimeInterval string
	// QueryTimeout is sent to Prometheus as the timeout parameter; it is not the HTTP timeout.
	QueryTimeout string
	Timeout      time.Duration
	// QueryParameters are customQueryParameters plus AMP's samples-processed thresholds.
	QueryParameters          url.Values
	QueryStatsEnabled        bool
	ForwardGrafanaUserHeader bool
	Headers                  http.Header
	BasicAuth                *BasicAuth
	// SigV4 is nil when SigV4 signing is switched off (a non-AWS Prometheus).
	SigV4 *SigV4
	// TLS is nil unless a TLS option is on.
	TLS *TLS
	// KeepCookies names the Grafana user's cookies forwarded with each request.
	KeepCookies []string
	// IncrementalQuerying turns on the shared range-query cache; IncrementalQueryOverlap is the newest part of a
	// range it always fetches again.
	IncrementalQuerying     bool
	IncrementalQueryOverlap time.Duration
	// Limits are the response budgets and the server's request limits.
	Limits Limits
	// Warnings are problems the plugin worked around; Save & test shows them.
	Warnings []string
}

// String describes the settings without secrets: header values may be tokens, so none are printed.
func (s Settings) String() string {
	return fmt.Sprintf("{URL:%s AuthMode:%s SigV4:%v Headers:%v Warnings:%d}", s.URL, s.AuthMode(), s.SigV4, slices.Sorted(maps.Keys(s.Headers)), len(s.Warnings))
}

// BasicAuth holds basic-auth credentials for non-AWS managed Prometheus services.
type BasicAuth struct {
	User, Password string
}

// String keeps the password out of anything that formats the settings (logs, errors, panics).
func (b BasicAuth) String() string {
	return fmt.Sprintf("{User:%s Password:%s}", b.User, redact(b.Password))
}

// SigV4 holds the AWS signing settings.
type SigV4 struct {
	AuthType      string
	Region        string
	Service       string
	Profile       string
	AssumeRoleARN string
	ExternalID    string
	AccessKey     string
	SecretKey     string
	SessionToken  string
}

// String keeps the secret key and session token out of anything that formats the settings.
func (s SigV4) String() string {
	return fmt.Sprintf("{AuthType:%s Region:%s Service:%s Profile:%s AssumeRoleARN:%s ExternalID:%s AccessKey:%s SecretKey:%s SessionToken:%s}",
		s.AuthType, s.Region, s.Service, s.Profile, s.AssumeRoleARN, s.ExternalID, s.AccessKey, redact(s.SecretKey), redact(s.SessionToken))
}

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "[redacted]"
}

// Auth types accepted in jsonData.sigV4AuthType.
var authTypes = []string{"default", "keys", "credentials", "ec2_iam_role", "grafana_assume_role"}

var legacyAuthTypes = map[string]string{"": "default", "arn": "default", "sharedCreds": "credentials"}

// LoadSettings parses and validates the instance settings. It never panics on malformed jsonData.
func LoadSettings(s backend.DataSourceInstanceSettings) (*Settings, error) {
	jd, err := parseJSONData(s.JSONData)
	if err != nil {
		return nil, err
	}
	out := &Settings{Headers: http.Header{}}
	var warn string
	if out.URL, warn, err = normaliseURL(s.URL); err != nil {
		return nil, err
	}
	out.addWarning(warn)
	out.Endpoint = ParseEndpoint(out.URL)

	steps := []func(jsonData, backend.DataSourceInstanceSettings) error{
		out.loadHTTP, out.loadQueryOptions, out.loadHeaders, out.loadHTTPExtras, out.loadAuth, out.loadCacheOptions, out.loadLimits,
	}
	for _, step := range steps {
		if err := step(jd, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Settings) addWarning(w string) {
	if w != "" {
		s.Warnings = append(s.Warnings, w)
	}
}

func (s *Settings) loadHTTP(jd jsonData, _ backend.DataSourceInstanceSettings) error {
	method, err := jd.str("httpMethod", `use "POST" (recommended) or "GET"`)
	if err != nil {
		return err
	}
	switch method = strings.ToUpper(method); method {
	case "":
		s.HTTPMethod = DefaultHTTPMethod
	case http.MethodGet, http.MethodPost:
		s.HTTPMethod = method
	default:
		return &SettingsError{Field: "jsonData.httpMethod", Problem: fmt.Sprintf("is %q", method),
			Fix: `use "POST" (recommended) or "GET"`}
	}
	secs, err := jd.number("timeout", DefaultTimeout.Seconds(), "give the HTTP timeout in seconds, e.g. 30")
	if err != nil {
		return err
	}
	// The SDK's secure socks proxy setup type-asserts this key without checking.
	if _, err := jd.str("secureSocksProxyUsername", "use the proxy user name as a string"); err != nil {
		return err
	}
	s.Timeout, err = timeoutSeconds(secs)
	return err
}

func (s *Settings) loadQueryOptions(jd jsonData, _ backend.DataSourceInstanceSettings) error {
	var err error
	if s.TimeInterval, err = jd.str("timeInterval", `use a duration such as "15s"`); err != nil {
		return err
	}
	if s.TimeInterval != "" {
		if _, perr := ParseInterval(s.TimeInterval); perr != nil {
			return &SettingsError{Field: "jsonData.timeInterval", Problem: fmt.Sprintf("%q is not a duration", s.TimeInterval),
				Fix: `use the scrape interval, e.g. "15s" or "1m"`}
		}
	}
	if s.QueryTimeout, err = durationOrSeconds(jd, "queryTimeout"); err != nil {
		return err
	}
	if err := checkQueryTimeout(s.QueryTimeout); err != nil {
		return err
	}
	if s.QueryStatsEnabled, err = jd.boolean("queryStatsEnabled", false); err != nil {
		return err
	}
	if s.ForwardGrafanaUserHeader, err = jd.boolean("forwardGrafanaUserHeader", false); err != nil {
		return err
	}
	custom, err := jd.str("customQueryParameters", `use URL query syntax, e.g. "dedup=false&partial_response=true"`)
	if err != nil {
		return err
	}
	if s.QueryParameters, err = url.ParseQuery(strings.TrimPrefix(custom, "?")); err != nil {
		return &SettingsError{Field: "jsonData.customQueryParameters", Problem: "does not parse: " + err.Error(),
			Fix: `use URL query syntax, e.g. "dedup=false&partial_response=true"`}
	}
	thresholds := map[string]string{
		"maxSamplesProcessedWarningThreshold": "max_samples_processed_warning_threshold",
		"maxSamplesProcessedErrorThreshold":   "max_samples_processed_error_threshold",
	}
	for key, param := range thresholds {
		v, err := jd.number(key, 0, "give a whole number of samples, or 0 to turn it off")
		if err != nil {
			return err
		}
		if v < 0 || v != float64(int64(v)) {
			return &SettingsError{Field: "jsonData." + key, Problem: "is " + strconv.FormatFloat(v, 'f', -1, 64),
				Fix: "give a whole number of samples, or 0 to turn it off"}
		}
		if v > 0 {
			s.QueryParameters.Set(param, strconv.FormatInt(int64(v), 10))
		}
	}
	return nil
}

// durationOrSeconds reads a Prometheus duration setting that may also be given as a number of seconds.
func durationOrSeconds(jd jsonData, key string) (string, error) {
	fix := `use a duration such as "60s" or "2m"`
	if _, isString := jd[key].(string); isString || jd[key] == nil {
		v, err := jd.str(key, fix)
		if err != nil || v == "" {
			return v, err
		}
		if _, perr := ParseInterval(v); perr != nil {
			return "", &SettingsError{Field: "jsonData." + key, Problem: fmt.Sprintf("%q is not a duration", v), Fix: fix}
		}
		return v, nil
	}
	n, err := jd.number(key, 0, fix)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	return strconv.FormatFloat(n, 'f', -1, 64) + "s", nil
}

func (s *Settings) loadHeaders(jd jsonData, ds backend.DataSourceInstanceSettings) error {
	for i := 1; ; i++ {
		key := "httpHeaderName" + strconv.Itoa(i)
		name, err := jd.str(key, "use a header name such as X-Custom")
		if err != nil {
			return err
		}
		if name == "" {
			if _, present := jd[key]; present {
				continue
			}
			return nil
		}
		value := ds.DecryptedSecureJSONData["httpHeaderValue"+strconv.Itoa(i)]
		s.Headers.Set(name, value)
	}
}
