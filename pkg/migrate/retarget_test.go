package migrate

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// communityDashboards are our re-creations of grafana.com exports, with their structure.
var communityDashboards = []string{"kube-state-metrics.json", "node-exporter-full.json"}

func retargeted(t *testing.T, name string) (before, after map[string]any, changes []Change) {
	t.Helper()
	var err error
	before, err = DecodeDashboard(fixture(t, name))
	require.NoError(t, err)
	after, err = DecodeDashboard(fixture(t, name))
	require.NoError(t, err)
	rt := &Retargeter{UID: "amp-prod", Name: "AMP prod", Prometheus: map[string]bool{"Prometheus": true, "prom-plain": true}}
	return before, after, rt.Retarget(after)
}

func TestRetargetLeavesNoPrometheusReference(t *testing.T) {
	for _, name := range communityDashboards {
		t.Run(name, func(t *testing.T) {
			_, after, changes := retargeted(t, name)
			require.NotEmpty(t, changes)
			raw, err := json.Marshal(after)
			require.NoError(t, err)
			assert.NotContains(t, string(raw), "DS_PROMETHEUS", "every export input is resolved")
			assert.NotContains(t, after, "__inputs")
			refs := datasourceRefs(after, "")
			require.NotEmpty(t, refs)
			for path, ref := range refs {
				switch v := ref.(type) {
				case string:
					assert.Equal(t, "$datasource", v, "%s: only variable references stay strings", path)
				case map[string]any:
					switch v["type"] {
					case PluginType:
						uid := v["uid"].(string)
						assert.True(t, uid == "amp-prod" || variableName(uid) == "datasource", "%s points at %s", path, uid)
					case "grafana", "datasource":
						assert.Contains(t, path, "annotations.list[0]", "only the built-in annotation uses Grafana's own data source")
					default:
						t.Errorf("%s still refers to %v", path, v)
					}
				}
			}
		})
	}
}

// TestRetargetKeepsQueriesVerbatim: removing every data source reference (and the export header and the data
// source variables' selection) from both versions leaves identical dashboards, so queries, legends, options and
// layout are untouched.
func TestRetargetKeepsQueriesVerbatim(t *testing.T) {
	for _, name := range communityDashboards {
		t.Run(name, func(t *testing.T) {
			before, after, _ := retargeted(t, name)
			exprs := queries(before, "")
			require.NotEmpty(t, exprs)
			assert.Equal(t, exprs, queries(after, ""))
			assert.Equal(t, withoutReferences(before), withoutReferences(after))
		})
	}
}

func TestRetargetChanges(t *testing.T) {
	_, kube, changes := retargeted(t, "kube-state-metrics.json")
	paths := map[string]Change{}
	for _, c := range changes {
		paths[c.Path] = c
	}
	assert.Equal(t, `"${DS_PROMETHEUS}"`, paths["panels[6].panels[0].datasource"].From, "legacy string inside a collapsed row")
	assert.Equal(t, `{"type":"grafana-amazonprometheus-datasource","uid":"amp-prod"}`, paths["panels[6].panels[0].datasource"].To)
	assert.Contains(t, paths, "panels[6].panels[1].targets[0].datasource")
	assert.Contains(t, paths, "annotations.list[1].datasource")
	assert.NotContains(t, paths, "annotations.list[0].datasource")
	assert.Contains(t, paths, "templating.list[0].datasource")
	assert.Contains(t, paths, "__inputs[0]")
	requires := kube["__requires"].([]any)[1].(map[string]any)
	assert.Equal(t, map[string]any{"type": "datasource", "id": PluginType, "name": pluginName, "version": "1.0.0"}, requires)
	assert.Len(t, changes, 20, "the export input, two __requires fields and 17 references")

	_, node, changes := retargeted(t, "node-exporter-full.json")
	paths = map[string]Change{}
	for _, c := range changes {
		paths[c.Path] = c
	}
	variable := node["templating"].(map[string]any)["list"].([]any)[0].(map[string]any)
	assert.Equal(t, PluginType, variable["query"], "the data source variable now lists this plugin's data sources")
	assert.Equal(t, map[string]any{"selected": true, "text": "AMP prod", "value": "amp-prod"}, variable["current"])
	assert.Equal(t, `{"type":"grafana-amazonprometheus-datasource","uid":"${datasource}"}`, paths["panels[1].targets[0].datasource"].To,
		"references through the variable keep it")
	assert.Equal(t, `{"type":"grafana-amazonprometheus-datasource","uid":"$datasource"}`, paths["panels[2].datasource"].To,
		"a typeless variable reference gets the type")
	assert.Equal(t, `"Prometheus"`, paths["panels[3].datasource"].From, "legacy data source name")
	assert.Equal(t, `{"type":"grafana-amazonprometheus-datasource","uid":"amp-prod"}`, paths["templating.list[3].datasource"].To)
	assert.Equal(t, `{"type":"grafana-amazonprometheus-datasource","uid":"${datasource}"}`, paths["panels[6].panels[1].targets[0].datasource"].To)
	assert.NotContains(t, paths, "templating.list[4].datasource", "custom variables have no data source")
}

func TestRetargetIsIdempotent(t *testing.T) {
	for _, name := range communityDashboards {
		_, after, _ := retargeted(t, name)
		rt := &Retargeter{UID: "amp-prod", Name: "AMP prod", Prometheus: map[string]bool{"Prometheus": true}}
		changes := rt.Retarget(after)
		for _, c := range changes {
			assert.True(t, strings.HasSuffix(c.Path, ".current"), "%s: only the variable selection is rewritten again: %s", name, c)
		}
	}
}

// datasourceRefs returns every "datasource" value in a dashboard, by path.
func datasourceRefs(v any, path string) map[string]any {
	out := map[string]any{}
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if k == "datasource" && child != nil {
				out[path+"."+k] = child
			}
			for p, r := range datasourceRefs(child, path+"."+k) {
				out[p] = r
			}
		}
	case []any:
		for i, child := range x {
			for p, r := range datasourceRefs(child, path+"["+strconv.Itoa(i)+"]") {
				out[p] = r
			}
		}
	}
	return out
}

// queries collects every expr and variable query in document order.
func queries(v any, path string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"expr", "query", "definition"} {
			if s, ok := x[k].(string); ok && x["type"] != "datasource" {
				out = append(out, path+"."+k+"="+s)
			}
		}
		for _, k := range []string{"annotations", "list", "panels", "targets", "templating", "query"} {
			out = append(out, queries(x[k], path+"."+k)...)
		}
	case []any:
		for i, child := range x {
			out = append(out, queries(child, path+"["+strconv.Itoa(i)+"]")...)
		}
	}
	return out
}

func withoutReferences(dash map[string]any) map[string]any {
	raw, _ := json.Marshal(dash)
	var copied map[string]any
	_ = json.Unmarshal(raw, &copied)
	delete(copied, "__inputs")
	delete(copied, "__requires")
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "datasource")
			if x["type"] == "datasource" && x["name"] != nil {
				delete(x, "query")
				delete(x, "current")
				delete(x, "options")
			}
			for _, child := range x {
				strip(child)
			}
		case []any:
			for _, child := range x {
				strip(child)
			}
		}
	}
	strip(copied)
	return copied
}
