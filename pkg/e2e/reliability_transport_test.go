package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/stack"
)

// The reliability suite runs hostile and busy upstreams against the built plugin: each case states the answer it
// expects and ends by checking that the plugin process is still alive and still answers.

const customHeaderSecret = "custom-header-secret-3e1a"

// faultedDataSource is the seed example with a secret custom header, so a leak of any credential kind shows.
func faultedDataSource(t *testing.T) pluginhost.DataSource {
	t.Helper()
	ds := dataSource(t, seedExample, map[string]any{"httpHeaderName1": "X-Custom"})
	if ds.SecureJSONData == nil {
		ds.SecureJSONData = map[string]string{}
	}
	ds.SecureJSONData["httpHeaderValue1"] = customHeaderSecret
	return ds
}

// inject adds a fault for the rest of the test.
func inject(t *testing.T, f ampemu.Fault) {
	t.Helper()
	st.AMP.Inject(f)
	t.Cleanup(st.AMP.ClearFaults)
}

// requireAlive checks that the plugin process survived the case and still answers a plain query.
func requireAlive(t *testing.T, p *pluginhost.Plugin, s *stack.Stack) {
	t.Helper()
	require.False(t, p.Exited(), "the plugin process exited")
	resp := queryOnce(t, s, dataSource(t, seedExample, nil), pluginhost.GrafanaConfig(nil))
	require.Empty(t, resp.Error, "the plugin still answers")
	require.NotEmpty(t, resp.Frames)
}

func TestReliabilityRedirects(t *testing.T) {
	catcher, err := ampemu.StartCatcher("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, catcher.Close()) })
	emu, err := url.Parse(st.AMP.URL())
	require.NoError(t, err)
	tests := []struct {
		name   string
		status int
		target string
	}{
		{"302 to another port", http.StatusFound, catcher.URL() + "/workspaces/ws-1/api/v1/query"},
		{"307 to another host name", http.StatusTemporaryRedirect, "http://localhost:" + emu.Port() + "/workspaces/ws-1/"},
		{"308 to another scheme", http.StatusPermanentRedirect, "https://" + emu.Host + "/workspaces/ws-1/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.ClearFaults()
			inject(t, ampemu.Redirect(tc.status, tc.target))
			target, err := url.Parse(tc.target)
			require.NoError(t, err)
			want := fmt.Sprintf("the workspace answered with a redirect (HTTP %d) to %s://%s%s", tc.status, target.Scheme, target.Host, target.Path)
			ds := faultedDataSource(t)

			resp := queryOnce(t, st, ds, pluginhost.GrafanaConfig(nil))
			assert.Contains(t, resp.Error, want)
			assert.Equal(t, "downstream", resp.ErrorSource)

			h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
			assert.Equal(t, "ERROR", h.Status)
			assert.Contains(t, h.Message, want)

			res := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/labels"})
			assert.Equal(t, http.StatusBadGateway, res.status)
			assert.Contains(t, res.envelope(t).Error, want)
			st.AMP.ClearFaults()
			requireAlive(t, st.Plugin, st)
		})
	}
	assert.Empty(t, catcher.Headers(), "no request, signed or not, reached the other host")

	t.Run("token header mode", func(t *testing.T) {
		redirecting := httptest.NewServer(http.RedirectHandler(catcher.URL()+"/steal", http.StatusTemporaryRedirect))
		t.Cleanup(redirecting.Close)
		ds := authDataSource(t, map[string]any{"sigV4Auth": false, "httpHeaderName1": "Authorization"},
			map[string]string{"httpHeaderValue1": "Bearer " + customHeaderSecret})
		ds.URL = redirecting.URL + "/"
		resp := queryOnce(t, st, ds, pluginhost.GrafanaConfig(nil))
		assert.Contains(t, resp.Error, "the workspace answered with a redirect (HTTP 307) to "+catcher.URL()+"/steal")
		res := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/label/job/values"})
		assert.Equal(t, http.StatusBadGateway, res.status)
		assert.Empty(t, catcher.Headers(), "the token never left for the other host")
		requireAlive(t, st.Plugin, st)
	})
}

// retryStats returns the retry notice and statistic of a query's first frame.
func retryStats(frames data.Frames) (notice string, retries float64) {
	if len(frames) == 0 || frames[0].Meta == nil {
		return "", 0
	}
	for _, n := range frames[0].Meta.Notices {
		if strings.Contains(n.Text, "retried") {
			notice = n.Text
		}
	}
	for _, s := range frames[0].Meta.Stats {
		if s.DisplayName == "Upstream retries" {
			retries = s.Value
		}
	}
	return notice, retries
}

func TestReliabilityRetries(t *testing.T) {
	const path = "/api/v1/query_range"
	times := func(f ampemu.Fault, n int) ampemu.Fault {
		f.PathSuffix, f.Times = path, n
		return f
	}
	tests := []struct {
		name     string
		fault    ampemu.Fault
		requests int
		// wantError is in the query's error; empty means the query succeeds after retrying.
		wantError []string
		notice    string
	}{
		{name: "429 with Retry-After", fault: times(ampemu.ThrottledRetryAfter("1"), 1), requests: 2,
			notice: "The request was retried once after HTTP 429 (waited 1s in total)."},
		{name: "429 with an HTTP date", fault: times(ampemu.ThrottledRetryAfter(time.Now().Add(time.Second).UTC().Format(http.TimeFormat)), 1),
			requests: 2, notice: "The request was retried once after HTTP 429"},
		{name: "429 without Retry-After", fault: times(ampemu.Throttling(), 1), requests: 2, notice: "retried once after HTTP 429"},
		{name: "502", fault: times(ampemu.BadGateway(), 1), requests: 2, notice: "retried once after HTTP 502"},
		{name: "503 twice", fault: times(ampemu.ServiceUnavailable(), 2), requests: 3, notice: "retried 2 times after HTTP 503, HTTP 503"},
		{name: "504", fault: times(ampemu.GatewayTimeout(), 1), requests: 2, notice: "retried once after HTTP 504"},
		{name: "throttled for good", fault: times(ampemu.Throttling(), 0), requests: 3,
			wantError: []string{"status code 429", "ThrottlingException", "retried 2 times after HTTP 429, HTTP 429"}},
		{name: "400 is never retried", fault: times(ampemu.Fault{Status: http.StatusBadRequest, ErrorType: ampemu.TypeValidation,
			Body: `{"message":"bad request"}`}, 0), requests: 1, wantError: []string{"status code 400", "bad request"}},
		{name: "422 is never retried", fault: times(ampemu.QueryTimeout(), 0), requests: 1, wantError: []string{"query timed out"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.AMP.ClearFaults()
			st.AMP.Reset()
			inject(t, tc.fault)
			resp := queryOnce(t, st, faultedDataSource(t), pluginhost.GrafanaConfig(nil))
			assert.Equal(t, tc.requests, st.AMP.Count(path), "attempts the emulator saw")
			notice, retries := retryStats(resp.Frames)
			if len(tc.wantError) > 0 {
				for _, w := range tc.wantError {
					assert.Contains(t, resp.Error, w)
				}
			} else {
				require.Empty(t, resp.Error)
				assert.Len(t, resp.Frames, 3, "the answer after the retry is complete")
				assert.Contains(t, notice, tc.notice)
			}
			assert.Equal(t, float64(tc.requests-1), retries)
			st.AMP.ClearFaults()
			requireAlive(t, st.Plugin, st)
		})
	}

	assert.Contains(t, pluginLog.String(), `"@message":"Retrying an upstream request"`, "retries are logged at debug level")

	t.Run("connection reset", func(t *testing.T) {
		st.AMP.ClearFaults()
		inject(t, times(ampemu.ConnectionReset(), 1))
		resp := queryOnce(t, st, faultedDataSource(t), pluginhost.GrafanaConfig(nil))
		require.Empty(t, resp.Error, "a reset connection costs a retry, not the panel")
		assert.Len(t, resp.Frames, 3)
		requireAlive(t, st.Plugin, st)
	})

	t.Run("resources", func(t *testing.T) {
		st.AMP.ClearFaults()
		st.AMP.Reset()
		inject(t, withPath(ampemu.ServiceUnavailable(), "/api/v1/labels"))
		res := callResource(t, st.Plugin, faultedDataSource(t), resourceCall{path: "api/v1/labels"})
		assert.Equal(t, http.StatusOK, res.status, string(res.body))
		assert.Equal(t, 2, st.AMP.Count("/api/v1/labels"))
		requireAlive(t, st.Plugin, st)
	})
}

func TestReliabilityInvalidUTF8(t *testing.T) {
	ds := faultedDataSource(t)
	broken := stack.Query{RefID: "BROKEN", From: fixtureStart, To: fixtureStart.Add(time.Hour), Model: map[string]any{"expr": "broken", "instant": true}}

	t.Run("a broken answer costs only its own query", func(t *testing.T) {
		st.AMP.ClearFaults()
		inject(t, ampemu.Fault{PathSuffix: "/api/v1/query", Answer: ampemu.InvalidUTF8().Answer})
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, broken, rangeQuery("GOOD", "fixture_up"))
		require.NoError(t, err, "the whole QueryData must not fail")
		assert.Empty(t, resp["GOOD"].Error)
		assert.Len(t, resp["GOOD"].Frames, 3)

		b := resp["BROKEN"]
		require.Empty(t, b.Error)
		require.Len(t, b.Frames, 1)
		labels := b.Frames[0].Fields[1].Labels
		assert.Equal(t, "Z\uFFFDrich", labels["city"])
		assert.Equal(t, "v", labels["l\uFFFD"])
		var texts []string
		for _, n := range b.Frames[0].Meta.Notices {
			texts = append(texts, n.Text)
		}
		assert.Contains(t, texts, "bad \uFFFD warning")
		assert.Contains(t, texts, "bad \uFFFD info")
	})

	t.Run("a broken error", func(t *testing.T) {
		st.AMP.ClearFaults()
		f := ampemu.InvalidUTF8Error()
		f.PathSuffix = "/api/v1/query"
		inject(t, f)
		resp, err := st.QueryData(testContext(t), ds, pluginhost.GrafanaConfig(nil), nil, broken, rangeQuery("GOOD", "fixture_up"))
		require.NoError(t, err)
		assert.Contains(t, resp["BROKEN"].Error, "bad \uFFFD")
		assert.Contains(t, resp["BROKEN"].Error, "byte in the error")
		assert.Len(t, resp["GOOD"].Frames, 3)
	})

	t.Run("Save & test and resources", func(t *testing.T) {
		st.AMP.ClearFaults()
		inject(t, ampemu.InvalidUTF8AWSError())
		h := checkHealthWith(t, st.Plugin, ds, pluginhost.GrafanaConfig(nil))
		assert.Equal(t, "ERROR", h.Status)
		assert.Contains(t, h.text(), "ValidationException: bad \uFFFD")

		st.AMP.ClearFaults()
		inject(t, ampemu.InvalidUTF8())
		res := callResource(t, st.Plugin, ds, resourceCall{path: "api/v1/label/job/values"})
		assert.Equal(t, http.StatusOK, res.status)
		assert.True(t, utf8.Valid(res.body), "relayed JSON is valid UTF-8")
		assert.Contains(t, string(res.body), "bad \uFFFD")
		assert.Equal(t, []string{"bad \uFFFD header"}, res.headers["X-Broken"])
	})
	st.AMP.ClearFaults()
	requireAlive(t, st.Plugin, st)
}

func TestReliabilityAdminSettingsWin(t *testing.T) {
	st.AMP.ClearFaults()
	ds := dataSource(t, seedExample, map[string]any{"customQueryParameters": "dedup=false",
		"maxSamplesProcessedErrorThreshold": 1000, "maxSamplesProcessedWarningThreshold": 500})
	hostile := "query=up&max_samples_processed_error_threshold=999999999999&max_samples_processed_warning_threshold=999999999999&dedup=true&stats=all"
	calls := []resourceCall{
		{path: "api/v1/query", rawQuery: hostile},
		{method: http.MethodPost, path: "api/v1/query", body: hostile, headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
		{method: http.MethodPost, path: "api/v1/labels", rawQuery: "max_samples_processed_error_threshold=1", body: "dedup=true",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
	}
	for _, c := range calls {
		st.AMP.Reset()
		res := callResource(t, st.Plugin, ds, c)
		assert.Equal(t, http.StatusOK, res.status, string(res.body))
		records := st.AMP.Requests()
		require.Len(t, records, 1)
		params := records[0].Form
		if params == nil {
			params, _ = url.ParseQuery(records[0].RawQuery)
		}
		assert.Equal(t, "1000", params.Get("max_samples_processed_error_threshold"), "%s %s", c.method, c.path)
		assert.Equal(t, "500", params.Get("max_samples_processed_warning_threshold"))
		assert.Equal(t, []string{"false"}, params["dedup"])
		assert.Empty(t, params["stats"], "statistics are off in the settings")
	}
	requireAlive(t, st.Plugin, st)
}
