package signing

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// headerLog records the headers of every request a server received.
type headerLog struct {
	mu   sync.Mutex
	seen []http.Header
}

func (l *headerLog) add(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, r.Header.Clone())
}

func (l *headerLog) all() []http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]http.Header(nil), l.seen...)
}

func TestRedirectsNeverLeaveTheConfiguredHost(t *testing.T) {
	isolateAWS(t)
	other := &headerLog{}
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(r)
		_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
	}))
	t.Cleanup(elsewhere.Close)
	home := &headerLog{}
	workspace := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		home.add(r)
		switch r.URL.Path {
		case "/moved/api/v1/labels":
			http.Redirect(w, r, "/ws/api/v1/labels", http.StatusTemporaryRedirect)
		case "/ws/api/v1/labels":
			_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
		default:
			http.Redirect(w, r, elsewhere.URL+"/steal?X-Amz-Security-Token=abc", http.StatusFound)
		}
	}))
	t.Cleanup(workspace.Close)

	keys := map[string]string{"sigV4AccessKey": accessKey, "sigV4SecretKey": secretKey, "sigV4SessionToken": "session-token-value",
		"httpHeaderValue1": "custom-secret"}
	load := func(jsonData string) *models.Settings {
		s, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: workspace.URL + "/ws/", JSONData: []byte(jsonData),
			DecryptedSecureJSONData: keys})
		require.NoError(t, err)
		return s
	}
	for name, s := range map[string]*models.Settings{
		"sigv4":        load(`{"sigV4AuthType":"keys","sigV4Region":"eu-west-1","httpHeaderName1":"X-Custom"}`),
		"token header": load(`{"sigV4Auth":false,"httpHeaderName1":"Authorization"}`),
	} {
		t.Run(name, func(t *testing.T) {
			client, err := NewClient(s, NewAWSConfigs(s, nil))
			require.NoError(t, err)
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				req, err := http.NewRequest(method, workspace.URL+"/ws/api/v1/query", strings.NewReader("query=up"))
				require.NoError(t, err)
				resp, err := client.Do(req)
				if resp != nil {
					resp.Body.Close()
				}
				var re *RedirectError
				require.True(t, errors.As(err, &re), "%v", err)
				assert.Equal(t, http.StatusFound, re.Status)
				assert.Equal(t, elsewhere.URL+"/steal", re.To, "the query, which may hold a credential, is not shown")
				assert.Contains(t, err.Error(), "the workspace answered with a redirect (HTTP 302) to "+elsewhere.URL+"/steal")
				assert.True(t, backend.IsDownstreamError(err))
			}
			assert.Empty(t, other.all(), "nothing reaches the other host")

			before := len(home.all())
			resp, err := client.Get(workspace.URL + "/moved/api/v1/labels")
			require.NoError(t, err, "a redirect on the same host is followed")
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			seen := home.all()[before:]
			require.Len(t, seen, 2)
			assert.NotEmpty(t, seen[1].Get("Authorization"), "the followed request carries credentials again")
			if name == "sigv4" {
				assert.NotEqual(t, seen[0].Get("Authorization"), seen[1].Get("Authorization"), "the followed request is signed for its own path")
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	parse := func(s string) *http.Request {
		r, err := http.NewRequest(http.MethodGet, s, nil)
		require.NoError(t, err)
		return r
	}
	tests := []struct {
		from, to string
		same     bool
	}{
		{"https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/", "https://APS-workspaces.us-east-1.amazonaws.com:443/x", true},
		{"http://127.0.0.1:9090/a", "http://127.0.0.1:9090/b", true},
		{"http://127.0.0.1:9090/a", "http://127.0.0.1:9091/a", false},
		{"http://127.0.0.1:9090/a", "http://localhost:9090/a", false},
		{"https://host/a", "http://host/a", false},
		{"https://host/a", "https://host.evil/a", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.same, sameOrigin(parse(tc.from).URL, parse(tc.to).URL), "%s -> %s", tc.from, tc.to)
	}
}
