package release

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// moduleRoot is the repository root: the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "go.mod not found above the test directory")
		dir = parent
	}
}

func builtDist(t *testing.T) string {
	t.Helper()
	dist := filepath.Join(moduleRoot(t), "dist")
	for _, f := range []string{"plugin.json", "module.js", "gpx_amazonprometheus_linux_amd64"} {
		_, err := os.Stat(filepath.Join(dist, f))
		require.NoError(t, err, "dist/%s is missing: run `go run github.com/magefile/mage build` first", f)
	}
	return dist
}

// The plugin validator cannot run here, so this checks what it would: layout, manifest fields, executable bits.
func TestZipLayout(t *testing.T) {
	out, err := Zip(builtDist(t), t.TempDir())
	require.NoError(t, err)
	assert.Regexp(t, `grafana-amazonprometheus-datasource-\d+\.\d+\.\d+[^/]*\.zip$`, out)

	zr, err := zip.OpenReader(out)
	require.NoError(t, err)
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		require.True(t, strings.HasPrefix(f.Name, PluginID+"/"), "%s is outside the plugin folder", f.Name)
		files[strings.TrimPrefix(f.Name, PluginID+"/")] = f
	}
	for _, name := range []string{"plugin.json", "module.js", "README.md", "LICENSE", "CHANGELOG.md", "img/logo.svg",
		"go_plugin_build_manifest", "gpx_amazonprometheus_linux_amd64"} {
		assert.Contains(t, files, name)
	}
	exe := files["gpx_amazonprometheus_linux_amd64"]
	require.NotNil(t, exe)
	assert.NotZero(t, exe.Mode()&0o111, "the backend must stay executable")

	module := readZipFile(t, files["module.js"])
	assert.True(t, strings.HasPrefix(strings.TrimSpace(string(module)), "define("), "module.js must be an AMD module")

	var manifest map[string]any
	require.NoError(t, json.Unmarshal(readZipFile(t, files["plugin.json"]), &manifest))
	checkManifest(t, manifest, files)
}

func checkManifest(t *testing.T, m map[string]any, files map[string]*zip.File) {
	t.Helper()
	assert.Equal(t, PluginID, m["id"])
	assert.Equal(t, "datasource", m["type"])
	assert.Equal(t, "Amazon Managed Service for Prometheus", m["name"])
	assert.Equal(t, "tsdb", m["category"])
	assert.Equal(t, "gpx_amazonprometheus", m["executable"])
	for _, flag := range []string{"backend", "alerting", "metrics", "annotations"} {
		assert.Equal(t, true, m[flag], flag)
	}
	assert.Equal(t, map[string]any{"minInterval": true}, m["queryOptions"])
	info := m["info"].(map[string]any)
	assert.Regexp(t, `^\d+\.\d+\.\d+`, info["version"])
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, info["updated"])
	for _, logo := range info["logos"].(map[string]any) {
		assert.Contains(t, files, logo, "logo %s must be packaged", logo)
	}
	deps := m["dependencies"].(map[string]any)
	assert.NotEmpty(t, deps["grafanaDependency"])

	routes := map[string]string{}
	for _, r := range m["routes"].([]any) {
		route := r.(map[string]any)
		routes[route["method"].(string)+" "+route["path"].(string)] = route["reqAction"].(string)
	}
	assert.Equal(t, "alert.rules.external:read", routes["GET /rules"])
	assert.Equal(t, "alert.rules.external:write", routes["POST /rules"])
	assert.Equal(t, "alert.rules.external:write", routes["DELETE /config/v1/rules"])
	assert.Equal(t, "datasources:query", routes["POST api/v1/query_range"])
}

func readZipFile(t *testing.T, f *zip.File) []byte {
	t.Helper()
	require.NotNil(t, f)
	rc, err := f.Open()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func TestZipRefusesAnUnbuiltDist(t *testing.T) {
	dir := t.TempDir()
	_, err := Zip(dir, t.TempDir())
	require.ErrorContains(t, err, "build the plugin first")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "plugin.json"), []byte(`{"id":"`+PluginID+`","info":{"version":"%VERSION%"}}`), 0o644))
	_, err = Zip(dir, t.TempDir())
	require.ErrorContains(t, err, "no version")
}
