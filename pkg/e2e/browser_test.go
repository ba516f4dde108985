package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/harness"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// defaultChromium is where Debian's chromium package installs the browser.
const defaultChromium = "/usr/bin/chromium"

// screenshots the browser script must leave behind.
var screenshots = []string{
	"01-completion.png",
	"02-query-results.png",
	"03-variable.png",
	"04-config-unsaved.png",
	"05-workspace-picker.png",
	"06-config-saved-and-tested.png",
	"07-full-page.png",
}

// browserTools returns the Chromium and Node executables, failing with what to install when one is missing.
func browserTools(t *testing.T) (chromium, node string) {
	t.Helper()
	chromium = os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = defaultChromium
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium is missing (%s): install it with `apt-get install -y --no-install-recommends chromium` "+
			"or set CHROMIUM_PATH", chromium)
	}
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js is missing; the browser test drives Chromium from Node")
	if _, err := os.Stat(filepath.Join(st.Root, "node_modules", "playwright-core", "package.json")); err != nil {
		t.Fatalf("node_modules/playwright-core is missing: run `npm install --no-audit --no-fund` first")
	}
	return chromium, node
}

// TestBrowser mounts the real editors in Chromium against the built plugin: PromQL completion from the test
// Prometheus, a query, a template variable and the config editor with the workspace picker.
func TestBrowser(t *testing.T) {
	chromium, node := browserTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := harness.Start(ctx, harness.Options{Stack: st, AssumeRoleEnabled: true, PluginStderr: pluginLog})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })

	artifacts := filepath.Join(st.Root, "test-results", "browser")
	require.NoError(t, os.RemoveAll(artifacts))
	require.NoError(t, os.MkdirAll(artifacts, 0o755))
	workspaceURL := strings.TrimSuffix(st.WorkspaceURL(), "/") + "/"

	cmd := exec.CommandContext(ctx, node, filepath.Join(st.Root, "src", "browser", "run.mjs"))
	cmd.Dir = st.Root
	cmd.Env = append(os.Environ(),
		"HARNESS_URL="+srv.URL,
		"ARTIFACTS_DIR="+artifacts,
		"USER_DATA_DIR="+t.TempDir(),
		"CHROMIUM_PATH="+chromium,
		"EXPECTED_WORKSPACE_URL="+workspaceURL,
	)
	// On timeout ask Node to stop first: playwright closes the browser it launched on SIGTERM.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Log(out.String())
	require.NoError(t, err, "the browser script failed; see its output above and %s", artifacts)

	t.Run("screenshots", func(t *testing.T) {
		for _, name := range screenshots {
			png, err := os.ReadFile(filepath.Join(artifacts, name))
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "%s is a PNG", name)
		}
	})

	t.Run("completion asked the plugin for metric names in the dashboard range", func(t *testing.T) {
		var found bool
		for _, c := range srv.ResourceCalls() {
			if c.UID != harness.QueryDataSourceUID || c.Path != "api/v1/label/__name__/values" {
				continue
			}
			found = true
			q, err := url.ParseQuery(c.RawQuery)
			require.NoError(t, err)
			assert.Equal(t, "GET", c.Method)
			assert.Equal(t, []string{"1767225600"}, q["start"], "FixtureStart %d", promserver.FixtureStart.Unix())
			assert.Equal(t, []string{"1767247200"}, q["end"])
		}
		assert.True(t, found, "no metric-name request in %+v", srv.ResourceCalls())
	})

	t.Run("the picker listed and described workspaces with the saved keys", func(t *testing.T) {
		var list, describe bool
		for _, r := range srv.ControlPlane.Requests() {
			assert.Equal(t, stack.AccessKeyID, r.AccessKeyID)
			list = list || r.Path == "/workspaces"
			describe = describe || r.Path == "/workspaces/"+stack.WorkspaceID
		}
		assert.True(t, list, "ListWorkspaces")
		assert.True(t, describe, "DescribeWorkspace")
	})

	t.Run("the config editor saved what the backend reads", func(t *testing.T) {
		settings, secrets, ok := srv.DataSource(harness.ConfigDataSourceUID)
		require.True(t, ok)
		assert.Equal(t, workspaceURL, settings.URL)
		var jsonData map[string]any
		require.NoError(t, json.Unmarshal(settings.JSONData, &jsonData))
		assert.Equal(t, map[string]any{
			"sigV4Auth": true, "sigV4AuthType": "keys", "sigV4Region": st.Region, "httpMethod": "POST", "timeInterval": "15s",
		}, jsonData)
		assert.Equal(t, map[string]string{"sigV4AccessKey": stack.AccessKeyID, "sigV4SecretKey": stack.SecretAccessKey}, secrets)
		assert.Equal(t, int64(3), settings.Version, "saved once before and once after picking the workspace")
	})
}
