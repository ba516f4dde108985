package e2e

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// Failures AWS answers: the Save & test message names the cause and the fix in one line, and the step report
// under Details carries AWS's answer once (aws-auth.md 4.5 #17, #20).
func TestAuthFailuresAreExplained(t *testing.T) {
	env := startAuthEnv(t, authOptions{})
	defaults := pluginhost.GrafanaConfig(nil)
	skewed, err := ampemu.Start(ampemu.Config{Upstream: st.Prometheus.URL, Region: st.Region, Workspaces: []string{stack.WorkspaceID},
		Keys: []ampemu.Key{stackKey}, Now: func() time.Time { return time.Now().Add(-20 * time.Minute) }})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, skewed.Close()) })
	tests := []struct {
		name   string
		edit   map[string]any
		secure map[string]string
		url    string
		step   string
		title  string
		want   []string
	}{
		{name: "wrong service", title: "Signature rejected by AMP", edit: map[string]any{"sigv4Service": "execute-api"}, secure: keysOf(stackKey), step: "Query 1+1",
			want: []string{"InvalidSignatureException", `signed for service "execute-api"`, `set the SigV4 service to "aps"`}},
		{name: "wrong region", title: "Signature rejected by AMP", edit: map[string]any{"sigV4Region": "eu-west-1"}, secure: keysOf(stackKey), step: "Query 1+1",
			want: []string{"scoped to a valid region", `signed for region "eu-west-1"`}},
		{name: "clock 20 minutes ahead", title: "Signature rejected by AMP", secure: keysOf(stackKey), url: skewed.WorkspaceURL(stack.WorkspaceID), step: "Query 1+1",
			want: []string{"Signature not yet current", "clock skew", "NTP"}},
		{name: "unsigned", title: "Request not signed", edit: map[string]any{"sigV4Auth": false}, step: "Query 1+1",
			want: []string{"MissingAuthenticationTokenException", "turn on SigV4"}},
		{name: "wrong secret", title: "Signature rejected by AMP: check the secret access key", secure: map[string]string{"sigV4AccessKey": stack.AccessKeyID, "sigV4SecretKey": "wrong-secret-value"}, step: "Query 1+1",
			want: []string{"does not match", "check the secret access key"}},
		{name: "unknown key", title: "Access key not recognised by AWS", secure: keysOf(ampemu.Key{AccessKeyID: "AKIAUNKNOWN000000001", SecretAccessKey: "x"}), step: "Query 1+1",
			want: []string{"UnrecognizedClientException", "does not recognise the access key ID"}},
		{name: "query denied", title: "Permission denied by AMP", secure: keysOf(noActionsKey), step: "Query 1+1",
			want: []string{"AccessDeniedException", "lacks aps:QueryMetrics", "grant aps:QueryMetrics on arn:aws:aps:us-east-2:123456789012:workspace/" + stack.WorkspaceID}},
		{name: "labels denied", title: "Permission denied by AMP", secure: keysOf(queryOnlyKey), step: "Labels",
			want: []string{"AccessDeniedException", "lacks aps:GetLabels", "grant aps:GetLabels on arn:aws:aps:us-east-2:123456789012:workspace/" + stack.WorkspaceID}},
		{name: "workspace not found", title: "Workspace not found", secure: keysOf(stackKey), url: st.AMP.WorkspaceURL("ws-00000000-0000-0000-0000-000000000000"), step: "Query 1+1",
			want: []string{"404", "ResourceNotFoundException", `Workspace "ws-00000000-0000-0000-0000-000000000000" was not found in region us-east-2`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.Reset()
			ds := authDataSource(t, tc.edit, tc.secure)
			if tc.url != "" {
				ds.URL = tc.url
			}
			h := checkHealthWith(t, env.Plugin, ds, defaults)
			assert.Equal(t, "ERROR", h.Status)
			assert.True(t, strings.HasPrefix(h.Message, tc.title), h.Message)
			for _, w := range tc.want {
				assert.Contains(t, h.text(), w)
			}
			if aws := st.AMP.Requests(); len(aws) > 0 && aws[len(aws)-1].ErrorType != "" {
				assert.Equal(t, 1, strings.Count(h.text(), aws[len(aws)-1].ErrorType), "AWS's answer appears once")
			}
			assert.True(t, strings.HasPrefix(h.step(tc.step), "error: "), h.step(tc.step))
		})
	}
	t.Run("timeout", func(t *testing.T) {
		st.AMP.Inject(ampemu.Slow(3 * time.Second))
		defer st.AMP.ClearFaults()
		h := checkHealthWith(t, env.Plugin, authDataSource(t, map[string]any{"timeout": 1}, keysOf(stackKey)), defaults)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "timed out")
		assert.Contains(t, h.Message, "raise the timeout setting")
	})
	t.Run("TLS", func(t *testing.T) {
		tlsServer := httptest.NewUnstartedServer(http.NotFoundHandler())
		tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
		tlsServer.StartTLS()
		t.Cleanup(tlsServer.Close)
		ds := authDataSource(t, nil, keysOf(stackKey))
		ds.URL = tlsServer.URL + "/workspaces/" + stack.WorkspaceID + "/"
		h := checkHealthWith(t, env.Plugin, ds, defaults)
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.Message, "certificate")
		assert.Contains(t, h.Message, "TLS certificate is not trusted")
	})
}

// The seed example pairs a us-west-2 workspace URL with sigV4Region us-east-2. The URL's region wins and Save &
// test says so. An HTTP proxy (the emulator) stands in for AWS, so the real host name is kept.
func TestAuthSeedExampleRegionMismatch(t *testing.T) {
	westEmu, err := ampemu.Start(ampemu.Config{Upstream: st.Prometheus.URL, Region: "us-west-2", Workspaces: []string{stack.WorkspaceID}, Keys: []ampemu.Key{stackKey}})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, westEmu.Close()) })
	env := startAuthEnv(t, authOptions{stsRegion: "us-west-2", env: []string{"HTTP_PROXY=" + westEmu.URL()}})
	ds := authDataSource(t, map[string]any{"httpHeaderName1": "X-Scope-OrgID"}, keysOf(stackKey))
	ds.URL = "http://aps-workspaces.us-west-2.amazonaws.com/workspaces/" + stack.WorkspaceID + "/"
	ds.SecureJSONData["httpHeaderValue1"] = "tenant-1"

	h := checkHealthWith(t, env.Plugin, ds, pluginhost.GrafanaConfig(nil))
	assert.Equal(t, "ERROR", h.Status, "AMP refuses X-Scope-OrgID")
	assert.Contains(t, h.Message, "remove the X-Scope-OrgID custom header")
	assert.Contains(t, h.step("Settings"), "X-Scope-OrgID header is set")

	westEmu.Reset()
	env.sts.Reset()
	ds = authDataSource(t, nil, keysOf(stackKey))
	ds.URL = "http://aps-workspaces.us-west-2.amazonaws.com/workspaces/" + stack.WorkspaceID + "/"
	h = checkHealthWith(t, env.Plugin, ds, pluginhost.GrafanaConfig(nil))
	require.Equal(t, "OK", h.Status, h.Message)
	assert.Equal(t, "us-west-2", h.Details.Region)
	assert.Equal(t, stack.WorkspaceID, h.Details.WorkspaceID)
	assert.Contains(t, h.Message, "(1 warning, see Details)")
	assert.Contains(t, h.step("Settings"), `sigV4Region "us-east-2" does not match the region of the workspace URL (us-west-2)`)
	assert.Equal(t, "arn:aws:iam::123456789012:user/"+stack.AccessKeyID, h.Details.Identity, "the URL is on AWS, so the identity is looked up")
	assert.Equal(t, "us-west-2", env.sts.Calls()[0].Region)
	records := westEmu.Requests()
	require.Len(t, records, 2)
	assert.Equal(t, stack.AccessKeyID, records[0].AccessKeyID)
}

// A data source that should not send the user's name never does; one that should sends only X-Grafana-User,
// unsigned.
func TestAuthGrafanaUserHeader(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`))
	}))
	t.Cleanup(upstream.Close)
	emu, err := ampemu.Start(ampemu.Config{Upstream: upstream.URL, Region: st.Region, Workspaces: []string{stack.WorkspaceID}, Keys: []ampemu.Key{stackKey}})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, emu.Close()) })
	// As Grafana sends them: the user header when [dataproxy] send_user_header is on, plus the user's credentials.
	headers := map[string]string{"http_X-Grafana-User": "alice", "Authorization": "Bearer grafana-user-token", "Cookie": "grafana_session=abc"}
	for _, forward := range []bool{false, true} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		ds := authDataSource(t, map[string]any{"forwardGrafanaUserHeader": forward}, keysOf(stackKey))
		ds.URL = emu.WorkspaceURL(stack.WorkspaceID)
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), headers, rangeQuery("A", "fixture_up"))
		require.NoError(t, err)
		require.Empty(t, resp["A"].Error)
		mu.Lock()
		require.Len(t, seen, 1)
		h := seen[0]
		mu.Unlock()
		if forward {
			assert.Equal(t, "alice", h.Get("X-Grafana-User"))
		} else {
			assert.Empty(t, h.Get("X-Grafana-User"))
		}
		assert.Empty(t, h.Get("Cookie"))
		assert.NotContains(t, emu.Requests()[len(emu.Requests())-1].SignedHeaders, "x-grafana-user")
	}
}
