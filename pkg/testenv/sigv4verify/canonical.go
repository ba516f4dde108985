package sigv4verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Request is the part of a received request that SigV4 covers, in wire form. Keeping it separate from
// *http.Request lets tests feed raw requests that net/http would refuse (spaces or UTF-8 in the path).
type Request struct {
	Method string
	// Path is the request target's path exactly as it was on the wire (still escaped), without the query.
	Path string
	// RawQuery is the query exactly as it was on the wire, without '?'.
	RawQuery string
	Host     string
	// ContentLength is used for a signed content-length header; negative means unknown, and then the header is used.
	ContentLength int64
	Header        http.Header
}

// RequestFrom extracts the wire form of a server-side request. The path and query come from RequestURI, which holds
// the request line's target unchanged; requests built in code (empty RequestURI) fall back to URL.
func RequestFrom(r *http.Request) Request {
	path, query := wireTarget(r)
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	return Request{
		Method:        r.Method,
		Path:          path,
		RawQuery:      query,
		Host:          host,
		ContentLength: r.ContentLength,
		Header:        r.Header,
	}
}

func wireTarget(r *http.Request) (string, string) {
	target := r.RequestURI
	if target == "" {
		return r.URL.EscapedPath(), r.URL.RawQuery
	}
	// Absolute-form targets (proxy requests) carry scheme and authority before the path.
	if !strings.HasPrefix(target, "/") {
		if i := strings.Index(target, "://"); i >= 0 {
			rest := target[i+3:]
			j := strings.IndexAny(rest, "/?")
			if j < 0 {
				return "/", ""
			}
			target = rest[j:]
		}
	}
	path, query, _ := strings.Cut(target, "?")
	return path, query
}

// CanonicalPath applies the rule for every service except S3: normalise the wire path, then URI-encode it once
// more. Because the wire path is already escaped, this is the "double encoding" the SigV4 documentation describes.
func CanonicalPath(wirePath string) string {
	return EscapePath(NormalizePath(wirePath))
}

// NormalizePath removes "." and ".." segments and empty segments (duplicate slashes) as RFC 3986 section 5.2.4
// describes, keeping a trailing slash. A target that does not start with '/' is not an origin-form path and is
// returned unchanged so that it can never normalise into a valid one.
func NormalizePath(p string) string {
	if p == "" {
		return "/"
	}
	if !strings.HasPrefix(p, "/") {
		return p
	}
	segments := strings.Split(p, "/")
	kept := make([]string, 0, len(segments))
	for _, s := range segments {
		switch s {
		case "", ".":
		case "..":
			if len(kept) > 0 {
				kept = kept[:len(kept)-1]
			}
		default:
			kept = append(kept, s)
		}
	}
	out := "/" + strings.Join(kept, "/")
	last := segments[len(segments)-1]
	if len(kept) > 0 && (last == "" || last == "." || last == "..") {
		out += "/"
	}
	return out
}

// EscapePath percent-encodes every byte outside the RFC 3986 unreserved set, keeping '/'. Used alone (without
// NormalizePath) it is the S3 rule.
func EscapePath(p string) string {
	if p == "" {
		return "/"
	}
	return escape(p, true)
}

// CanonicalQuery splits the raw query on '&' and '=', decodes each part ('+' is a space, as Go servers read it),
// re-encodes it strictly and sorts by encoded key, then encoded value.
func CanonicalQuery(rawQuery string) (string, error) {
	type param struct{ key, value string }
	var params []param
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return "", fmt.Errorf("query parameter name %q: %w", k, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return "", fmt.Errorf("query parameter %q value %q: %w", key, v, err)
		}
		params = append(params, param{escape(key, false), escape(value, false)})
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].key != params[j].key {
			return params[i].key < params[j].key
		}
		return params[i].value < params[j].value
	})
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p.key + "=" + p.value
	}
	return strings.Join(pairs, "&"), nil
}

// CanonicalHeaders renders the signed headers in the order given, one "name:value\n" line each.
func CanonicalHeaders(req Request, signedHeaders []string) string {
	var b strings.Builder
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(req, name))
		b.WriteByte('\n')
	}
	return b.String()
}

func headerValue(req Request, name string) string {
	switch {
	case name == "host":
		return req.Host
	case name == "content-length" && req.ContentLength >= 0:
		return strconv.FormatInt(req.ContentLength, 10)
	}
	values := req.Header.Values(name)
	cleaned := make([]string, len(values))
	for i, v := range values {
		cleaned[i] = trimAll(v)
	}
	return strings.Join(cleaned, ",")
}

// trimAll trims the value and collapses runs of spaces, the SigV4 "Trimall" function.
func trimAll(v string) string {
	v = strings.Trim(v, " \t")
	var b strings.Builder
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteByte(v[i])
	}
	return b.String()
}

// CanonicalRequest builds the SigV4 canonical request of req for the given signed header names (lower case, in
// the order of the Authorization header) and hex payload hash.
func CanonicalRequest(req Request, signedHeaders []string, payloadHash string) (string, error) {
	query, err := CanonicalQuery(req.RawQuery)
	if err != nil {
		return "", err
	}
	return strings.Join([]string{
		req.Method,
		CanonicalPath(req.Path),
		query,
		CanonicalHeaders(req, signedHeaders),
		strings.Join(signedHeaders, ";"),
		payloadHash,
	}, "\n"), nil
}

// StringToSign builds "AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>".
func StringToSign(amzDate, scope, canonicalRequest string) string {
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + HashHex([]byte(canonicalRequest))
}

// SigningKey derives the signing key: HMAC chain "AWS4"+secret -> date (yyyymmdd) -> region -> service ->
// "aws4_request".
func SigningKey(secret, date, region, service string) []byte {
	key := []byte("AWS4" + secret)
	for _, part := range []string{date, region, service, terminator} {
		key = hmacSHA256(key, part)
	}
	return key
}

// Signature returns the hex HMAC-SHA256 of the string to sign under the signing key.
func Signature(signingKey []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(signingKey, stringToSign))
}

// HashHex returns the lower-case hex SHA-256 of b, the payload hash format SigV4 uses.
func HashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}

func escape(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0f])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
