package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
)

// Query is one query as Grafana's query API would send it.
type Query struct {
	RefID         string
	From, To      time.Time
	IntervalMs    int64
	MaxDataPoints int64
	// Model is the query JSON (expr, range, instant, legendFormat, ...).
	Model map[string]any
}

// Response is one decoded per-query answer.
type Response struct {
	Frames      data.Frames
	Error       string
	Status      int
	ErrorSource string
}

// QueryData sends queries for the data source through the plugin and decodes the Arrow frames.
func (s *Stack) QueryData(ctx context.Context, ds pluginhost.DataSource, grafanaConfig, headers map[string]string, queries ...Query) (map[string]Response, error) {
	req := &pluginv2.QueryDataRequest{PluginContext: ds.PluginContext(grafanaConfig), Headers: headers}
	for _, q := range queries {
		model := map[string]any{"refId": q.RefID}
		for k, v := range q.Model {
			model[k] = v
		}
		raw, err := json.Marshal(model)
		if err != nil {
			return nil, err
		}
		req.Queries = append(req.Queries, &pluginv2.DataQuery{
			RefId:         q.RefID,
			MaxDataPoints: q.MaxDataPoints,
			IntervalMS:    q.IntervalMs,
			TimeRange:     &pluginv2.TimeRange{FromEpochMS: q.From.UnixMilli(), ToEpochMS: q.To.UnixMilli()},
			Json:          raw,
		})
	}
	resp, err := s.Plugin.QueryData(ctx, req)
	if err != nil {
		return nil, err
	}
	out := map[string]Response{}
	for refID, r := range resp.Responses {
		frames, err := data.UnmarshalArrowFrames(r.Frames)
		if err != nil {
			return nil, fmt.Errorf("decoding the frames of %s: %w", refID, err)
		}
		out[refID] = Response{Frames: frames, Error: r.Error, Status: int(r.Status), ErrorSource: r.ErrorSource}
	}
	return out, nil
}

// CheckHealth runs Save & test for the data source.
func (s *Stack) CheckHealth(ctx context.Context, ds pluginhost.DataSource, grafanaConfig map[string]string) (*pluginv2.CheckHealthResponse, error) {
	return s.Plugin.CheckHealth(ctx, ds.PluginContext(grafanaConfig), nil)
}
