package signing

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A body without GetBody is what a reverse proxy hands on; it must be hashed, signed and still sent (aws-auth.md
// 4.5 #3, grafana-aws-sdk#465).
func TestSignerHashesBodiesWithoutGetBody(t *testing.T) {
	isolateAWS(t)
	emu, _ := startEmulator(t)
	s := settingsFor(t, emu.WorkspaceURL(workspace), `{"sigV4AuthType":"keys","sigV4Region":"eu-west-1"}`)
	client, err := NewClient(s, NewAWSConfigs(s, nil))
	require.NoError(t, err)
	body := "query=up&time=4"
	req, err := http.NewRequestWithContext(withGrafanaConfig(forwardedDefaults), http.MethodPost,
		emu.WorkspaceURL(workspace)+"api/v1/query", io.NopCloser(bytes.NewReader([]byte(body))))
	require.NoError(t, err)
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	require.Nil(t, req.GetBody)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	records := emu.Requests()
	require.Len(t, records, 1)
	assert.Equal(t, "up", records[0].Form.Get("query"), "the body was sent after hashing")
}

// The [aws] policy is enforced on every signed request, before any network call.
func TestSignerRefusesDisallowedAuthWithoutNetwork(t *testing.T) {
	isolateAWS(t)
	emu, _ := startEmulator(t)
	s := settingsFor(t, emu.WorkspaceURL(workspace), `{"sigV4AuthType":"keys","sigV4Region":"eu-west-1"}`)
	client, err := NewClient(s, NewAWSConfigs(s, nil))
	require.NoError(t, err)
	ctx := withGrafanaConfig(map[string]string{"AWS_AUTH_AllowedAuthProviders": "default"})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, emu.WorkspaceURL(workspace)+"api/v1/labels", nil)
	require.NoError(t, err)
	_, err = client.Do(req)
	require.Error(t, err)
	var ae *AuthError
	require.True(t, errors.As(err, &ae))
	assert.Contains(t, err.Error(), "non-allowed auth method keys")
	assert.True(t, backend.IsDownstreamError(err))
	assert.Empty(t, emu.Requests())

	// The same client signs once the policy allows it: the refusal is not cached.
	req, err = http.NewRequestWithContext(withGrafanaConfig(forwardedDefaults), http.MethodGet, emu.WorkspaceURL(workspace)+"api/v1/labels", nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
