package migrate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// pluginName is this plugin's display name, written into a retargeted export's __requires.
const pluginName = "Amazon Managed Service for Prometheus"

// Retargeter rewrites the Prometheus data source references of a dashboard model to one data source of this
// plugin. It changes only data source references; queries and everything else stay verbatim.
type Retargeter struct {
	// UID and Name identify the target data source (this plugin's type).
	UID, Name string
	// Prometheus holds the names and uids of the organisation's core Prometheus data sources, so legacy string
	// references ("datasource": "Prometheus") and typeless uid references are recognised.
	Prometheus map[string]bool
}

// Change is one rewritten reference.
type Change struct {
	Path     string
	From, To string
}

func (c Change) String() string { return fmt.Sprintf("%s: %s -> %s", c.Path, c.From, c.To) }

// retargetRun is the state of one dashboard's rewrite.
type retargetRun struct {
	rt *Retargeter
	// inputs are the grafana.com export placeholders (${DS_PROMETHEUS}) of Prometheus inputs.
	inputs map[string]bool
	// dsVars are the dashboard's data source variables that select Prometheus data sources.
	dsVars  map[string]bool
	changes []Change
}

// Retarget rewrites dash in place and returns the changes: panel and target datasource references (rows
// included), template variables of type query and datasource, annotations, and an export's __inputs and
// __requires. References through a data source variable keep the variable, which now selects this plugin's
// data sources and defaults to the target.
func (rt *Retargeter) Retarget(dash map[string]any) []Change {
	run := &retargetRun{rt: rt, inputs: map[string]bool{}, dsVars: map[string]bool{}}
	run.exportHeader(dash)
	templating, _ := dash["templating"].(map[string]any)
	variables, _ := templating["list"].([]any)
	for i, v := range variables {
		variable, _ := v.(map[string]any)
		if variable["type"] == "datasource" && variable["query"] == PrometheusType {
			name, _ := variable["name"].(string)
			run.dsVars[name] = true
			path := fmt.Sprintf("templating.list[%d]", i)
			run.set(variable, "query", path+".query", PluginType)
			run.set(variable, "current", path+".current", map[string]any{"selected": true, "text": rt.Name, "value": rt.UID})
			if opts, ok := variable["options"].([]any); ok && len(opts) > 0 {
				run.set(variable, "options", path+".options", []any{})
			}
		}
	}
	for i, v := range variables {
		if variable, ok := v.(map[string]any); ok && variable["type"] != "datasource" {
			run.ref(variable, fmt.Sprintf("templating.list[%d].datasource", i))
		}
	}
	annotations, _ := dash["annotations"].(map[string]any)
	list, _ := annotations["list"].([]any)
	for i, a := range list {
		if annotation, ok := a.(map[string]any); ok {
			run.ref(annotation, fmt.Sprintf("annotations.list[%d].datasource", i))
		}
	}
	run.panels(dash["panels"], "panels")
	rows, _ := dash["rows"].([]any)
	for i, row := range rows {
		if r, ok := row.(map[string]any); ok {
			run.panels(r["panels"], fmt.Sprintf("rows[%d].panels", i))
		}
	}
	return run.changes
}

// exportHeader handles a grafana.com export: Prometheus data source inputs are resolved to the target (and
// dropped from __inputs, which only the import UI reads), and __requires names this plugin.
func (run *retargetRun) exportHeader(dash map[string]any) {
	if inputs, ok := dash["__inputs"].([]any); ok {
		var kept []any
		for i, in := range inputs {
			input, _ := in.(map[string]any)
			if input["type"] == "datasource" && input["pluginId"] == PrometheusType {
				name, _ := input["name"].(string)
				run.inputs["${"+name+"}"], run.inputs["$"+name] = true, true
				run.changes = append(run.changes, Change{Path: fmt.Sprintf("__inputs[%d]", i), From: compact(input), To: "resolved to " + run.rt.UID})
				continue
			}
			kept = append(kept, in)
		}
		if len(kept) == 0 {
			delete(dash, "__inputs")
		} else {
			dash["__inputs"] = kept
		}
	}
	requires, _ := dash["__requires"].([]any)
	for i, rq := range requires {
		if req, ok := rq.(map[string]any); ok && req["type"] == "datasource" && req["id"] == PrometheusType {
			path := fmt.Sprintf("__requires[%d]", i)
			run.set(req, "id", path+".id", PluginType)
			run.set(req, "name", path+".name", pluginName)
		}
	}
}

func (run *retargetRun) panels(v any, path string) {
	list, _ := v.([]any)
	for i, p := range list {
		panel, ok := p.(map[string]any)
		if !ok {
			continue
		}
		at := fmt.Sprintf("%s[%d]", path, i)
		run.ref(panel, at+".datasource")
		targets, _ := panel["targets"].([]any)
		for j, t := range targets {
			if target, ok := t.(map[string]any); ok {
				run.ref(target, fmt.Sprintf("%s.targets[%d].datasource", at, j))
			}
		}
		// Collapsed rows carry their panels inside the row panel.
		run.panels(panel["panels"], at+".panels")
	}
}

// ref rewrites obj["datasource"] when it refers to a Prometheus data source.
func (run *retargetRun) ref(obj map[string]any, path string) {
	v, ok := obj["datasource"]
	if !ok || v == nil {
		return
	}
	target := map[string]any{"type": PluginType, "uid": run.rt.UID}
	switch ref := v.(type) {
	case string:
		if run.inputs[ref] || run.rt.Prometheus[ref] {
			run.set(obj, "datasource", path, target)
		}
	case map[string]any:
		uid, _ := ref["uid"].(string)
		typ, _ := ref["type"].(string)
		switch {
		case run.inputs[uid]:
			run.set(obj, "datasource", path, target)
		case variableName(uid) != "":
			if run.dsVars[variableName(uid)] && (typ == PrometheusType || typ == "") {
				run.set(obj, "datasource", path, map[string]any{"type": PluginType, "uid": uid})
			}
		case typ == PrometheusType, typ == "" && run.rt.Prometheus[uid]:
			run.set(obj, "datasource", path, target)
		}
	}
}

func (run *retargetRun) set(obj map[string]any, key, path string, value any) {
	run.changes = append(run.changes, Change{Path: path, From: compact(obj[key]), To: compact(value)})
	obj[key] = value
}

var variableRef = regexp.MustCompile(`^(?:\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\])$`)

// variableName returns the variable a "$name", "${name}", "${name:fmt}" or "[[name]]" reference names.
func variableName(s string) string {
	m := variableRef.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return strings.Join(m[1:], "")
}

func compact(v any) string {
	if v == nil {
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
