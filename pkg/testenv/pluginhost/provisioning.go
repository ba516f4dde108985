package pluginhost

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"go.yaml.in/yaml/v3"
)

// DataSource is one provisioned data source after environment expansion.
// Fields may be changed by tests before building a PluginContext.
type DataSource struct {
	Name, Type, UID, URL, Access   string
	User, Database, BasicAuthUser  string
	APIVersion                     string
	OrgID, Version                 int64
	IsDefault, BasicAuth, Editable bool
	// JSONData is the raw JSON Grafana stores; YAML scalar types survive,
	// so a YAML 5 is the JSON number 5 and "true" stays a string.
	JSONData json.RawMessage
	// SecureJSONData holds the decrypted secrets, all as strings.
	SecureJSONData map[string]string

	// ID is the numeric id Grafana's database would assign: 1, 2, ... in
	// load order.
	ID int64
	// LastUpdated feeds LastUpdatedMS. The SDK's instance manager rebuilds
	// an instance only when it changes, so bump it after editing settings
	// that a running plugin has already seen.
	LastUpdated time.Time
	// PluginVersion is sent as PluginContext.PluginVersion; provisioning
	// files do not carry it.
	PluginVersion string
	// Source names the file and entry, for messages.
	Source string
}

// LoadProvisioning reads a Grafana data source provisioning file, or every
// *.yaml and *.yml file of a directory in name order, and expands
// environment variables in string values with lookup (default
// os.LookupEnv).
func LoadProvisioning(path string, lookup LookupFunc) ([]DataSource, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	files, err := provisioningFiles(path)
	if err != nil {
		return nil, err
	}
	var all []DataSource
	for _, f := range files {
		ds, err := loadFile(f, lookup)
		if err != nil {
			return nil, err
		}
		all = append(all, ds...)
	}
	for i := range all {
		all[i].ID = int64(i + 1)
	}
	if err := checkDefaults(all); err != nil {
		return nil, err
	}
	return all, nil
}

func provisioningFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read provisioning: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("read provisioning: %w", err)
	}
	var files []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

type provisioningFile struct {
	APIVersion  *int64      `yaml:"apiVersion"`
	Datasources []yaml.Node `yaml:"datasources"`
}

func loadFile(file string, lookup LookupFunc) ([]DataSource, error) {
	content, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read provisioning: %w", err)
	}
	var pf provisioningFile
	if err := yaml.Unmarshal(content, &pf); err != nil {
		return nil, fmt.Errorf("%s: invalid YAML: %w", file, err)
	}
	if pf.APIVersion == nil || *pf.APIVersion != 1 {
		return nil, fmt.Errorf("%s: apiVersion must be 1", file)
	}
	out := make([]DataSource, 0, len(pf.Datasources))
	for i := range pf.Datasources {
		node := &pf.Datasources[i]
		where := fmt.Sprintf("%s: datasources[%d] (line %d)", file, i, node.Line)
		ds, err := decodeEntry(node, lookup)
		if ds.Name != "" {
			where = fmt.Sprintf("%s: datasources[%d] %q (line %d)", file, i, ds.Name, node.Line)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		ds.Source = where
		out = append(out, ds)
	}
	return out, nil
}

// rawEntry mirrors Grafana's v1 data source entry. Scalars are kept as raw
// text because Grafana expands variables before it converts to int or bool.
type rawEntry struct {
	Name           scalar    `yaml:"name"`
	Type           scalar    `yaml:"type"`
	UID            scalar    `yaml:"uid"`
	URL            scalar    `yaml:"url"`
	Access         scalar    `yaml:"access"`
	OrgID          scalar    `yaml:"orgId"`
	IsDefault      scalar    `yaml:"isDefault"`
	BasicAuth      scalar    `yaml:"basicAuth"`
	BasicAuthUser  scalar    `yaml:"basicAuthUser"`
	User           scalar    `yaml:"user"`
	Database       scalar    `yaml:"database"`
	Editable       scalar    `yaml:"editable"`
	Version        scalar    `yaml:"version"`
	APIVersion     scalar    `yaml:"apiVersion"`
	JSONData       yaml.Node `yaml:"jsonData"`
	SecureJSONData yaml.Node `yaml:"secureJsonData"`
}

func decodeEntry(node *yaml.Node, lookup LookupFunc) (DataSource, error) {
	var raw rawEntry
	if err := node.Decode(&raw); err != nil {
		return DataSource{}, err
	}
	c := converter{lookup: lookup}
	ds := DataSource{
		Name: c.str("name", raw.Name), Type: c.str("type", raw.Type), UID: c.str("uid", raw.UID),
		URL: c.str("url", raw.URL), Access: c.str("access", raw.Access),
		User: c.str("user", raw.User), Database: c.str("database", raw.Database),
		BasicAuthUser: c.str("basicAuthUser", raw.BasicAuthUser), APIVersion: c.str("apiVersion", raw.APIVersion),
		OrgID: c.int("orgId", raw.OrgID), Version: c.int("version", raw.Version),
		IsDefault: c.bool("isDefault", raw.IsDefault), BasicAuth: c.bool("basicAuth", raw.BasicAuth),
		Editable:    c.bool("editable", raw.Editable),
		LastUpdated: nextUpdated(),
	}
	ds.JSONData = c.jsonData(&raw.JSONData)
	ds.SecureJSONData = c.secure(&raw.SecureJSONData)
	if c.err != nil {
		return ds, c.err
	}
	switch {
	case ds.Name == "":
		return ds, errors.New("name is required")
	case ds.Type == "":
		return ds, errors.New("type is required")
	}
	if ds.OrgID == 0 {
		ds.OrgID = 1
	}
	if ds.Access == "" {
		ds.Access = "proxy"
	}
	return ds, nil
}

func checkDefaults(all []DataSource) error {
	defaults := map[int64]string{}
	for _, ds := range all {
		if !ds.IsDefault {
			continue
		}
		if prev, ok := defaults[ds.OrgID]; ok {
			return fmt.Errorf("%s: only one data source per organization can be the default; %s already is",
				ds.Source, prev)
		}
		defaults[ds.OrgID] = ds.Source
	}
	return nil
}
