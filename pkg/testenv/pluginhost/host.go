// Package pluginhost runs a built backend plugin executable the way Grafana
// does: as a child process over hashicorp/go-plugin gRPC, with Grafana's
// handshake, environment and per-request PluginContext. It also reads
// Grafana's data source provisioning files into those PluginContexts.
package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
)

// LaunchOptions configures Launch.
type LaunchOptions struct {
	// Env is the environment of the plugin process. Default os.Environ(),
	// which is what go-plugin forwards under Grafana. It is appended after
	// the variables Grafana itself sets (GrafanaPluginEnv), so entries here
	// win.
	Env []string
	// Stderr receives the plugin's log output (JSON lines). Default: discarded.
	Stderr io.Writer
	// StartTimeout bounds the handshake. Default 15s, shortened to the
	// context deadline if that comes first.
	StartTimeout time.Duration
}

// Plugin is a running plugin process with gRPC clients for the services
// Grafana dispenses.
type Plugin struct {
	client      *plugin.Client
	pid         int
	diagnostics grpcplugin.DiagnosticsClient
	data        grpcplugin.DataClient
	resource    grpcplugin.ResourceClient
}

const defaultStartTimeout = 15 * time.Second

// Handshake is the go-plugin handshake Grafana uses for backend plugins.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// Plugin names Grafana dispenses; they must match the plugin side's set.
const (
	diagnosticsPlugin = "diagnostics"
	dataPlugin        = "data"
	resourcePlugin    = "resource"
)

// Launch starts executable and completes the go-plugin handshake. The
// returned Plugin must be closed.
func Launch(ctx context.Context, executable string, opts LaunchOptions) (*Plugin, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = defaultStartTimeout
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < timeout {
		timeout = time.Until(deadline)
	}

	cmd := exec.Command(executable)
	cmd.Env = append(GrafanaPluginEnv(), opts.Env...)
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				diagnosticsPlugin: &grpcplugin.DiagnosticsGRPCPlugin{},
				dataPlugin:        &grpcplugin.DataGRPCPlugin{},
				resourcePlugin:    &grpcplugin.ResourceGRPCPlugin{},
			},
		},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     timeout,
		Stderr:           opts.Stderr,
		// Env already holds the host environment (or the caller's choice),
		// so go-plugin must not append os.Environ() again.
		SkipHostEnv: true,
		// Plugin log lines are copied raw to Stderr; the host logger only
		// reports go-plugin's own failures.
		Logger: hclog.New(&hclog.LoggerOptions{Name: "pluginhost", Output: opts.Stderr, Level: hclog.Error}),
	})

	p, err := connect(client)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("launch plugin %s: %w", executable, err)
	}
	p.pid = cmd.Process.Pid
	return p, nil
}

func connect(client *plugin.Client) (*Plugin, error) {
	rpc, err := client.Client()
	if err != nil {
		return nil, err
	}
	p := &Plugin{client: client}
	if p.diagnostics, err = dispense[grpcplugin.DiagnosticsClient](rpc, diagnosticsPlugin); err != nil {
		return nil, err
	}
	if p.data, err = dispense[grpcplugin.DataClient](rpc, dataPlugin); err != nil {
		return nil, err
	}
	if p.resource, err = dispense[grpcplugin.ResourceClient](rpc, resourcePlugin); err != nil {
		return nil, err
	}
	return p, nil
}

func dispense[T any](rpc plugin.ClientProtocol, name string) (T, error) {
	var zero T
	raw, err := rpc.Dispense(name)
	if err != nil {
		return zero, fmt.Errorf("dispense %s: %w", name, err)
	}
	c, ok := raw.(T)
	if !ok {
		return zero, fmt.Errorf("dispense %s: unexpected client type %T", name, raw)
	}
	return c, nil
}

// Pid returns the plugin process id.
func (p *Plugin) Pid() int {
	return p.pid
}

// Exited reports whether the plugin process has exited.
func (p *Plugin) Exited() bool {
	return p.client.Exited()
}

// Close shuts the plugin down (gracefully, then by kill after two seconds)
// and waits until the process has been reaped.
func (p *Plugin) Close() error {
	p.client.Kill()
	if !p.client.Exited() {
		return errors.New("plugin process did not exit")
	}
	return nil
}
