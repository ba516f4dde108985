package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/harness"
)

// builderScreenshots are the screenshots src/browser/builder.mjs must leave in test-results/browser.
var builderScreenshots = []string{
	"builder-01-built.png",
	"builder-02-results.png",
	"builder-03-code.png",
	"builder-04-explain.png",
	"builder-05-kick-start.png",
	"builder-06-error-ratio.png",
	"builder-07-metrics-browser.png",
	"builder-08-browser-query.png",
}

// TestBrowserBuilder drives the query builder on the playground page in Chromium against the built plugin: a
// query built visually and run, Code and back, Explain, Kick start, and a metric found in the metrics browser.
func TestBrowserBuilder(t *testing.T) {
	browserTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := harness.Start(ctx, harness.Options{Stack: st, PluginStderr: pluginLog})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })

	// The directory is shared with TestBrowser: only this test's own screenshots are replaced.
	artifacts := filepath.Join(st.Root, "test-results", "browser")
	require.NoError(t, os.MkdirAll(artifacts, 0o755))
	for _, name := range append(builderScreenshots, "builder-failure.png") {
		require.NoError(t, os.RemoveAll(filepath.Join(artifacts, name)))
	}

	runBrowserScript(ctx, t, "builder.mjs", srv.URL, artifacts)

	t.Run("screenshots", func(t *testing.T) { assertPNGs(t, artifacts, builderScreenshots...) })

	t.Run("the built query was sent with editorMode builder", func(t *testing.T) {
		want := `sum by (status) (rate(fixture_http_requests_total{job="api"}[$__rate_interval]))`
		var found bool
		for _, c := range srv.QueryCalls() {
			var q map[string]any
			require.NoError(t, json.Unmarshal(c.Query, &q))
			if q["expr"] == want {
				found = true
				assert.Equal(t, "builder", q["editorMode"], "Grafana's Prometheus editor saves the mode with the query")
			}
		}
		assert.True(t, found, "no query with %s among %d sent", want, len(srv.QueryCalls()))
	})

	t.Run("the metrics browser searched on the server with match[] and a limit", func(t *testing.T) {
		var found bool
		for _, c := range srv.ResourceCalls() {
			q, err := url.ParseQuery(c.RawQuery)
			require.NoError(t, err)
			if c.Path == "api/v1/label/__name__/values" && q.Get("match[]") == `{__name__=~"(?i).*temperature.*"}` {
				found = true
				assert.Equal(t, "201", q.Get("limit"))
			}
		}
		assert.True(t, found, "no metric search in %+v", srv.ResourceCalls())
	})
}
