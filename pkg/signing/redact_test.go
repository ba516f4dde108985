package signing

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

func TestErrorAnswersNeverEchoSecrets(t *testing.T) {
	isolateAWS(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := "received " + r.Header.Get("Authorization") + " and " + r.Header.Get("X-Api-Key")
		switch r.URL.Path {
		case "/ok":
			_, _ = w.Write([]byte(echo))
		case "/large":
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(echo + strings.Repeat("x", maxRedactedBody) + "tail"))
		default:
			http.Error(w, echo, http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	s, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: srv.URL, BasicAuthEnabled: true, BasicAuthUser: "LTAI-user",
		JSONData:                []byte(`{"sigV4Auth":false,"httpHeaderName1":"X-Api-Key"}`),
		DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "basic-pw-secret", "httpHeaderValue1": "api-key-secret"}})
	require.NoError(t, err)
	client, err := NewClient(s, NewAWSConfigs(s, nil))
	require.NoError(t, err)
	get := func(path string) (int, string) {
		resp, err := client.Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}

	status, body := get("/denied")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "received Basic [redacted] and [redacted]\n", body)

	status, body = get("/large")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.True(t, strings.HasPrefix(body, "received Basic [redacted] and [redacted]"))
	assert.True(t, strings.HasSuffix(body, "tail"), "the rest of a large answer is passed on")

	status, body = get("/ok")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "api-key-secret", "successful answers are not touched")
}
