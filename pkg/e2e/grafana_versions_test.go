package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/config"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// slowWorkspace is an emulated workspace that holds every request for hold and notes the most requests in flight
// at once and the user agents it saw.
type slowWorkspace struct {
	url  string
	mu   sync.Mutex
	now  int
	max  int
	uas  []string
	hold time.Duration
}

func startSlowWorkspace(t *testing.T, hold time.Duration) *slowWorkspace {
	t.Helper()
	emu, err := ampemu.New(stack.EmulatorConfig(st.Prometheus.URL, st.Region))
	require.NoError(t, err)
	w := &slowWorkspace{hold: hold}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.now++
		w.max = max(w.max, w.now)
		w.uas = append(w.uas, r.UserAgent())
		w.mu.Unlock()
		time.Sleep(w.hold)
		emu.ServeHTTP(rw, r)
		w.mu.Lock()
		w.now--
		w.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	w.url = srv.URL + "/workspaces/" + stack.WorkspaceID + "/"
	return w
}

func (w *slowWorkspace) reset() (maxInFlight int, userAgents []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	maxInFlight, userAgents = w.max, w.uas
	w.max, w.uas = 0, nil
	return maxInFlight, userAgents
}

// queryAs sends n range queries in one request with the shape's GrafanaConfig and user agent.
func queryAs(t *testing.T, ds pluginhost.DataSource, shape pluginhost.GrafanaShape, n int) *pluginv2.QueryDataResponse {
	t.Helper()
	pc := ds.PluginContext(shape.Config)
	pc.UserAgent = shape.UserAgent
	req := &pluginv2.QueryDataRequest{PluginContext: pc}
	for i := range n {
		q := rangeQuery(string(rune('A'+i)), "fixture_up")
		raw, err := json.Marshal(map[string]any{"refId": q.RefID, "expr": "fixture_up", "range": true})
		require.NoError(t, err)
		req.Queries = append(req.Queries, &pluginv2.DataQuery{RefId: q.RefID, MaxDataPoints: q.MaxDataPoints, IntervalMS: q.IntervalMs,
			TimeRange: &pluginv2.TimeRange{FromEpochMS: q.From.UnixMilli(), ToEpochMS: q.To.UnixMilli()}, Json: raw})
	}
	resp, err := st.Plugin.QueryData(testContext(t), req)
	require.NoError(t, err)
	return resp
}

// The plugin works with what each supported Grafana sends: missing GrafanaConfig keys fall back to the documented
// defaults (10 concurrent queries; the [aws] defaults default,keys,credentials with assume role on; the user
// agent "Grafana grafana-amazonprometheus-datasource/<version>").
func TestGrafanaVersionShapes(t *testing.T) {
	const queries = 6
	ws := startSlowWorkspace(t, 300*time.Millisecond)
	for _, shape := range pluginhost.GrafanaShapes() {
		t.Run(shape.Name, func(t *testing.T) {
			ds := authDataSource(t, nil, keysOf(stackKey))
			ds.URL = ws.url
			ws.reset()
			resp := queryAs(t, ds, shape, queries)
			for ref, r := range resp.Responses {
				assert.Empty(t, r.Error, ref)
				assert.NotEmpty(t, r.Frames, ref)
			}
			inFlight, uas := ws.reset()
			require.Len(t, uas, queries)
			assert.Greater(t, inFlight, 2, "without a concurrent query count from Grafana the default of 10 applies, so all %d run at once", queries)
			for _, ua := range uas {
				if shape.UserAgent == "" {
					assert.True(t, strings.HasPrefix(ua, "Grafana grafana-amazonprometheus-datasource/"), ua)
				} else {
					assert.True(t, strings.HasPrefix(ua, shape.UserAgent+" grafana-amazonprometheus-datasource/"), ua)
				}
			}

			pc := ds.PluginContext(shape.Config)
			pc.UserAgent = shape.UserAgent
			res, err := st.Plugin.CheckHealth(testContext(t), pc, nil)
			require.NoError(t, err)
			assert.Equal(t, "OK", res.Status.String(), res.Message)
			var details struct {
				VerboseMessage string `json:"verboseMessage"`
			}
			require.NoError(t, json.Unmarshal(res.JsonDetails, &details))
			if shape.Config[pluginhost.AWSAllowedAuthProviders] == "" {
				assert.Contains(t, details.VerboseMessage, "forward_settings_to_plugins", "Save & test says the [aws] defaults apply")
				assert.Contains(t, res.Message, "see Details")
			}
		})
	}
	t.Run("a concurrent query count from Grafana is honoured", func(t *testing.T) {
		ds := authDataSource(t, nil, keysOf(stackKey))
		ds.URL = ws.url
		ws.reset()
		shape := pluginhost.GrafanaShape{Config: pluginhost.GrafanaConfig(map[string]string{config.ConcurrentQueryCount: "2"}), UserAgent: pluginhost.UserAgent()}
		for _, r := range queryAs(t, ds, shape, queries).Responses {
			assert.Empty(t, r.Error)
		}
		inFlight, _ := ws.reset()
		assert.LessOrEqual(t, inFlight, 2)
	})
	t.Run("without forwarded [aws] settings only the default providers are allowed", func(t *testing.T) {
		ds := authDataSource(t, map[string]any{"sigV4AuthType": "ec2_iam_role"}, nil)
		ds.URL = ws.url
		resp := queryAs(t, ds, pluginhost.GrafanaShapes()[3], 1)
		assert.Contains(t, resp.Responses["A"].Error, "non-allowed auth method ec2_iam_role")
		assert.Contains(t, resp.Responses["A"].Error, "forward_settings_to_plugins")
	})
}
