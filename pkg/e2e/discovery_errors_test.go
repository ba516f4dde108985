package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

// The workspace picker shows the message and keeps the details behind a toggle: neither may carry AWS's canonical
// request and string-to-sign, and a credential problem's message is one sentence.
func TestWorkspaceDiscoveryErrorsAreShort(t *testing.T) {
	cp, p := discoveryPlugin(t)

	ds := dataSource(t, provisioning, nil)
	ds.SecureJSONData["sigV4SecretKey"] = "not-the-secret"
	a := callResource(t, p, ds, resourceCall{path: "workspaces", rawQuery: "region=" + st.Region})
	assert.Equal(t, http.StatusForbidden, a.status)
	e := a.envelope(t)
	assert.Equal(t, "InvalidSignatureException", e.ErrorType)
	assert.Contains(t, e.Message, "AWS rejected the data source's credentials")
	assert.NotContains(t, string(a.body), "Canonical String")
	assert.NotContains(t, string(a.body), "String-to-Sign")
	assert.NotContains(t, string(a.body), "not-the-secret")
	require.NotEmpty(t, cp.Requests())
	assert.Equal(t, ampemu.TypeInvalidSignature, cp.Requests()[0].ErrorType)

	ds = dataSource(t, provisioning, map[string]any{"sigV4AuthType": "default"})
	ds.SecureJSONData = map[string]string{}
	a = callResource(t, p, ds, resourceCall{path: "workspaces", rawQuery: "region=" + st.Region})
	assert.Equal(t, http.StatusBadGateway, a.status)
	var body struct {
		Message string `json:"message"`
		Details string `json:"details"`
	}
	require.NoError(t, json.Unmarshal(a.body, &body))
	assert.True(t, strings.HasPrefix(body.Message, "calling the AMP control plane: "), body.Message)
	assert.NotContains(t, body.Message, "\n")
	assert.Less(t, len(body.Message), 300, "one sentence: %s", body.Message)
	assert.Greater(t, len(body.Details), len(body.Message), "the whole report is in the details")
}
