package models

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"regexp"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// TLS holds the TLS settings Grafana's HTTP settings offer, for endpoints behind a private CA (a VPC endpoint behind
// a TLS-inspecting proxy, a gateway) or that require a client certificate.
type TLS struct {
	SkipVerify bool
	// ServerName overrides the name the server certificate is checked against.
	ServerName string
	// CACert, ClientCert and ClientKey are PEM blocks from secureJsonData.
	CACert     string
	ClientCert string
	ClientKey  string
}

// String keeps the client key out of anything that formats the settings.
func (t TLS) String() string {
	return fmt.Sprintf("{SkipVerify:%t ServerName:%s CACert:%t ClientCert:%t ClientKey:%s}",
		t.SkipVerify, t.ServerName, t.CACert != "", t.ClientCert != "", redact(t.ClientKey))
}

// signedHeaders are set by the SigV4 signer. A custom header with one of these names would be put back over the
// signer's value (grafana-aws-sdk restores pre-existing headers after signing) and break the signature.
var signedHeaders = regexp.MustCompile(`(?i)^(authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256)$`)

// cookieName is RFC 6265's token: what a cookie name may contain.
var cookieName = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")

// loadHTTPExtras reads the TLS settings, the cookies to forward (keepCookies) and checks custom headers against the
// headers the SigV4 signer owns. It runs after loadHeaders.
func (s *Settings) loadHTTPExtras(jd jsonData, ds backend.DataSourceInstanceSettings) error {
	if err := s.loadTLS(jd, ds); err != nil {
		return err
	}
	if err := s.loadKeepCookies(jd); err != nil {
		return err
	}
	sigv4, err := jd.boolean("sigV4Auth", true)
	if err != nil || !sigv4 {
		return err
	}
	for name := range s.Headers {
		if signedHeaders.MatchString(name) && !strings.EqualFold(name, "Authorization") {
			return &SettingsError{Field: "jsonData.httpHeaderName", Problem: "sets " + name + ", which the SigV4 signer sets",
				Fix: "remove that custom header: it would replace part of the SigV4 signature and AWS would reject every request"}
		}
	}
	return nil
}

func (s *Settings) loadTLS(jd jsonData, ds backend.DataSourceInstanceSettings) error {
	var flags [3]bool
	for i, key := range []string{"tlsSkipVerify", "tlsAuthWithCACert", "tlsAuth"} {
		v, err := jd.boolean(key, false)
		if err != nil {
			return err
		}
		flags[i] = v
	}
	skip, withCA, clientAuth := flags[0], flags[1], flags[2]
	if !skip && !withCA && !clientAuth {
		return nil
	}
	t := &TLS{SkipVerify: skip}
	// Grafana reads the server name and certificates only when a certificate option is on; so does the plugin.
	if withCA || clientAuth {
		var err error
		if t.ServerName, err = jd.str("serverName", "use the host name the server's certificate names"); err != nil {
			return err
		}
	}
	if withCA {
		t.CACert = strings.TrimSpace(ds.DecryptedSecureJSONData["tlsCACert"])
		if t.CACert == "" {
			return &SettingsError{Field: "secureJsonData.tlsCACert", Problem: "is empty while tlsAuthWithCACert is on",
				Fix: "paste the CA certificate (PEM, -----BEGIN CERTIFICATE-----) or turn \"With CA cert\" off"}
		}
		if !x509.NewCertPool().AppendCertsFromPEM([]byte(t.CACert)) {
			return &SettingsError{Field: "secureJsonData.tlsCACert", Problem: "holds no PEM certificate",
				Fix: "paste the CA certificate including the -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines"}
		}
	}
	if clientAuth {
		t.ClientCert = strings.TrimSpace(ds.DecryptedSecureJSONData["tlsClientCert"])
		t.ClientKey = strings.TrimSpace(ds.DecryptedSecureJSONData["tlsClientKey"])
		if block, _ := pem.Decode([]byte(t.ClientCert)); block == nil {
			return &SettingsError{Field: "secureJsonData.tlsClientCert", Problem: "holds no PEM certificate while tlsAuth is on",
				Fix: "paste the client certificate (PEM) or turn \"TLS client authentication\" off"}
		}
		if _, err := tls.X509KeyPair([]byte(t.ClientCert), []byte(t.ClientKey)); err != nil {
			// The parser's message names neither secret, only what is wrong with the pair.
			return &SettingsError{Field: "secureJsonData.tlsClientKey", Problem: "does not match the client certificate or is not a PEM key (" + err.Error() + ")",
				Fix: "paste the private key (PEM) that belongs to the client certificate"}
		}
	}
	s.TLS = t
	return nil
}

// loadKeepCookies reads keepCookies, the names of the Grafana user's cookies to forward, as Grafana's Prometheus
// data source does.
func (s *Settings) loadKeepCookies(jd jsonData) error {
	raw, ok := jd["keepCookies"]
	if !ok || raw == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		return &SettingsError{Field: "jsonData.keepCookies", Problem: "must be a list of cookie names, got " + describe(raw),
			Fix: `use a list such as ["session_id"]`}
	}
	for _, v := range list {
		name, ok := v.(string)
		name = strings.TrimSpace(name)
		if !ok || !cookieName.MatchString(name) {
			return &SettingsError{Field: "jsonData.keepCookies", Problem: "holds " + describe(v) + ", which is not a cookie name",
				Fix: "list cookie names only, without values or separators"}
		}
		s.KeepCookies = append(s.KeepCookies, name)
	}
	return nil
}
