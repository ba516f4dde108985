package e2e

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// sigV4Signature is an echoed request signature; it must not be relayed either.
var sigV4Signature = regexp.MustCompile(`Signature=[0-9a-f]{64}`)

// TestReliabilityEchoedSecrets runs an assume-role data source (credentials issued by STS, known only to the
// signer) against upstreams that quote what they received: request headers echoed into warnings and response
// headers, and a signature mismatch whose canonical request holds the session token. Nothing the plugin returns
// or logs may contain a secret, raw or JSON-escaped.
func TestReliabilityEchoedSecrets(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	secure := keysOf(stackKey)
	secure["httpHeaderValue1"] = customHeaderSecret
	ds := authDataSource(t, map[string]any{"sigV4AssumeRoleArn": roleARN, "sigV4ExternalId": "ext-123", "httpHeaderName1": "X-Custom"}, secure)
	cfg := pluginhost.GrafanaConfig(nil)
	instant := stack.Query{RefID: "A", From: fixtureStart, To: fixtureStart.Add(time.Hour), Model: map[string]any{"expr": "echo", "instant": true}}
	var outputs []string
	record := func(resp stack.Response) {
		frames, err := json.Marshal(resp.Frames)
		require.NoError(t, err)
		outputs = append(outputs, resp.Error, string(frames))
	}
	recordResource := func(res resourceAnswer) {
		headers, err := json.Marshal(res.headers)
		require.NoError(t, err)
		outputs = append(outputs, string(res.body), string(headers))
	}

	t.Run("headers echoed into warnings and response headers", func(t *testing.T) {
		st.AMP.ClearFaults()
		inject(t, ampemu.EchoHeaders())
		resp, err := env.QueryData(testContext(t), ds, cfg, nil, instant)
		require.NoError(t, err)
		a := resp["A"]
		require.Empty(t, a.Error)
		require.NotEmpty(t, a.Frames)
		var warnings []string
		for _, n := range a.Frames[0].Meta.Notices {
			warnings = append(warnings, n.Text)
		}
		joined := strings.Join(warnings, "\n")
		assert.Contains(t, joined, `X-Amz-Security-Token: [redacted]`)
		assert.Contains(t, joined, `X-Custom: [redacted]`)
		assert.Contains(t, joined, `Signature=[redacted]`)
		record(a)

		res := callResource(t, env.Plugin, ds, resourceCall{path: "api/v1/labels"})
		assert.Equal(t, http.StatusOK, res.status)
		assert.Equal(t, []string{"[redacted]"}, res.headers["X-Echo-X-Amz-Security-Token"])
		assert.Contains(t, string(res.body), `X-Amz-Security-Token: [redacted]`)
		recordResource(res)
	})

	t.Run("signature mismatch quoting the canonical request", func(t *testing.T) {
		st.AMP.ClearFaults()
		inject(t, ampemu.SignatureMismatchEcho())
		const first = "InvalidSignatureException: The request signature we calculated does not match the signature you provided."
		resp, err := env.QueryData(testContext(t), ds, cfg, nil, instant)
		require.NoError(t, err)
		assert.Contains(t, resp["A"].Error, first)
		assert.NotContains(t, resp["A"].Error, "Canonical String")
		record(resp["A"])

		h := checkHealthWith(t, env.Plugin, ds, cfg)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, first)
		assert.NotContains(t, h.Message, "Canonical String")
		details, err := json.Marshal(h.Details)
		require.NoError(t, err)
		outputs = append(outputs, h.Message, string(details))

		res := callResource(t, env.Plugin, ds, resourceCall{path: "api/v1/labels"})
		assert.Equal(t, http.StatusForbidden, res.status)
		assert.Contains(t, res.envelope(t).Error, first)
		assert.NotContains(t, string(res.body), "Canonical String")
		recordResource(res)
	})
	st.AMP.ClearFaults()

	issued := env.issuedCredentials()
	require.NotEmpty(t, issued, "the data source signed with credentials STS issued")
	secrets := []string{stackKey.SecretAccessKey, customHeaderSecret}
	for _, is := range issued {
		secrets = append(secrets, is.SecretAccessKey, is.SessionToken)
	}
	outputs = append(outputs, env.stderr.String())
	for i, out := range outputs {
		for _, secret := range secrets {
			assert.NotContains(t, out, secret, "output %d leaks a secret", i)
			assert.NotContains(t, out, strings.ReplaceAll(secret, "/", `\/`), "output %d leaks a JSON-escaped secret", i)
		}
		assert.False(t, sigV4Signature.MatchString(out), "output %d quotes a request signature", i)
	}
	requireAlive(t, env.Plugin, env.Stack)
}

// TestReliabilityURLPassword: a URL with user information is refused, and never echoed, even when it does not
// parse (a password with a stray "%").
func TestReliabilityURLPassword(t *testing.T) {
	for _, raw := range []string{"https://user:pa%zz-url-secret@aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-1/",
		"https://user:url-secret@aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-1/"} {
		ds := dataSource(t, seedExample, nil)
		ds.URL = raw
		h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "url")
		resp := queryOnce(t, st, ds, pluginhost.GrafanaConfig(nil))
		res := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels"})
		for _, out := range []string{h.Message, h.Details.VerboseMessage, resp.Error, string(res.body)} {
			assert.NotEmpty(t, out)
			assert.NotContains(t, out, "url-secret")
		}
	}
	assert.NotContains(t, pluginLog.String(), "url-secret")
	requireAlive(t, st.Plugin, st)
}
