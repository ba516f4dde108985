package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/resources"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// discoveryPlugin starts an emulated control plane that knows the stack's workspace and a plugin process that
// reaches it through AWS_ENDPOINT_URL_AMP, the SDK's standard endpoint override.
func discoveryPlugin(t *testing.T, keys ...ampemu.Key) (*ampemu.ControlPlane, *pluginhost.Plugin) {
	t.Helper()
	cp, err := ampemu.StartControlPlane(ampemu.ControlPlaneConfig{
		Region: st.Region,
		Keys:   append([]ampemu.Key{{AccessKeyID: stack.AccessKeyID, SecretAccessKey: stack.SecretAccessKey}}, keys...),
		Workspaces: []ampemu.WorkspaceInfo{
			{ID: "ws-zz-failed", Alias: "zeta", Status: ampemu.StatusCreationFailed},
			{ID: stack.WorkspaceID, Alias: "emulated"},
			{ID: "ws-aa-new", Alias: "alpha", Status: ampemu.StatusCreating},
		},
		DataPlaneURL: st.AMP.URL(),
		PageSize:     2,
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, cp.Close()) })
	exe, err := stack.PluginExecutable(st.Root)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := pluginhost.Launch(ctx, exe, pluginhost.LaunchOptions{Env: append(stack.PluginEnv(), "AWS_ENDPOINT_URL_AMP="+cp.URL()),
		Stderr: pluginLog})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return cp, p
}

func TestWorkspaceDiscovery(t *testing.T) {
	cp, p := discoveryPlugin(t)
	ds := dataSource(t, provisioning, nil)

	t.Run("regions", func(t *testing.T) {
		a := callResource(t, p, ds, resourceCall{path: "regions"})
		require.Equal(t, http.StatusOK, a.status)
		var regions []string
		require.NoError(t, json.Unmarshal(a.body, &regions))
		assert.Contains(t, regions, st.Region)
		assert.Contains(t, regions, "eu-west-1")
		assert.Empty(t, cp.Requests(), "the region list is static")
	})

	t.Run("workspaces, paginated, sorted and cached", func(t *testing.T) {
		cp.Reset()
		a := callResource(t, p, ds, resourceCall{path: "workspaces", rawQuery: "region=" + st.Region})
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		var list []resources.WorkspaceSummary
		require.NoError(t, json.Unmarshal(a.body, &list))
		require.Len(t, list, 3)
		assert.Equal(t, []string{"alpha", "emulated", "zeta"}, []string{list[0].Alias, list[1].Alias, list[2].Alias})
		assert.Equal(t, resources.WorkspaceSummary{ID: stack.WorkspaceID, Alias: "emulated", Status: "ACTIVE",
			ARN: "arn:aws:aps:" + st.Region + ":123456789012:workspace/" + stack.WorkspaceID, CreatedAt: "2026-01-01T00:00:00Z",
			Selectable: true}, list[1])
		assert.False(t, list[0].Selectable, "CREATING")
		assert.False(t, list[2].Selectable, "CREATION_FAILED")

		records := cp.Requests()
		require.Len(t, records, 2, "three workspaces in pages of two")
		assert.Equal(t, "maxResults=100&nextToken=emu-offset-2", records[1].RawQuery)
		for _, r := range records {
			assert.Equal(t, stack.AccessKeyID, r.AccessKeyID, "signed with the data source's keys and verified")
		}

		a = callResource(t, p, ds, resourceCall{path: "workspaces", rawQuery: "region=" + st.Region})
		require.Equal(t, http.StatusOK, a.status)
		assert.Len(t, cp.Requests(), 2, "the second listing is served from the instance's cache")
	})

	t.Run("workspace", func(t *testing.T) {
		cp.Reset()
		a := callResource(t, p, ds, resourceCall{path: "workspace", rawQuery: "region=" + st.Region + "&id=" + stack.WorkspaceID})
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		var ws resources.WorkspaceDetails
		require.NoError(t, json.Unmarshal(a.body, &ws))
		assert.Equal(t, resources.WorkspaceDetails{ID: stack.WorkspaceID, Alias: "emulated", Status: "ACTIVE",
			PrometheusEndpoint: st.WorkspaceURL()}, ws)
		require.Len(t, cp.Requests(), 1)
		assert.Equal(t, "/workspaces/"+stack.WorkspaceID, cp.Requests()[0].Path)

		// The endpoint the picker fills in is a working data source URL.
		picked := dataSource(t, provisioning, nil)
		picked.URL = ws.PrometheusEndpoint
		res, err := st.CheckHealth(testContext(t), picked, pluginhost.GrafanaConfig(nil))
		require.NoError(t, err)
		assert.Equal(t, "OK", res.Status.String(), res.Message)

		a = callResource(t, p, ds, resourceCall{path: "workspace", rawQuery: "region=" + st.Region + "&id=ws-unknown"})
		assert.Equal(t, http.StatusNotFound, a.status)
		assert.Equal(t, "workspace ws-unknown was not found in region "+st.Region, a.envelope(t).Message)
	})

	t.Run("throttled", func(t *testing.T) {
		cp.Inject(ampemu.Throttling())
		t.Cleanup(cp.ClearFaults)
		a := callResource(t, p, dataSource(t, provisioning, nil), resourceCall{path: "workspaces"})
		assert.Equal(t, http.StatusTooManyRequests, a.status)
		assert.Contains(t, a.envelope(t).Message, "AWS throttled the workspace lookup")
	})
}

func TestWorkspaceDiscoveryAccessDenied(t *testing.T) {
	describeOnly := ampemu.Key{AccessKeyID: "AKIADESCRIBEONLY0001", SecretAccessKey: "describe-only-secret",
		Actions: []string{ampemu.ActionDescribeWorkspace}}
	cp, p := discoveryPlugin(t, describeOnly)
	ds := dataSource(t, provisioning, nil)
	ds.SecureJSONData["sigV4AccessKey"], ds.SecureJSONData["sigV4SecretKey"] = describeOnly.AccessKeyID, describeOnly.SecretAccessKey

	a := callResource(t, p, ds, resourceCall{path: "workspaces"})
	assert.Equal(t, http.StatusForbidden, a.status)
	e := a.envelope(t)
	assert.Equal(t, "missing aps:ListWorkspaces permission — enter the workspace URL manually", e.Message)
	assert.Equal(t, "AccessDeniedException", e.ErrorType)
	require.Len(t, cp.Requests(), 1)
	assert.Equal(t, ampemu.TypeAccessDenied, cp.Requests()[0].ErrorType)

	a = callResource(t, p, ds, resourceCall{path: "workspace", rawQuery: "id=" + stack.WorkspaceID})
	assert.Equal(t, http.StatusOK, a.status, "the describe permission alone still resolves a typed-in id")
}

// A new data source has no URL yet; the picker must still list workspaces with the saved credentials, while every
// other call keeps answering with the settings error.
func TestWorkspaceDiscoveryBeforeTheURLIsSet(t *testing.T) {
	cp, p := discoveryPlugin(t)
	ds := dataSource(t, provisioning, nil)
	ds.URL = ""

	a := callResource(t, p, ds, resourceCall{path: "workspaces", rawQuery: "region=" + st.Region})
	require.Equal(t, http.StatusOK, a.status, string(a.body))
	var list []resources.WorkspaceSummary
	require.NoError(t, json.Unmarshal(a.body, &list))
	assert.Len(t, list, 3)
	require.NotEmpty(t, cp.Requests())
	assert.Equal(t, stack.AccessKeyID, cp.Requests()[0].AccessKeyID)

	a = callResource(t, p, ds, resourceCall{path: "workspace", rawQuery: "region=" + st.Region + "&id=" + stack.WorkspaceID})
	require.Equal(t, http.StatusOK, a.status, string(a.body))
	var ws resources.WorkspaceDetails
	require.NoError(t, json.Unmarshal(a.body, &ws))
	assert.NotEmpty(t, ws.PrometheusEndpoint)

	a = callResource(t, p, ds, resourceCall{path: "api/v1/labels"})
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.envelope(t).Message, "url is empty")
}
