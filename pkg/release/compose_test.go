package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// docker-compose.yaml cannot run here (no Docker engine); this checks that it points at files that exist and at
// the plugin id.
func TestDockerComposeReferences(t *testing.T) {
	root := moduleRoot(t)
	builtDist(t)
	raw, err := os.ReadFile(filepath.Join(root, "docker-compose.yaml"))
	require.NoError(t, err)
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
			WorkingDir  string            `yaml:"working_dir"`
		} `yaml:"services"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &compose))
	require.Contains(t, compose.Services, "grafana")

	pluginMounted := false
	for name, svc := range compose.Services {
		assert.NotEmpty(t, svc.Image, name)
		for _, v := range svc.Volumes {
			src, dst, _ := strings.Cut(v, ":")
			require.True(t, strings.HasPrefix(src, "./"), "%s: volume %q should be relative to the repository", name, v)
			_, err := os.Stat(filepath.Join(root, src))
			assert.NoError(t, err, "%s mounts %s, which does not exist", name, src)
			if strings.HasSuffix(strings.TrimSuffix(dst, ":ro"), "/plugins/"+PluginID) {
				pluginMounted = true
				assert.Equal(t, "./dist", src)
			}
		}
		for _, arg := range svc.Command {
			if strings.HasPrefix(arg, "./") {
				_, err := os.Stat(filepath.Join(root, arg))
				assert.NoError(t, err, "%s runs %s, which does not exist", name, arg)
			}
		}
	}
	assert.True(t, pluginMounted, "the built plugin must be mounted into Grafana's plugin folder")
	grafana := compose.Services["grafana"]
	assert.Contains(t, grafana.Environment["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"], PluginID)
	assert.Contains(t, grafana.Environment["GF_AWS_FORWARD_SETTINGS_TO_PLUGINS"], PluginID)
	for _, v := range []string{"AMP_WORKSPACE_URL", "AMP_REGION", "AMP_ACCESS_KEY_ID", "AMP_SECRET_ACCESS_KEY"} {
		assert.NotEmpty(t, grafana.Environment[v], "the provisioning file expands %s", v)
	}
}
