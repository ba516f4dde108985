package resources

import (
	"testing"

	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEscapeLabelName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"job", "job"},
		{"_private", "_private"},
		{"le2", "le2"},
		{"http.status_code", "U__http_2e_status__code"},
		{"U__http_2e_status__code", "U__http_2e_status__code"},
		{"2xx", "U___32_xx"},
		{"a:b", "U__a_3a_b"},
		{"a/b", "U__a_2f_b"},
		{"名前", "U___540d__524d_"},
		{"Zürich city", "U__Z_fc_rich_20_city"},
		{"bad\xffbyte", "U__bad_fffd_byte"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EscapeLabelName(tc.name)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, got, EscapeLabelName(got), "escaping is idempotent")
			if got != tc.name && tc.name != "bad\xffbyte" {
				// Prometheus's own decoder must give the name back.
				assert.Equal(t, tc.name, model.UnescapeName(got, model.ValueEncodingEscaping))
			}
		})
	}
}

func TestMatchRoute(t *testing.T) {
	tests := []struct {
		path    string
		apiPath string
		policy  methodPolicy
	}{
		{"api/v1/labels", "api/v1/labels", followConfig},
		{"api/v1/series", "api/v1/series", followConfig},
		{"api/v1/query", "api/v1/query", followConfig},
		{"api/v1/metadata", "api/v1/metadata", alwaysGet},
		{"api/v1/rules", "api/v1/rules", readOnly},
		{"api/v1/label/job/values", "api/v1/label/job/values", alwaysGet},
		{"api/v1/label/a/b/values", "api/v1/label/U__a_2f_b/values", alwaysGet},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rt, ok := matchRoute(tc.path)
			require.True(t, ok)
			assert.Equal(t, tc.apiPath, rt.apiPath)
			assert.Equal(t, tc.policy, rt.policy)
		})
	}
	for _, p := range []string{"api/v1/query_range", "api/v1/write", "api/v1/label/job", "api/v1/labels/x", "api/v1/alerts", "rules"} {
		t.Run("not allowed: "+p, func(t *testing.T) {
			_, ok := matchRoute(p)
			assert.False(t, ok)
		})
	}
}
