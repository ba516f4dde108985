package ampemu_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

const (
	testRegion    = "eu-west-1"
	testWorkspace = "ws-0123abcd"
	formType      = "application/x-www-form-urlencoded"
	promSuccess   = `{"status":"success","data":{"resultType":"vector","result":[]}}`
)

var (
	adminKey  = ampemu.Key{AccessKeyID: "AKIAADMINEXAMPLE", SecretAccessKey: "admin/secret+key"}
	labelsKey = ampemu.Key{AccessKeyID: "AKIALABELSEXAMPLE", SecretAccessKey: "labels-secret",
		Principal: "arn:aws:iam::123456789012:role/labels-reader", Actions: []string{ampemu.ActionGetLabels}}
	tempKey = ampemu.Key{AccessKeyID: "ASIATEMPEXAMPLE", SecretAccessKey: "temp-secret", SessionToken: "temp+token/=="}
)

// received is what the stand-in Prometheus saw.
type received struct {
	method   string
	path     string
	rawPath  string
	rawQuery string
	header   http.Header
	body     string
}

// upstream is an httptest Prometheus stand-in that records every request.
type upstream struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []received
}

func newUpstream(t *testing.T) *upstream {
	t.Helper()
	u := &upstream{}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.got = append(u.got, received{method: r.Method, path: r.URL.Path, rawPath: r.URL.EscapedPath(),
			rawQuery: r.URL.RawQuery, header: r.Header.Clone(), body: string(body)})
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, promSuccess)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) requests() []received {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]received(nil), u.got...)
}

func (u *upstream) reset() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got = nil
}

type fixture struct {
	emu *ampemu.Emulator
	up  *upstream
}

func newFixture(t *testing.T, configure func(*ampemu.Config)) *fixture {
	t.Helper()
	up := newUpstream(t)
	cfg := ampemu.Config{
		Upstream:   up.srv.URL,
		Region:     testRegion,
		Workspaces: []string{testWorkspace},
		Keys:       []ampemu.Key{adminKey, labelsKey, tempKey},
	}
	if configure != nil {
		configure(&cfg)
	}
	emu, err := ampemu.Start(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, emu.Close()) })
	return &fixture{emu: emu, up: up}
}

// call is a client request, signed with aws-sdk-go-v2's v4 signer unless unsigned is set.
type call struct {
	method      string
	path        string // appended to the emulator URL; "api/v1/..." is taken relative to the workspace URL
	query       string
	body        string
	contentType string
	header      map[string]string // set before signing
	key         ampemu.Key        // zero: adminKey
	token       *string           // overrides the key's session token
	region      string
	service     string
	signedAt    time.Time
	unsigned    bool
	timeout     time.Duration
}

func (f *fixture) do(t *testing.T, c call) (*http.Response, string) {
	t.Helper()
	resp, body, err := send(t, f.emu.URL(), c)
	require.NoError(t, err)
	return resp, body
}

// send issues c against the emulator at baseURL.
func send(t *testing.T, baseURL string, c call) (*http.Response, string, error) {
	t.Helper()
	return execute(buildRequest(t, baseURL, c), c.timeout)
}

// buildRequest prepares and signs c; a path starting with "api/" is relative to the test workspace.
func buildRequest(t *testing.T, baseURL string, c call) *http.Request {
	t.Helper()
	target := baseURL + c.path
	if strings.HasPrefix(c.path, "api/") {
		target = baseURL + "/workspaces/" + testWorkspace + "/" + c.path
	}
	if c.query != "" {
		target += "?" + c.query
	}
	req, err := http.NewRequestWithContext(context.Background(), c.method, target, strings.NewReader(c.body))
	require.NoError(t, err)
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if !c.unsigned {
		signRequest(t, req, c)
	}
	return req
}

// execute sends req and reads the whole answer; it is safe to call from any goroutine.
func execute(req *http.Request, timeout time.Duration) (*http.Response, string, error) {
	client := &http.Client{Timeout: timeout}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

func signRequest(t *testing.T, req *http.Request, c call) {
	t.Helper()
	key := c.key
	if key.AccessKeyID == "" {
		key = adminKey
	}
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey, SessionToken: key.SessionToken}
	if c.token != nil {
		creds.SessionToken = *c.token
	}
	region, service, at := testRegion, "aps", time.Now()
	if c.region != "" {
		region = c.region
	}
	if c.service != "" {
		service = c.service
	}
	if !c.signedAt.IsZero() {
		at = c.signedAt
	}
	sum := sha256.Sum256([]byte(c.body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, at))
}

// requireAWSError checks the AWS error shape (status, x-amzn-ErrorType, x-amzn-RequestId, JSON message) and
// returns the message.
func requireAWSError(t *testing.T, resp *http.Response, body string, status int, errorType string) string {
	t.Helper()
	require.Equal(t, status, resp.StatusCode, "body: %s", body)
	assert.Equal(t, errorType, resp.Header.Get(ampemu.HeaderErrorType))
	assert.NotEmpty(t, resp.Header.Get(ampemu.HeaderRequestID))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var msg struct {
		Message *string `json:"message"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &msg), "body: %s", body)
	require.NotNil(t, msg.Message, "body: %s", body)
	require.NotEmpty(t, *msg.Message)
	return *msg.Message
}
