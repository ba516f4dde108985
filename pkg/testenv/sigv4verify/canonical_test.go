package sigv4verify

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanonicalPath(t *testing.T) {
	cases := []struct{ wire, want string }{
		{"", "/"},
		{"/", "/"},
		{"/workspaces/ws-1/api/v1/query", "/workspaces/ws-1/api/v1/query"},
		// The wire form is escaped already; the aps rule encodes it once more.
		{"/api/v1/label/a%25b/values", "/api/v1/label/a%2525b/values"},
		{"/a%20b", "/a%2520b"},
		{"/a/b/../c/./d//", "/a/c/d/"},
		{"/a/b/..", "/a/"},
		{"/..", "/"},
		{"relative/..", "relative/.."},
	}
	for _, tc := range cases {
		t.Run(tc.wire, func(t *testing.T) {
			assert.Equal(t, tc.want, CanonicalPath(tc.wire))
		})
	}
}

func TestCanonicalQuery(t *testing.T) {
	cases := []struct{ name, raw, want string }{
		{"empty", "", ""},
		{"sorted by key", "b=2&a=1", "a=1&b=2"},
		// Sorting must use the encoded values: "%7B" sorts before "up" although '{' sorts after 'u'.
		{"values sorted encoded", "match%5B%5D=up&match%5B%5D=%7Bjob%3D%22x%22%7D", "match%5B%5D=%7Bjob%3D%22x%22%7D&match%5B%5D=up"},
		{"plus is a space", "q=a+b", "q=a%20b"},
		{"literal plus", "q=a%2Bb", "q=a%2Bb"},
		{"lower-case escapes upper-cased", "q=%c3%bc", "q=%C3%BC"},
		{"reserved re-encoded", "q=a/b:c", "q=a%2Fb%3Ac"},
		{"key without value", "flag&a=1", "a=1&flag="},
		{"empty parts skipped", "a=1&&b=2", "a=1&b=2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CanonicalQuery(tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := CanonicalQuery("q=%zz")
	assert.Error(t, err)
}

func TestCanonicalHeaders(t *testing.T) {
	req := Request{
		Host:          "example.com:8080",
		ContentLength: 12,
		Header: http.Header{
			"Content-Length": {"999"},
			"X-Multi":        {"  one  ", "two   three"},
		},
	}
	got := CanonicalHeaders(req, []string{"content-length", "host", "x-multi", "x-absent"})
	assert.Equal(t, "content-length:12\nhost:example.com:8080\nx-multi:one,two three\nx-absent:\n", got)

	req.ContentLength = -1
	assert.Equal(t, "content-length:999\n", CanonicalHeaders(req, []string{"content-length"}))
}

func TestRequestFromAbsoluteTarget(t *testing.T) {
	r, err := http.NewRequest(http.MethodGet, "http://example.com/ignored", nil)
	require.NoError(t, err)
	r.RequestURI = "http://example.com/a%20b?x=1"
	got := RequestFrom(r)
	assert.Equal(t, "/a%20b", got.Path)
	assert.Equal(t, "x=1", got.RawQuery)
	assert.Equal(t, "example.com", got.Host)
}

func TestVerifyErrorDetails(t *testing.T) {
	signedAt := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	newRequest := func() *http.Request {
		r, err := http.NewRequest(http.MethodGet, "http://example.com/q?a=1", nil)
		require.NoError(t, err)
		r.Header.Set("X-Amz-Date", signedAt.Format(amzDateFormat))
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/aps/aws4_request, "+
			"SignedHeaders=host;x-amz-date, Signature=00")
		return r
	}
	v := &Verifier{
		Region:  "us-east-1",
		Service: "aps",
		Lookup:  func(id string) (Credentials, bool) { return Credentials{AccessKeyID: id, SecretAccessKey: "s"}, true },
		Now:     func() time.Time { return signedAt },
	}

	_, err := v.Verify(newRequest(), nil)
	var verr *Error
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, Mismatch, verr.Kind)
	assert.Equal(t, MessageMismatch, verr.Message)
	assert.Equal(t, "GET\n/q\na=1\nhost:example.com\nx-amz-date:20240501T100000Z\n\nhost;x-amz-date\n"+HashHex(nil),
		verr.CanonicalRequest)
	assert.True(t, strings.HasPrefix(verr.StringToSign, "AWS4-HMAC-SHA256\n20240501T100000Z\n20240501/us-east-1/aps/aws4_request\n"))
	assert.Contains(t, verr.Error(), "signature mismatch")

	v.Now = func() time.Time { return signedAt.Add(10 * time.Minute) }
	_, err = v.Verify(newRequest(), nil)
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, Expired, verr.Kind)
	assert.Equal(t, "Signature expired: 20240501T100000Z is now earlier than 20240501T100500Z (20240501T101000Z - 5 min.)",
		verr.Message)

	v.Service = "sts"
	_, err = v.Verify(newRequest(), nil)
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "Credential should be scoped to correct service: 'sts'.", verr.Message)

	v.Service, v.Lookup = "aps", nil
	_, err = v.Verify(newRequest(), nil)
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, UnknownKey, verr.Kind)
}

func TestParseAuthorizationRejects(t *testing.T) {
	cases := map[string]string{
		"other algorithm":    "AWS4-ECDSA-P256-SHA256 Credential=a/20240501/r/s/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
		"missing signature":  "AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws4_request, SignedHeaders=host;x-amz-date",
		"short credential":   "AWS4-HMAC-SHA256 Credential=a/20240501/r/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
		"bad terminator":     "AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws5_request, SignedHeaders=host;x-amz-date, Signature=00",
		"host not signed":    "AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws4_request, SignedHeaders=x-amz-date, Signature=00",
		"date not signed":    "AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws4_request, SignedHeaders=host, Signature=00",
		"upper-case header":  "AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws4_request, SignedHeaders=Host;x-amz-date, Signature=00",
		"pair without equal": "AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws4_request, SignedHeaders, Signature=00",
	}
	for name, header := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseAuthorization(header)
			require.NotNil(t, err)
			assert.Equal(t, Incomplete, err.Kind)
		})
	}
	got, err := parseAuthorization("AWS4-HMAC-SHA256 Credential=a/20240501/r/s/aws4_request,SignedHeaders=host;x-amz-date,Signature=00")
	require.Nil(t, err)
	assert.Equal(t, authorization{accessKeyID: "a", date: "20240501", region: "r", service: "s",
		signedHeaders: []string{"host", "x-amz-date"}, signature: "00"}, got)
}
