package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURLErrorsNeverShowThePassword(t *testing.T) {
	for _, raw := range []string{
		"https://user:pa%zz-secret@aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/",
		"https://user:pa/zz%-secret@aps-workspaces.us-east-1.amazonaws.com/",
		"user:pa%zz-secret@host",
		"https://user:pass-secret@aps-workspaces.us-east-1.amazonaws.com/",
	} {
		_, err := load(t, raw, `{}`, nil)
		require.Error(t, err, raw)
		assert.NotContains(t, err.Error(), "secret", raw)
		assert.NotContains(t, err.Error(), "zz", raw)
	}
	_, err := load(t, "https://user:pa%zz-secret@aps-workspaces.us-east-1.amazonaws.com/ws", `{}`, nil)
	assert.Contains(t, err.Error(), `"https://redacted@aps-workspaces.us-east-1.amazonaws.com/ws"`)
}
