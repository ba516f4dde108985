package sigv4verify

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	sdkRegion  = "us-west-2"
	sdkService = "aps"
	formType   = "application/x-www-form-urlencoded"
)

var (
	staticKey = aws.Credentials{AccessKeyID: "AKIASTATICEXAMPLE", SecretAccessKey: "static/secret+key"}
	tempKey   = aws.Credentials{AccessKeyID: "ASIATEMPEXAMPLE", SecretAccessKey: "temp/secret", SessionToken: "FwoG+token/=="}
)

// sdkCase is a request signed client side by aws-sdk-go-v2 and checked by a server running the Verifier.
type sdkCase struct {
	name        string
	method      string
	path        string // decoded path; net/http escapes it on the wire
	rawQuery    string
	body        string
	contentType string
	creds       aws.Credentials
	region      string
	service     string
	beforeSign  func(r *http.Request)
	afterSign   func(r *http.Request)
	now         func() time.Time
	want        Kind // zero: must verify
}

func TestVerifySDKSignedRequests(t *testing.T) {
	formBody := "query=sum%28rate%28up%5B5m%5D%29%29&start=1700000000&end=1700003600&step=15"
	cases := []sdkCase{
		{name: "POST form body", method: http.MethodPost, path: "/workspaces/ws-1/api/v1/query_range", body: formBody, contentType: formType},
		{name: "GET two match[] values, wire order differs from canonical", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/series",
			rawQuery: "match%5B%5D=up&match%5B%5D=%7Bjob%3D%22x%22%7D&start=1",
			afterSign: func(r *http.Request) {
				// The signer rewrote the query into canonical order; put "up" (letter) before "{" again.
				r.URL.RawQuery = "start=1&match%5B%5D=up&match%5B%5D=%7Bjob%3D%22x%22%7D"
			}},
		{name: "space and UTF-8 label value, space sent as +", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			rawQuery: "query=up%7Bcity%3D%22Z%C3%BCrich%22%2Cname%3D%22a+b%22%7D&time=1700000000",
			afterSign: func(r *http.Request) {
				require.Contains(t, r.URL.RawQuery, "%20")
				r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, "%20", "+")
			}},
		{name: "path containing %", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/label/we%ird/values"},
		{name: "session token", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/labels", creds: tempKey},
		{name: "signed x-amz-content-sha256", method: http.MethodPost, path: "/workspaces/ws-1/api/v1/query", body: "query=up", contentType: formType,
			beforeSign: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", HashHex([]byte("query=up"))) }},

		{name: "tampered body", method: http.MethodPost, path: "/workspaces/ws-1/api/v1/query_range", body: formBody, contentType: formType,
			afterSign: func(r *http.Request) { setBody(r, strings.Replace(formBody, "15", "30", 1)) }, want: Mismatch},
		{name: "tampered body with signed content hash", method: http.MethodPost, path: "/workspaces/ws-1/api/v1/query", body: "query=up", contentType: formType,
			beforeSign: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", HashHex([]byte("query=up"))) },
			afterSign:  func(r *http.Request) { setBody(r, "query=uq") }, want: BodyHashMismatch},
		{name: "tampered query", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query", rawQuery: "query=up&time=1",
			afterSign: func(r *http.Request) { r.URL.RawQuery = "query=up&time=2" }, want: Mismatch},
		{name: "tampered path", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			afterSign: func(r *http.Request) { r.URL.Path = "/workspaces/ws-2/api/v1/query" }, want: Mismatch},
		{name: "tampered method", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			afterSign: func(r *http.Request) { r.Method = http.MethodDelete }, want: Mismatch},
		{name: "tampered session token", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/labels", creds: tempKey,
			afterSign: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", tempKey.SessionToken+"x") }, want: BadSessionToken},
		{name: "session token stripped", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/labels", creds: tempKey,
			afterSign: func(r *http.Request) { r.Header.Del("X-Amz-Security-Token") }, want: BadSessionToken},
		{name: "session token with long-term key", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/labels",
			afterSign: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "stray") }, want: BadSessionToken},
		{name: "wrong region", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query", region: "eu-west-1", want: WrongRegion},
		{name: "wrong service", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query", service: "execute-api", want: WrongService},
		{name: "expired", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			now: func() time.Time { return time.Now().Add(6 * time.Minute) }, want: Expired},
		{name: "not yet current", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			now: func() time.Time { return time.Now().Add(-6 * time.Minute) }, want: Expired},
		{name: "date differs from scope", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			afterSign: func(r *http.Request) {
				r.Header.Set("X-Amz-Date", time.Now().UTC().Add(24*time.Hour).Format(amzDateFormat))
			}, want: WrongDate},
		{name: "unknown key", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			creds: aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"}, want: UnknownKey},
		{name: "wrong secret", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			creds: aws.Credentials{AccessKeyID: staticKey.AccessKeyID, SecretAccessKey: "wrong"}, want: Mismatch},
		{name: "unsigned", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			afterSign: func(r *http.Request) { r.Header.Del("Authorization") }, want: Missing},
		{name: "basic auth overwrote signature", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			afterSign: func(r *http.Request) { r.SetBasicAuth("user", "pass") }, want: Incomplete},
		{name: "SignedHeaders removed", method: http.MethodGet, path: "/workspaces/ws-1/api/v1/query",
			afterSign: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				start := strings.Index(a, " SignedHeaders=")
				end := strings.Index(a, " Signature=")
				r.Header.Set("Authorization", a[:start]+a[end:])
			}, want: Incomplete},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kind, message := runSDKCase(t, tc)
			assert.Equal(t, tc.want, kind, "server said: %s", message)
		})
	}
}

func runSDKCase(t *testing.T, tc sdkCase) (Kind, string) {
	t.Helper()
	verifier := &Verifier{
		Region:  sdkRegion,
		Service: sdkService,
		Lookup: func(id string) (Credentials, bool) {
			for _, c := range []aws.Credentials{staticKey, tempKey} {
				if c.AccessKeyID == id {
					return Credentials{AccessKeyID: id, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, true
				}
			}
			return Credentials{}, false
		},
		Now: tc.now,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res, err := verifier.Verify(r, body)
		if err != nil {
			var verr *Error
			if !assert.ErrorAs(t, err, &verr) {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("X-Verify-Kind", strconv.Itoa(int(verr.Kind)))
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, verr.Message)
			return
		}
		assert.NotEmpty(t, res.SignedHeaders)
		w.Header().Set("X-Verify-Kind", "0")
	}))
	defer srv.Close()

	req, err := http.NewRequestWithContext(context.Background(), tc.method, srv.URL, strings.NewReader(tc.body))
	require.NoError(t, err)
	req.URL.Path = tc.path
	req.URL.RawQuery = tc.rawQuery
	if tc.contentType != "" {
		req.Header.Set("Content-Type", tc.contentType)
	}
	if tc.beforeSign != nil {
		tc.beforeSign(req)
	}
	creds := staticKey
	if tc.creds.AccessKeyID != "" {
		creds = tc.creds
	}
	region, service := sdkRegion, sdkService
	if tc.region != "" {
		region = tc.region
	}
	if tc.service != "" {
		service = tc.service
	}
	err = v4.NewSigner().SignHTTP(context.Background(), creds, req, HashHex([]byte(tc.body)), service, region, time.Now())
	require.NoError(t, err)
	if tc.afterSign != nil {
		tc.afterSign(req)
	}

	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	message, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	kindHeader := resp.Header.Get("X-Verify-Kind")
	require.NotEmpty(t, kindHeader, "status %d: %s", resp.StatusCode, message)
	kind, err := strconv.Atoi(kindHeader)
	require.NoError(t, err)
	return Kind(kind), string(message)
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(bytes.NewReader([]byte(body)))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
}
