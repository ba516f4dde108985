package plugin

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

func TestQueryJSONCannotOverrideTheSettings(t *testing.T) {
	fp := &fakePrometheus{answers: cannedOK()}
	d := newTestDatasource(t, fp, &models.Settings{HTTPMethod: http.MethodPost, QueryTimeout: "60s",
		QueryParameters: url.Values{"dedup": {"false"}, "max_samples_processed_error_threshold": {"1000"}}})
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
