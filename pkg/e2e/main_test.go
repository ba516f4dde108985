package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/syncbuf"
)

// The whole package shares one stack: starting Prometheus and the plugin costs about a second.
var (
	st        *stack.Stack
	pluginLog       = &syncbuf.Buffer{}
	nextID    int64 = 100
	idMu      sync.Mutex
)

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	var err error
	st, err = stack.Start(ctx, stack.Options{PluginStderr: pluginLog})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the local stack:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := st.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the local stack:", err)
	}
	os.Exit(code)
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// dataSource loads a provisioning file and gives the data source its own id, so the plugin builds a fresh
// instance for it; edit changes jsonData keys (a nil value deletes the key).
func dataSource(t *testing.T, path string, edit map[string]any) pluginhost.DataSource {
	t.Helper()
	return dataSourceOf(t, st, path, edit)
}

// dataSourceOf is dataSource for the stack s, for tests that run a stack of their own.
func dataSourceOf(t *testing.T, s *stack.Stack, path string, edit map[string]any) pluginhost.DataSource {
	t.Helper()
	ds, err := s.LoadDataSource(path)
	require.NoError(t, err)
	var jd map[string]any
	require.NoError(t, json.Unmarshal(ds.JSONData, &jd))
	for k, v := range edit {
		if v == nil {
			delete(jd, k)
		} else {
			jd[k] = v
		}
	}
	ds.JSONData, err = json.Marshal(jd)
	require.NoError(t, err)
	idMu.Lock()
	nextID++
	ds.ID, ds.UID = nextID, fmt.Sprintf("e2e-%d", nextID)
	idMu.Unlock()
	ds.LastUpdated = time.Now()
	return ds
}
