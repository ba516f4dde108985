package signing

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeptCookies(t *testing.T) {
	header := "grafana_session=abc; team=blue; theme=dark;broken; session_id=s1"
	assert.Equal(t, "team=blue; session_id=s1", keptCookies(header, []string{"session_id", "team"}), "original order, only kept names")
	assert.Empty(t, keptCookies(header, nil))
	assert.Empty(t, keptCookies("", []string{"team"}))
	assert.Empty(t, keptCookies(header, []string{"broken"}), "a pair without a value is not a cookie")
}
