package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The suggestions resource turns the panel's queries and the scope and ad-hoc filters into match[] selectors.
func TestSuggestions(t *testing.T) {
	ds := dataSource(t, provisioning, nil)
	span := fmt.Sprintf(`"start":"%d","end":"%d"`, fixtureStart.Unix(), fixtureStart.Add(6*time.Hour).Unix())
	jsonHeaders := map[string]string{"Content-Type": "application/json"}
	t.Run("label names", func(t *testing.T) {
		st.AMP.Reset()
		a := callResource(t, st.Plugin, ds, resourceCall{method: http.MethodPost, path: "suggestions", headers: jsonHeaders,
			body: `{"queries":["sum(rate(fixture_http_requests_total[$__rate_interval]))"],` +
				`"scopes":[{"key":"job","value":"worker","operator":"equals"}],` + span + `}`})
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		assert.ElementsMatch(t, []string{"__name__", "instance", "job", "method", "status"}, a.strings(t))
		records := st.AMP.Requests()
		require.Len(t, records, 1)
		assert.Equal(t, http.MethodPost, records[0].Method)
		assert.Empty(t, records[0].RawQuery)
		assert.Equal(t, []string{`fixture_http_requests_total{job="worker"}`}, records[0].Form["match[]"])
	})
	t.Run("label values", func(t *testing.T) {
		st.AMP.Reset()
		a := callResource(t, st.Plugin, ds, resourceCall{method: http.MethodPost, path: "suggestions", headers: jsonHeaders,
			body: `{"labelName":"status","queries":["fixture_http_requests_total"],` +
				`"adhocFilters":[{"key":"job","value":"worker","operator":"equals"}],` + span + `}`})
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		assert.ElementsMatch(t, []string{"200", "201"}, a.strings(t))
		records := st.AMP.Requests()
		require.Len(t, records, 1)
		assert.Equal(t, http.MethodGet, records[0].Method, "label values go by GET on AMP")
		assert.Equal(t, "/api/v1/label/status/values", records[0].Path)
	})
}
