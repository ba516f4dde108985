package harness

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
)

func TestStoreSave(t *testing.T) {
	s := newStore()
	added := s.add(pluginhost.DataSource{ID: 7, UID: "x", Name: "X", Type: "t", URL: "https://a/",
		SecureJSONData: map[string]string{"sigV4AccessKey": "old", "sigV4SecretKey": "keep"}})
	require.Equal(t, map[string]bool{"sigV4AccessKey": true, "sigV4SecretKey": true}, added.SecureJSONFields)
	before, ok := s.pluginDataSource("x")
	require.True(t, ok)

	tests := []struct {
		name    string
		secrets map[string]string
		want    map[string]string
	}{
		{"a new value replaces, unmentioned secrets stay", map[string]string{"sigV4AccessKey": "new"},
			map[string]string{"sigV4AccessKey": "new", "sigV4SecretKey": "keep"}},
		{"an empty value removes", map[string]string{"sigV4SecretKey": ""}, map[string]string{"sigV4AccessKey": "new"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := update{Settings: added, SecureJSONData: tt.secrets}
			u.URL, u.JSONData = "https://b/", json.RawMessage(`{"sigV4Auth":true}`)
			saved, err := s.save("x", u)
			require.NoError(t, err)
			assert.Equal(t, int64(i+2), saved.Version)
			assert.Equal(t, "https://b/", saved.URL)
			assert.Equal(t, tt.want, s.secretsOf("x"))
			assert.Len(t, saved.SecureJSONFields, len(tt.want))

			ds, ok := s.pluginDataSource("x")
			require.True(t, ok)
			assert.Equal(t, tt.want, ds.SecureJSONData)
			assert.True(t, ds.LastUpdated.After(before.LastUpdated), "the plugin must rebuild its instance")
			before = ds
		})
	}

	t.Run("unknown data source or bad JSON", func(t *testing.T) {
		_, err := s.save("nope", update{Settings: Settings{JSONData: json.RawMessage(`{}`)}})
		assert.Error(t, err)
		_, err = s.save("x", update{Settings: Settings{JSONData: json.RawMessage(`{`)}})
		assert.Error(t, err)
	})
}
