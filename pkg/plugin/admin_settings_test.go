package plugin

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

func TestQueryJSONCannotOverrideTheSettings(t *testing.T) {
	fp := &fakePrometheus{answers: cannedOK()}
	srv := httptest.NewServer(fp)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL + "/")
	require.NoError(t, err)
	s := &models.Settings{URL: u, HTTPMethod: http.MethodPost, QueryTimeout: "60s",
		QueryParameters: url.Values{"dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}}
	d := &Datasource{settings: s, client: promclient.New(srv.Client(), s)}
	runQueries(t, d, nil, testDataQuery("A", map[string]any{"expr": "up", "range": true,
		"max_samples_processed_error_threshold": 999999999999, "customQueryParameters": "dedup=true", "dedup": "true",
		"stats": "all", "timeout": "10m", "queryTimeout": "10m"}))
	params, ok := fp.request("query_range")
	require.True(t, ok)
	assert.Equal(t, []string{"1000"}, params["max_samples_processed_error_threshold"])
	assert.Equal(t, []string{"false"}, params["dedup"])
	assert.Equal(t, []string{"60s"}, params["timeout"])
	assert.Empty(t, params["stats"])
}
