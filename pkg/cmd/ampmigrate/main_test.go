package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/grafanaapi"
)

const (
	adminToken  = "glsa_SubprocessAdmin0123456789_abcdef01"
	readerToken = "glsa_SubprocessReader0123456789_abcdef02"
)

// binary builds the command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "ampmigrate")
	out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return exe
}

type run struct {
	code           int
	stdout, stderr string
}

func runBinary(t *testing.T, exe string, env []string, args ...string) run {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("ampmigrate did not finish within a minute")
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	r := run{code: code, stdout: stdout.String(), stderr: stderr.String()}
	for _, tok := range []string{adminToken, readerToken} {
		require.NotContains(t, r.stdout+r.stderr, tok, "the token must never be printed")
	}
	return r
}

// TestCommand runs the built executable: exit statuses, where output goes, and the token never printed.
func TestCommand(t *testing.T) {
	exe := binary(t)
	g := grafanaapi.Start(
		grafanaapi.Token{Value: adminToken, Permissions: grafanaapi.AllPermissions},
		grafanaapi.Token{Value: readerToken, Permissions: []string{grafanaapi.DataSourcesRead}},
	)
	t.Cleanup(g.Close)
	require.NoError(t, g.AddDataSource(grafanaapi.DataSource{
		UID: "amp", Name: "AMP", Type: "grafana-amazonprometheus-datasource",
		JSONData:       json.RawMessage(`{"sigV4Auth":true,"prometheus-type-migration":true}`),
		SecureJSONData: map[string]string{"sigV4SecretKey": "secret"},
	}))
	url := "GRAFANA_URL=" + g.URL()

	r := runBinary(t, exe, []string{url, "GRAFANA_TOKEN=" + readerToken}, "status", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `[{"uid":"amp","name":"AMP","type":"grafana-amazonprometheus-datasource","readOnly":false,"state":"migrated"}]`, r.stdout)
	assert.Empty(t, r.stderr)

	r = runBinary(t, exe, []string{url, "GRAFANA_TOKEN=" + readerToken}, "rollback", "--apply")
	assert.Equal(t, 1, r.code, "an item failed")
	assert.Contains(t, r.stdout, "datasources:write")
	assert.Contains(t, r.stderr, "1 of 1 failed: amp")

	r = runBinary(t, exe, []string{url, "GRAFANA_TOKEN=glsa_revoked"}, "rollback", "--apply")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "401 Unauthorized")
	assert.NotContains(t, r.stderr, "glsa_revoked")

	r = runBinary(t, exe, []string{url}, "status", "--token", adminToken)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "tokens are not accepted as flag values")

	r = runBinary(t, exe, nil)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "Usage: ampmigrate")

	tokenFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(adminToken+"\n"), 0o600))
	logFile := filepath.Join(t.TempDir(), "audit.log")
	r = runBinary(t, exe, []string{url}, "rollback", "--apply", "--token-file", tokenFile, "--log", logFile)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "rolled back")
	ds, _ := g.DataSource("amp")
	assert.Equal(t, "prometheus", ds.Type)
	assert.Equal(t, map[string]string{"sigV4SecretKey": "secret"}, ds.SecureJSONData)
	logged, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ rollback apply uid=amp name="AMP" result="rolled-back"`, string(logged))
	assert.NotContains(t, string(logged), adminToken)
}
