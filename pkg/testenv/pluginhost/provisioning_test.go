package pluginhost

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestLoadProvisioning(t *testing.T) {
	lookup := mapLookup(map[string]string{"ORG": "3", "BA": "true", "REGION": "eu-west-1", "KEY": "AKIA1", "PORT": "9090"})

	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, ds DataSource)
	}{
		{
			name: "defaults",
			yaml: "apiVersion: 1\ndatasources:\n  - name: Minimal\n    type: grafana-amazonprometheus-datasource\n",
			check: func(t *testing.T, ds DataSource) {
				assert.Equal(t, int64(1), ds.ID)
				assert.Equal(t, int64(1), ds.OrgID)
				assert.Equal(t, "proxy", ds.Access)
				assert.JSONEq(t, `{}`, string(ds.JSONData))
				assert.Empty(t, ds.SecureJSONData)
				assert.False(t, ds.LastUpdated.IsZero())
				assert.Contains(t, ds.Source, `datasources[0] "Minimal"`)
			},
		},
		{
			name: "variables in string, int and bool fields",
			yaml: `apiVersion: 1
datasources:
  - name: AMP $REGION
    type: grafana-amazonprometheus-datasource
    uid: amp-${REGION}
    url: http://127.0.0.1:${PORT}/workspaces/ws-1
    orgId: ${ORG}
    basicAuth: $BA
    isDefault: "true"
    editable: false
    version: 7
    access: direct
    user: u
    database: db
    apiVersion: v0alpha1
`,
			check: func(t *testing.T, ds DataSource) {
				assert.Equal(t, "AMP eu-west-1", ds.Name)
				assert.Equal(t, "amp-eu-west-1", ds.UID)
				assert.Equal(t, "http://127.0.0.1:9090/workspaces/ws-1", ds.URL)
				assert.Equal(t, int64(3), ds.OrgID)
				assert.True(t, ds.BasicAuth)
				assert.True(t, ds.IsDefault)
				assert.False(t, ds.Editable)
				assert.Equal(t, int64(7), ds.Version)
				assert.Equal(t, "direct", ds.Access)
				assert.Equal(t, "u", ds.User)
				assert.Equal(t, "db", ds.Database)
				assert.Equal(t, "v0alpha1", ds.APIVersion)
			},
		},
		{
			name: "jsonData keeps YAML types and expands nested strings only",
			yaml: `apiVersion: 1
datasources:
  - name: Types
    type: t
    jsonData:
      int: 5
      float: 1.5
      bool: true
      boolString: "true"
      intString: "5"
      "null": null
      tilde: ~
      $NOT_A_KEY_VAR: kept
      nested:
        region: ${REGION}
        literal: $$REGION
        unset: $UNSET
        list: [1, $REGION, {deep: "$REGION"}, null]
      empty: {}
`,
			check: func(t *testing.T, ds DataSource) {
				assert.JSONEq(t, `{"int":5,"float":1.5,"bool":true,"boolString":"true","intString":"5","null":null,"tilde":null,
					"$NOT_A_KEY_VAR":"kept","empty":{},
					"nested":{"region":"eu-west-1","literal":"$REGION","unset":"","list":[1,"eu-west-1",{"deep":"eu-west-1"},null]}}`,
					string(ds.JSONData))
			},
		},
		{
			name: "secureJsonData values become strings",
			yaml: `apiVersion: 1
datasources:
  - name: Secrets
    type: t
    secureJsonData:
      accessKey: $KEY
      number: 12345
      flag: true
      nothing: null
      literal: "$$KEY"
`,
			check: func(t *testing.T, ds DataSource) {
				assert.Equal(t, map[string]string{"accessKey": "AKIA1", "number": "12345", "flag": "true", "nothing": "", "literal": "$KEY"},
					ds.SecureJSONData)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all, err := LoadProvisioning(writeFile(t, t.TempDir(), "ds.yaml", tt.yaml), lookup)
			require.NoError(t, err)
			require.Len(t, all, 1)
			tt.check(t, all[0])
		})
	}
}

func TestLoadProvisioningDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b.yml", "apiVersion: 1\ndatasources:\n  - {name: B1, type: t}\n  - {name: B2, type: t}\n")
	writeFile(t, dir, "a.yaml", "apiVersion: 1\ndatasources:\n  - {name: A1, type: t}\n")
	writeFile(t, dir, "notes.txt", "not provisioning")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755))

	all, err := LoadProvisioning(dir, nil)
	require.NoError(t, err)
	var names []string
	var ids []int64
	for _, ds := range all {
		names = append(names, ds.Name)
		ids = append(ids, ds.ID)
	}
	assert.Equal(t, []string{"A1", "B1", "B2"}, names)
	assert.Equal(t, []int64{1, 2, 3}, ids)
	assert.True(t, all[1].LastUpdated.Before(all[2].LastUpdated), "every load gets a distinct LastUpdated")
}

func TestLoadProvisioningErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{name: "malformed YAML", yaml: "apiVersion: 1\ndatasources:\n  - name: [unclosed\n", want: []string{"bad.yaml", "invalid YAML"}},
		{name: "unsupported apiVersion", yaml: "apiVersion: 2\ndatasources: []\n", want: []string{"bad.yaml", "apiVersion must be 1"}},
		{name: "missing apiVersion", yaml: "datasources: []\n", want: []string{"bad.yaml", "apiVersion must be 1"}},
		{name: "int field not a number", yaml: "apiVersion: 1\ndatasources:\n  - {name: ok, type: t}\n  - name: Broken\n    type: t\n    orgId: abc\n",
			want: []string{"bad.yaml", `datasources[1] "Broken" (line 4)`, `orgId: "abc" is not an integer`}},
		{name: "bool field not a bool", yaml: "apiVersion: 1\ndatasources:\n  - {name: B, type: t, basicAuth: sometimes}\n",
			want: []string{`datasources[0] "B"`, `basicAuth: "sometimes" is not a boolean`}},
		{name: "missing name", yaml: "apiVersion: 1\ndatasources:\n  - type: t\n", want: []string{"bad.yaml: datasources[0] (line 3)", "name is required"}},
		{name: "missing type", yaml: "apiVersion: 1\ndatasources:\n  - name: N\n", want: []string{`datasources[0] "N"`, "type is required"}},
		{name: "jsonData not a mapping", yaml: "apiVersion: 1\ndatasources:\n  - {name: J, type: t, jsonData: [1, 2]}\n",
			want: []string{`datasources[0] "J"`, "jsonData", "must be a mapping"}},
		{name: "jsonData with infinity", yaml: "apiVersion: 1\ndatasources:\n  - {name: J, type: t, jsonData: {x: .inf}}\n",
			want: []string{`datasources[0] "J"`, "jsonData", "unsupported value"}},
		{name: "unsupported expander in jsonData", yaml: "apiVersion: 1\ndatasources:\n  - {name: J, type: t, jsonData: {a: {b: '$__vault{x}'}}}\n",
			want: []string{`datasources[0] "J"`, "jsonData: a: b:", "unsupported expander"}},
		{name: "nested secureJsonData", yaml: "apiVersion: 1\ndatasources:\n  - {name: S, type: t, secureJsonData: {k: {nested: 1}}}\n",
			want: []string{`datasources[0] "S"`, "secureJsonData", "expected a single value"}},
		{name: "name is a list", yaml: "apiVersion: 1\ndatasources:\n  - {name: [a], type: t}\n",
			want: []string{"bad.yaml: datasources[0]", "expected a single value"}},
		{name: "two defaults in one org", yaml: "apiVersion: 1\ndatasources:\n  - {name: D1, type: t, isDefault: true}\n  - {name: D2, type: t, isDefault: true}\n",
			want: []string{`datasources[1] "D2"`, "only one data source per organization can be the default", `"D1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadProvisioning(writeFile(t, t.TempDir(), "bad.yaml", tt.yaml), nil)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	t.Run("defaults in different orgs are fine", func(t *testing.T) {
		_, err := LoadProvisioning(writeFile(t, t.TempDir(), "ok.yaml",
			"apiVersion: 1\ndatasources:\n  - {name: D1, type: t, isDefault: true}\n  - {name: D2, type: t, isDefault: true, orgId: 2}\n"), nil)
		assert.NoError(t, err)
	})

	t.Run("missing path", func(t *testing.T) {
		_, err := LoadProvisioning(filepath.Join(t.TempDir(), "none.yaml"), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "none.yaml")
	})
}
