package signing

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// Redacted replaces every secret the plugin finds in text it emits.
const Redacted = "[redacted]"

// redactName is the middleware that removes echoed secrets from error answers.
const redactName = "amp-redact-echoed-secrets"

// maxRedactedBody is how much of an error answer is searched; error answers are small, and the rest of a larger
// one is passed on untouched.
const maxRedactedBody = 1 << 20

// maxIssued is how many sets of resolved credentials a Redactor remembers. Credentials rotate (an assumed role every
// 15 minutes to an hour); a few recent sets cover answers to requests signed just before a rotation.
const maxIssued = 4

// minSecretLength matches the settings' rule: shorter values would blank out ordinary words.
const minSecretLength = 4

// Redactor replaces a data source's secrets in text: the configured ones (secret key, session token, basic-auth
// password, custom header values) and the credentials the signer actually uses, including those issued by STS or
// found by the default credential chain. Each secret is searched for raw and in the encoded forms it takes when a
// server quotes it: JSON-escaped (Go's \u0026 and other encoders' \/) and percent-encoded (canonical requests,
// query strings). It is safe for concurrent use.
type Redactor struct {
	static []string

	mu     sync.RWMutex
	issued [][]string // forms of each remembered credential set, oldest first
	last   string     // secret key of the set noted last, so the common case is one comparison
	all    []string   // static and issued forms, longest first; replaced, never changed in place
}

// NewRedactor returns the redactor of a data source's settings; s may be nil.
func NewRedactor(s *models.Settings) *Redactor {
	r := &Redactor{}
	if s != nil {
		r.static = encodedForms(s.Secrets()...)
	}
	r.all = longestFirst(r.static, nil)
	return r
}

// noteCredentials remembers credentials in use, so that text quoting them is redacted too.
func (r *Redactor) noteCredentials(c aws.Credentials) {
	if r == nil || c.SecretAccessKey == "" {
		return
	}
	r.mu.RLock()
	known := r.last == c.SecretAccessKey
	r.mu.RUnlock()
	if known {
		return
	}
	forms := encodedForms(c.SecretAccessKey, c.SessionToken)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = c.SecretAccessKey
	for _, set := range r.issued {
		if slices.Equal(set, forms) {
			return
		}
	}
	r.issued = append(r.issued, forms)
	if len(r.issued) > maxIssued {
		r.issued = slices.Delete(r.issued, 0, len(r.issued)-maxIssued)
	}
	r.all = longestFirst(r.static, r.issued)
}

// longestFirst joins the forms, longest first, so that an encoded form is replaced before a raw value it
// contains.
func longestFirst(static []string, issued [][]string) []string {
	out := slices.Clone(static)
	for _, set := range issued {
		out = append(out, set...)
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(out)
}

// secrets returns every form to search for. The slice is shared: callers only read it.
func (r *Redactor) secrets() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.all
}

// signature matches the signature of an echoed SigV4 Authorization header. It is no credential, but a request
// signature must not reach logs or panels either.
var signature = regexp.MustCompile(`Signature=[0-9a-f]{64}`)

const signatureRedacted = "Signature=" + Redacted

// Redact replaces every secret and SigV4 signature in text.
func (r *Redactor) Redact(text string) string {
	if r == nil || text == "" {
		return text
	}
	for _, s := range r.secrets() {
		if strings.Contains(text, s) {
			text = strings.ReplaceAll(text, s, Redacted)
		}
	}
	if strings.Contains(text, "Signature=") {
		text = signature.ReplaceAllLiteralString(text, signatureRedacted)
	}
	return text
}

// RedactBytes replaces every secret and SigV4 signature in b. It returns b itself when there is none.
func (r *Redactor) RedactBytes(b []byte) []byte {
	if r == nil || len(b) == 0 {
		return b
	}
	for _, s := range r.secrets() {
		if bytes.Contains(b, []byte(s)) {
			b = bytes.ReplaceAll(b, []byte(s), []byte(Redacted))
		}
	}
	if bytes.Contains(b, []byte("Signature=")) {
		b = signature.ReplaceAllLiteral(b, []byte(signatureRedacted))
	}
	return b
}

// Error returns err with its message redacted, or err itself when the message holds no secret. The redacted
// error keeps err in its chain, so errors.As and the error source still work.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := r.Redact(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// encodedForms returns the values and their quoted forms, without duplicates and without values too short to
// be credentials.
func encodedForms(values ...string) []string {
	var out []string
	add := func(v string) {
		if len(v) >= minSecretLength && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, v := range values {
		if len(v) < minSecretLength {
			continue
		}
		add(v)
		goJSON, _ := json.Marshal(v)
		quoted := strings.Trim(string(goJSON), `"`)
		var plain bytes.Buffer
		enc := json.NewEncoder(&plain)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(v)
		unescaped := strings.Trim(strings.TrimSpace(plain.String()), `"`)
		for _, j := range []string{quoted, unescaped, upperUnicodeEscapes(quoted)} {
			add(j)
			add(strings.ReplaceAll(j, "/", `\/`))
		}
		add(url.QueryEscape(v))
		add(url.PathEscape(v))
		add(strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		add(strings.ToLower(url.QueryEscape(v)))
	}
	return out
}

// upperUnicodeEscapes writes \u escapes with upper-case hex digits, as some JSON encoders do.
func upperUnicodeEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+5 < len(s) && s[i+1] == 'u' {
			b.WriteString(`\u` + strings.ToUpper(s[i+2:i+6]))
			i += 5
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// framingHeaders describe how to read the body, and hold no echoed value; a custom header such as
// "Accept-Encoding: gzip, deflate" is a secure value too, and redacting "deflate" there would break decoding.
var framingHeaders = []string{"Content-Encoding", "Content-Length", "Content-Type", "Transfer-Encoding"}

// redactEchoedSecrets removes the data source's secrets from error answers. Some servers and proxies echo the
// Authorization header they received in a 401; whatever handler relays or quotes the answer then never sees the
// secret.
func redactEchoedSecrets(r *Redactor) httpclient.Middleware {
	return httpclient.NamedMiddlewareFunc(redactName, func(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
		return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err != nil {
				return nil, r.Error(err)
			}
			for k, vs := range resp.Header {
				if slices.Contains(framingHeaders, k) {
					continue
				}
				for i, v := range vs {
					vs[i] = r.Redact(v)
				}
			}
			if resp.StatusCode < 400 || resp.Body == nil {
				return resp, nil
			}
			head, err := io.ReadAll(io.LimitReader(resp.Body, maxRedactedBody))
			if err != nil {
				resp.Body.Close()
				return nil, r.Error(err)
			}
			redacted := r.RedactBytes(head)
			if len(head) < maxRedactedBody {
				resp.Body.Close()
				resp.Body = io.NopCloser(bytes.NewReader(redacted))
				resp.ContentLength = int64(len(redacted))
				resp.Header.Set("Content-Length", strconv.Itoa(len(redacted)))
				return resp, nil
			}
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(redacted), resp.Body), resp.Body}
			resp.ContentLength = -1
			resp.Header.Del("Content-Length")
			return resp, nil
		})
	})
}
