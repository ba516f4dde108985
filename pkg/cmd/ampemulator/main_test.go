package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

func TestRunServesSignedRequests(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"status":"success","path":"`+r.URL.Path+`"}`)
	}))
	defer upstream.Close()

	env := map[string]string{envAccessKey: "AKIAENVEXAMPLE", envSecretKey: "env-secret"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncbuf.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-upstream", upstream.URL, "-region", "us-east-2", "-workspace", "ws-a,ws-b", "-workspace", "ws-c"},
			func(k string) string { return env[k] }, &stdout, &stderr)
	}()

	require.Eventually(t, func() bool { return strings.HasSuffix(stdout.String(), "\n") }, 5*time.Second, 10*time.Millisecond)
	base := strings.TrimSpace(stdout.String())
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	assert.Contains(t, stderr.String(), base+"/workspaces/ws-c/")

	for _, ws := range []string{"ws-a", "ws-b", "ws-c"} {
		status, body := signedGet(t, base+"/workspaces/"+ws+"/api/v1/labels", "AKIAENVEXAMPLE", "env-secret")
		assert.Equal(t, http.StatusOK, status, body)
		assert.Equal(t, `{"status":"success","path":"/api/v1/labels"}`, body)
	}
	status, _ := signedGet(t, base+"/workspaces/ws-d/api/v1/labels", "AKIAENVEXAMPLE", "env-secret")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = signedGet(t, base+"/workspaces/ws-a/api/v1/labels", "AKIAENVEXAMPLE", "wrong")
	assert.Equal(t, http.StatusForbidden, status)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after the context was cancelled")
	}
}

func signedGet(t *testing.T, url, accessKey, secret string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	require.NoError(t, err)
	sum := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "aps", "us-east-2", time.Now()))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestParseFlags(t *testing.T) {
	noEnv := func(string) string { return "" }
	full := []string{"-upstream", "http://prometheus:9090", "-region", "eu-west-1", "-workspace", "ws-1",
		"-access-key", "AKIAFLAG", "-secret-key", "flag-secret", "-listen", "0.0.0.0:8080", "-max-skew", "2m", "-service", "sts"}

	listen, cfg, err := parseFlags(full, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:8080", listen)
	assert.Equal(t, "http://prometheus:9090", cfg.Upstream)
	assert.Equal(t, "eu-west-1", cfg.Region)
	assert.Equal(t, "sts", cfg.Service)
	assert.Equal(t, []string{"ws-1"}, cfg.Workspaces)
	assert.Equal(t, 2*time.Minute, cfg.MaxSkew)
	require.Len(t, cfg.Keys, 1)
	assert.Equal(t, "AKIAFLAG", cfg.Keys[0].AccessKeyID)
	assert.Equal(t, "flag-secret", cfg.Keys[0].SecretAccessKey)

	env := func(k string) string {
		return map[string]string{envAccessKey: "AKIAENV", envSecretKey: "env-secret"}[k]
	}
	_, cfg, err = parseFlags(full, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "AKIAFLAG", cfg.Keys[0].AccessKeyID, "flags win over the environment")

	listen, cfg, err = parseFlags([]string{"-upstream", "http://p:9090", "-region", "r", "-workspace", " a, ,b "}, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:0", listen)
	assert.Equal(t, "aps", cfg.Service)
	assert.Equal(t, []string{"a", "b"}, cfg.Workspaces)
	assert.Equal(t, "env-secret", cfg.Keys[0].SecretAccessKey)

	_, _, err = parseFlags([]string{"-region", "r"}, noEnv, io.Discard)
	require.Error(t, err)
	for _, name := range []string{"-upstream", "-workspace", "-access-key", "-secret-key"} {
		assert.Contains(t, err.Error(), name)
	}
	_, _, err = parseFlags(append(full, "extra"), noEnv, io.Discard)
	assert.Error(t, err)
}
