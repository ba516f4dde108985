package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/harness"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// saveAndTestShot is one line of src/browser/config.mjs's output: what Grafana would show for one Save & test.
type saveAndTestShot struct {
	Case, Status, Title, Text, Details string
}

// harnessBundles are the builds of the playground page, one per set of @grafana packages (see
// .config/webpack.harness.config.js): the current 13.x and the oldest supported 11.6.
var harnessBundles = map[string]string{
	"grafana13": filepath.Join("build", "harness"),
	"grafana11": filepath.Join("build", "harness-grafana11"),
}

// TestBrowserConfigPage opens the playground's config page in Chromium with each bundle, screenshots the whole page
// in the light and dark theme, and runs Save & test for success, a wrong secret, a wrong region, a missing
// permission and an unknown workspace. The alert title must be one line with the cause and the fix, the step report
// under Details must carry AWS's answer once and never the canonical request.
func TestBrowserConfigPage(t *testing.T) {
	browserTools(t)
	require.NoError(t, st.AMP.AddKey(queryOnlyKey))
	unknown := st.AMP.WorkspaceURL("ws-00000000-0000-0000-0000-000000000000")
	for name, dir := range harnessBundles {
		t.Run(name, func(t *testing.T) {
			assets := filepath.Join(st.Root, dir)
			if _, err := os.Stat(filepath.Join(assets, "harness.js")); err != nil {
				t.Fatalf("%s is not built: run `npm run build:harness` and `npm run build:harness:grafana11` first", dir)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			srv, err := harness.Start(ctx, harness.Options{Stack: st, AssetsDir: assets, PluginStderr: pluginLog})
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, srv.Close()) })

			artifacts := filepath.Join(st.Root, "test-results", "browser", "config-"+name)
			require.NoError(t, os.RemoveAll(artifacts))
			out := runBrowserScript(ctx, t, "config.mjs", srv.URL, artifacts, "REGION="+st.Region,
				"ACCESS_KEY="+stack.AccessKeyID, "SECRET_KEY="+stack.SecretAccessKey,
				"LIMITED_ACCESS_KEY="+queryOnlyKey.AccessKeyID, "LIMITED_SECRET_KEY="+queryOnlyKey.SecretAccessKey,
				"WORKSPACE_URL="+st.WorkspaceURL(), "UNKNOWN_WORKSPACE_URL="+unknown)

			shots := map[string]saveAndTestShot{}
			for _, s := range jsonLines[saveAndTestShot](t, out) {
				shots[s.Case] = s
			}
			want := map[string]string{
				"success":            `^Connected to workspace ` + stack.WorkspaceID + ` in ` + st.Region + `: \d+ metrics$`,
				"wrong-secret":       `^Signature rejected by AMP: check the secret access key`,
				"wrong-region":       `^Signature rejected by AMP: the request was signed for region "eu-west-1"`,
				"missing-permission": `^Permission denied by AMP: the AWS identity lacks aps:GetLabels: grant aps:GetLabels on arn:aws:aps:`,
				"unknown-workspace":  `^Workspace not found: workspace "ws-00000000-0000-0000-0000-000000000000" was not found in region ` + st.Region,
			}
			awsType := map[string]string{"wrong-secret": "InvalidSignatureException", "wrong-region": "InvalidSignatureException",
				"missing-permission": "AccessDeniedException", "unknown-workspace": "ResourceNotFoundException"}
			for c, pattern := range want {
				s, ok := shots[c]
				require.True(t, ok, "no Save & test result for %s", c)
				assert.Regexp(t, pattern, s.Title, c)
				assert.NotContains(t, s.Title, "\n", "%s: the title is one line", c)
				if typ := awsType[c]; typ != "" {
					assert.Contains(t, s.Details, "[OK] Settings", "%s: the step report is under Details", c)
					assert.Equal(t, 1, strings.Count(s.Text, typ), "%s: AWS's answer appears once", c)
					assert.NotContains(t, s.Text, "Canonical String", c)
				}
				assert.NotContains(t, s.Text, stack.SecretAccessKey, c)
				assert.FileExists(t, filepath.Join(artifacts, "save-and-test-"+c+".png"))
			}
			assertPNGs(t, artifacts, "config-page-light.png", "config-page-dark.png")
		})
	}
}
