package signing

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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

func TestRedactorFindsEveryForm(t *testing.T) {
	s, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/",
		JSONData:                []byte(`{"sigV4AuthType":"keys"}`),
		DecryptedSecureJSONData: map[string]string{"sigV4AccessKey": accessKey, "sigV4SecretKey": "abc/def+ghi&jk<l>", "sigV4SessionToken": "tok/en=="}})
	require.NoError(t, err)
	r := NewRedactor(s)
	tests := map[string]string{
		"raw":                  "key abc/def+ghi&jk<l> token tok/en==",
		"Go JSON":              `{"m":"key abc/def+ghi\u0026jk\u003cl\u003e token tok/en=="}`,
		"escaped slashes":      `{"m":"key abc\/def+ghi&jk<l> token tok\/en=="}`,
		"upper-case escapes":   `{"m":"abc\/def+ghi\u0026jk\u003Cl\u003E"}`,
		"percent-encoded":      "X-Amz-Security-Token=tok%2Fen%3D%3D&k=abc%2Fdef%2Bghi%26jk%3Cl%3E",
		"lower-case percent":   "tok%2fen%3d%3d",
		"JSON of both secrets": `"abc\/def+ghi\u0026jk\u003cl\u003e","tok\/en=="`,
	}
	for name, text := range tests {
		out := r.Redact(text)
		assert.Contains(t, out, Redacted, name)
		for _, part := range []string{"def", "en==", "en%3d"} {
			assert.NotContains(t, strings.ToLower(out), part, "%s: %s", name, out)
		}
	}
	assert.Equal(t, "access key "+accessKey, r.Redact("access key "+accessKey), "the access key ID is not a secret")
	sig := "Credential=" + accessKey + "/20260101/us-east-1/aps/aws4_request, Signature=" + strings.Repeat("0a", 32)
	assert.Equal(t, "Credential="+accessKey+"/20260101/us-east-1/aps/aws4_request, Signature=[redacted]", r.Redact(sig))
	assert.Equal(t, "Credential="+accessKey+"/20260101/us-east-1/aps/aws4_request, Signature=[redacted]", string(r.RedactBytes([]byte(sig))))
	assert.Equal(t, []byte("nothing"), r.RedactBytes([]byte("nothing")))
	var none *Redactor
	assert.Equal(t, "abc/def+ghi", none.Redact("abc/def+ghi"), "a nil redactor passes text through")
}

func TestRedactorKnowsCredentialsInUse(t *testing.T) {
	r := NewRedactor(nil)
	for i := range 6 {
		r.noteCredentials(aws.Credentials{AccessKeyID: "ASIAISSUED", SecretAccessKey: fmt.Sprintf("issued-secret-%d", i), SessionToken: fmt.Sprintf("issued-token-%d", i)})
		r.noteCredentials(aws.Credentials{AccessKeyID: "ASIAISSUED", SecretAccessKey: fmt.Sprintf("issued-secret-%d", i), SessionToken: fmt.Sprintf("issued-token-%d", i)})
	}
	assert.Equal(t, "[redacted] [redacted]", r.Redact("issued-secret-5 issued-token-5"))
	assert.Equal(t, "[redacted]", r.Redact("issued-token-2"), "a few recent sets are kept")
	assert.Equal(t, "issued-token-1", r.Redact("issued-token-1"), "old sets are forgotten, so memory stays bounded")
	err := r.Error(backend.DownstreamError(errors.New("denied: issued-token-5")))
	assert.Equal(t, "denied: [redacted]", err.Error())
	assert.True(t, backend.IsDownstreamError(err), "the redacted error keeps its chain")
}

func TestCredentialsInUseAreRedacted(t *testing.T) {
	isolateAWS(t)
	s := settingsFor(t, "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/", `{"sigV4AuthType":"default"}`)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT1")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-from-the-environment")
	t.Setenv("AWS_SESSION_TOKEN", "token-from-the-environment")
	configs := NewAWSConfigs(s, nil)
	_, err := configs.Credentials(withGrafanaConfig(forwardedDefaults))
	require.NoError(t, err)
	assert.Equal(t, "[redacted] and [redacted]", configs.Redactor().Redact("secret-from-the-environment and token-from-the-environment"))
}
