// Command echoplugin is a minimal backend data source plugin for the
// pluginhost tests. Every handler answers with what it received, so the
// tests can check exactly what the host delivered over gRPC.
package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

const pluginID = "grafana-echo-datasource"

// instancesCreated counts factory calls, so tests can see when the SDK's
// instance manager rebuilds an instance.
var instancesCreated atomic.Int64

type instance struct {
	serial   int64
	settings backend.DataSourceInstanceSettings
}

func newInstance(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return &instance{serial: instancesCreated.Add(1), settings: s}, nil
}

func (i *instance) CheckHealth(_ context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	pc := req.PluginContext
	log.DefaultLogger.Info("echo health check", "uid", i.settings.UID)
	details := map[string]any{
		"instanceSerial": i.serial,
		"settings": map[string]any{
			"id":               i.settings.ID,
			"uid":              i.settings.UID,
			"name":             i.settings.Name,
			"url":              i.settings.URL,
			"user":             i.settings.User,
			"database":         i.settings.Database,
			"basicAuthEnabled": i.settings.BasicAuthEnabled,
			"basicAuthUser":    i.settings.BasicAuthUser,
			// A string, so that malformed JSON still reaches the test.
			"jsonData":       string(i.settings.JSONData),
			"secureJsonData": i.settings.DecryptedSecureJSONData,
			"lastUpdatedMS":  i.settings.Updated.UnixMilli(),
			"apiVersion":     i.settings.APIVersion,
		},
		"orgId":         pc.OrgID,
		"pluginId":      pc.PluginID,
		"pluginVersion": pc.PluginVersion,
		"namespace":     pc.Namespace,
		"headers":       req.Headers,
		"env":           echoedEnv(),
	}
	if pc.User != nil {
		details["user"] = map[string]string{"login": pc.User.Login, "role": pc.User.Role}
	}
	if pc.GrafanaConfig != nil {
		details["grafanaConfig"] = pc.GrafanaConfig.Config()
	}
	if pc.UserAgent != nil {
		details["userAgent"] = pc.UserAgent.String()
	}
	body, err := json.Marshal(details)
	if err != nil {
		return nil, err
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "echo ok", JSONDetails: body}, nil
}

// echoedEnv returns the variables Grafana sets for plugins plus ECHO_* ones
// that tests pass through LaunchOptions.Env.
func echoedEnv() map[string]string {
	out := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GF_") || strings.HasPrefix(k, "AWS_AUTH_") || strings.HasPrefix(k, "ECHO_") {
			out[k] = v
		}
	}
	return out
}

// QueryData answers each query with a key/value frame named after its refId.
func (i *instance) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		keys := []string{"refId", "queryType", "json", "from", "to", "maxDataPoints", "interval"}
		values := []string{q.RefID, q.QueryType, string(q.JSON),
			q.TimeRange.From.UTC().Format(time.RFC3339), q.TimeRange.To.UTC().Format(time.RFC3339),
			strconv.FormatInt(q.MaxDataPoints, 10), q.Interval.String()}
		for _, name := range sortedKeys(req.Headers) {
			keys = append(keys, "header:"+name)
			values = append(values, req.Headers[name])
		}
		frame := data.NewFrame(q.RefID,
			data.NewField("key", nil, keys),
			data.NewField("value", nil, values),
		)
		resp.Responses[q.RefID] = backend.DataResponse{Frames: data.Frames{frame}}
	}
	return resp, nil
}

// CallResource streams two messages: the echo as JSON, then a trailer chunk.
func (i *instance) CallResource(_ context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	body, err := json.Marshal(map[string]any{
		"path":    req.Path,
		"method":  req.Method,
		"url":     req.URL,
		"body":    string(req.Body),
		"headers": req.Headers,
	})
	if err != nil {
		return err
	}
	err = sender.Send(&backend.CallResourceResponse{
		Status:  http.StatusOK,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
	if err != nil {
		return err
	}
	return sender.Send(&backend.CallResourceResponse{Body: []byte("\n-- end of echo --\n")})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func main() {
	if err := datasource.Manage(pluginID, newInstance, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("echo plugin stopped", "error", err)
		os.Exit(1)
	}
}
