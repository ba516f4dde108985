package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// CheckHealth sends a health check ("Save & test") with the given context.
func (p *Plugin) CheckHealth(ctx context.Context, pc *pluginv2.PluginContext, headers map[string]string) (*pluginv2.CheckHealthResponse, error) {
	return p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc, Headers: headers})
}

// QueryData sends a data query. Frames in the response are Arrow-encoded;
// decode them with data.UnmarshalArrowFrames.
func (p *Plugin) QueryData(ctx context.Context, req *pluginv2.QueryDataRequest) (*pluginv2.QueryDataResponse, error) {
	return p.data.QueryData(ctx, req)
}

// CallResource sends a resource call and collects every message of the
// server stream. The first message carries the status and headers; later
// ones carry further body chunks.
func (p *Plugin) CallResource(ctx context.Context, req *pluginv2.CallResourceRequest) ([]*pluginv2.CallResourceResponse, error) {
	stream, err := p.resource.CallResource(ctx, req)
	if err != nil {
		return nil, err
	}
	var out []*pluginv2.CallResourceResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("receive resource response %d: %w", len(out), err)
		}
		out = append(out, msg)
	}
}
