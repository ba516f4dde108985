package pluginhost

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

const echoProvisioning = `apiVersion: 1
datasources:
  - name: Echo ${ECHO_SUFFIX}
    type: grafana-echo-datasource
    uid: echo-uid
    url: http://$HOST_ADDR/workspaces/ws-1/
    basicAuth: true
    basicAuthUser: $BA_USER
    jsonData:
      httpMethod: POST
      sigV4Auth: true
      sigV4AuthAsString: "true"
      timeout: 5
      ratio: 0.5
      nothing: null
      sigV4Region: ${REGION}
      nested:
        list: [1, "two", $REGION, false]
        price: $$5
    secureJsonData:
      sigV4AccessKey: ${ACCESS_KEY}
      sigV4SecretKey: $__env{SECRET_KEY}
      numeric: 12345
`

// healthDetails is the JSON the echo plugin returns from CheckHealth.
type healthDetails struct {
	InstanceSerial int64 `json:"instanceSerial"`
	Settings       struct {
		ID               int64             `json:"id"`
		UID              string            `json:"uid"`
		Name             string            `json:"name"`
		URL              string            `json:"url"`
		BasicAuthEnabled bool              `json:"basicAuthEnabled"`
		BasicAuthUser    string            `json:"basicAuthUser"`
		JSONData         string            `json:"jsonData"`
		SecureJSONData   map[string]string `json:"secureJsonData"`
		LastUpdatedMS    int64             `json:"lastUpdatedMS"`
	} `json:"settings"`
	OrgID         int64             `json:"orgId"`
	PluginID      string            `json:"pluginId"`
	PluginVersion string            `json:"pluginVersion"`
	Namespace     string            `json:"namespace"`
	User          map[string]string `json:"user"`
	UserAgent     string            `json:"userAgent"`
	GrafanaConfig map[string]string `json:"grafanaConfig"`
	Headers       map[string]string `json:"headers"`
	Env           map[string]string `json:"env"`
}

func checkHealth(t *testing.T, p *Plugin, pc *pluginv2.PluginContext, headers map[string]string) healthDetails {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := p.CheckHealth(ctx, pc, headers)
	require.NoError(t, err)
	require.Equal(t, pluginv2.CheckHealthResponse_OK, resp.Status, resp.Message)
	var d healthDetails
	require.NoError(t, json.Unmarshal(resp.JsonDetails, &d))
	return d
}

func loadEchoDataSource(t *testing.T) DataSource {
	t.Helper()
	file := filepath.Join(t.TempDir(), "echo.yaml")
	require.NoError(t, os.WriteFile(file, []byte(echoProvisioning), 0o644))
	env := map[string]string{
		"ECHO_SUFFIX": "one", "HOST_ADDR": "127.0.0.1:9", "BA_USER": "bob", "REGION": "us-west-2",
		"ACCESS_KEY": "AKIAEXAMPLE", "SECRET_KEY": "s3cr3t",
	}
	all, err := LoadProvisioning(file, mapLookup(env))
	require.NoError(t, err)
	require.Len(t, all, 1)
	ds := all[0]
	ds.PluginVersion = "1.2.3"
	return ds
}

func TestPluginRoundTrips(t *testing.T) {
	exe := echoPlugin(t)
	ds := loadEchoDataSource(t)
	stderr := &syncbuf.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := Launch(ctx, exe, LaunchOptions{
		Env:    append(os.Environ(), "ECHO_MARKER=from-test", "GF_EDITION=Enterprise"),
		Stderr: stderr,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	grafanaCfg := GrafanaConfig(map[string]string{AWSAssumeRoleEnabled: "false", "GF_APP_URL": ""})

	t.Run("health check delivers settings, secrets, config and env", func(t *testing.T) {
		d := checkHealth(t, p, ds.PluginContext(grafanaCfg), map[string]string{"X-Grafana-Org-Id": "1"})
		assert.Equal(t, int64(1), d.Settings.ID)
		assert.Equal(t, "echo-uid", d.Settings.UID)
		assert.Equal(t, "Echo one", d.Settings.Name)
		assert.Equal(t, "http://127.0.0.1:9/workspaces/ws-1/", d.Settings.URL)
		assert.True(t, d.Settings.BasicAuthEnabled)
		assert.Equal(t, "bob", d.Settings.BasicAuthUser)
		assert.JSONEq(t, `{"httpMethod":"POST","sigV4Auth":true,"sigV4AuthAsString":"true","timeout":5,"ratio":0.5,
			"nothing":null,"sigV4Region":"us-west-2","nested":{"list":[1,"two","us-west-2",false],"price":"$5"}}`,
			d.Settings.JSONData)
		assert.Equal(t, map[string]string{"sigV4AccessKey": "AKIAEXAMPLE", "sigV4SecretKey": "s3cr3t", "numeric": "12345"},
			d.Settings.SecureJSONData)
		assert.Equal(t, ds.LastUpdated.UnixMilli(), d.Settings.LastUpdatedMS)

		assert.Equal(t, grafanaCfg, d.GrafanaConfig)
		assert.Equal(t, "false", d.GrafanaConfig[AWSAssumeRoleEnabled])
		assert.NotContains(t, d.GrafanaConfig, "GF_APP_URL")
		assert.Equal(t, int64(1), d.OrgID)
		assert.Equal(t, "grafana-echo-datasource", d.PluginID)
		assert.Equal(t, "1.2.3", d.PluginVersion)
		assert.Equal(t, "default", d.Namespace)
		assert.Equal(t, map[string]string{"login": "admin", "role": "Admin"}, d.User)
		assert.Equal(t, UserAgent(), d.UserAgent)
		assert.Equal(t, map[string]string{"X-Grafana-Org-Id": "1"}, d.Headers)

		assert.Equal(t, GrafanaVersion, d.Env["GF_VERSION"])
		assert.Equal(t, "Enterprise", d.Env["GF_EDITION"], "LaunchOptions.Env must override Grafana's variables")
		assert.Equal(t, "default,keys,credentials", d.Env[AWSAllowedAuthProviders])
		assert.Equal(t, "from-test", d.Env["ECHO_MARKER"])
		// go-plugin copies stderr on its own goroutine, so the line may land
		// just after the response.
		assert.Eventually(t, func() bool { return strings.Contains(stderr.String(), "echo health check") },
			5*time.Second, 10*time.Millisecond, "plugin logs reach LaunchOptions.Stderr")
	})

	t.Run("instance is rebuilt only when settings or config change", func(t *testing.T) {
		first := checkHealth(t, p, ds.PluginContext(grafanaCfg), nil).InstanceSerial
		assert.Equal(t, first, checkHealth(t, p, ds.PluginContext(grafanaCfg), nil).InstanceSerial)

		changedCfg := checkHealth(t, p, ds.PluginContext(GrafanaConfig(nil)), nil).InstanceSerial
		assert.Greater(t, changedCfg, first)

		edited := ds
		edited.LastUpdated = ds.LastUpdated.Add(time.Second)
		assert.Greater(t, checkHealth(t, p, edited.PluginContext(GrafanaConfig(nil)), nil).InstanceSerial, changedCfg)
	})

	t.Run("query data returns Arrow frames", func(t *testing.T) {
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		resp, err := p.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: ds.PluginContext(grafanaCfg),
			Headers:       map[string]string{"X-Query-Group-Id": "g1"},
			Queries: []*pluginv2.DataQuery{
				{RefId: "A", QueryType: "range", Json: []byte(`{"expr":"up","refId":"A"}`), MaxDataPoints: 100,
					IntervalMS: 15000, TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: from.Add(time.Hour).UnixMilli()}},
				{RefId: "B", Json: []byte(`{"expr":"sum(up)"}`), TimeRange: &pluginv2.TimeRange{}},
			},
		})
		require.NoError(t, err)
		require.Len(t, resp.Responses, 2)

		a := frameKV(t, resp.Responses["A"].Frames)
		assert.Equal(t, "A", a["refId"])
		assert.Equal(t, "range", a["queryType"])
		assert.JSONEq(t, `{"expr":"up","refId":"A"}`, a["json"])
		assert.Equal(t, "2026-01-01T00:00:00Z", a["from"])
		assert.Equal(t, "2026-01-01T01:00:00Z", a["to"])
		assert.Equal(t, "100", a["maxDataPoints"])
		assert.Equal(t, "15s", a["interval"])
		assert.Equal(t, "g1", a["header:X-Query-Group-Id"])
		assert.JSONEq(t, `{"expr":"sum(up)"}`, frameKV(t, resp.Responses["B"].Frames)["json"])
	})

	t.Run("call resource collects the whole stream", func(t *testing.T) {
		msgs, err := p.CallResource(ctx, &pluginv2.CallResourceRequest{
			PluginContext: ds.PluginContext(grafanaCfg),
			Path:          "api/v1/labels",
			Method:        "POST",
			Url:           "/api/datasources/uid/echo-uid/resources/api/v1/labels?match[]=up",
			Headers:       map[string]*pluginv2.StringList{"X-Foo": {Values: []string{"a", "b"}}},
			Body:          []byte("match[]=up"),
		})
		require.NoError(t, err)
		require.Len(t, msgs, 2)
		assert.Equal(t, int32(200), msgs[0].Code)
		assert.Equal(t, []string{"application/json"}, msgs[0].Headers["Content-Type"].GetValues())
		assert.JSONEq(t, `{"path":"api/v1/labels","method":"POST","body":"match[]=up",
			"url":"/api/datasources/uid/echo-uid/resources/api/v1/labels?match[]=up","headers":{"X-Foo":["a","b"]}}`,
			string(msgs[0].Body))
		assert.Equal(t, "\n-- end of echo --\n", string(msgs[1].Body))
	})

	t.Run("close leaves no process behind", func(t *testing.T) {
		pid := p.Pid()
		require.NoError(t, syscall.Kill(pid, 0), "plugin should be running")
		require.False(t, p.Exited())
		require.NoError(t, p.Close())
		assert.True(t, p.Exited())
		assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "plugin pid %d still exists", pid)
	})
}

// frameKV decodes the echo plugin's key/value frame.
func frameKV(t *testing.T, encoded [][]byte) map[string]string {
	t.Helper()
	frames, err := data.UnmarshalArrowFrames(encoded)
	require.NoError(t, err)
	require.Len(t, frames, 1)
	f := frames[0]
	require.Len(t, f.Fields, 2)
	out := map[string]string{}
	for i := 0; i < f.Rows(); i++ {
		out[f.Fields[0].At(i).(string)] = f.Fields[1].At(i).(string)
	}
	return out
}

func TestLaunchFailures(t *testing.T) {
	notPlugin := filepath.Join(t.TempDir(), "not-a-plugin")
	require.NoError(t, os.WriteFile(notPlugin, []byte("#!/bin/sh\necho 'not a plugin'\nexit 3\n"), 0o755))
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name string
		ctx  context.Context
		exe  string
		want string
	}{
		{name: "executable without handshake", ctx: context.Background(), exe: notPlugin, want: notPlugin},
		{name: "missing executable", ctx: context.Background(), exe: filepath.Join(t.TempDir(), "missing"), want: "missing"},
		{name: "canceled context", ctx: canceled, exe: notPlugin, want: context.Canceled.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			p, err := Launch(tt.ctx, tt.exe, LaunchOptions{StartTimeout: 5 * time.Second})
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Contains(t, err.Error(), tt.want)
			assert.Less(t, time.Since(start), 5*time.Second, "failure must not wait for the start timeout")
		})
	}
}

func mapLookup(env map[string]string) LookupFunc {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}
