// Package stack runs the local stack the demo and the end-to-end tests use: a real Prometheus over the project's
// fixture data, the AMP emulator in front of it, and the built plugin executable under a Grafana-style host.
package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/pluginhost"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

// Identity of the emulated workspace. The keys are AWS's documented example keys, not real credentials.
const (
	WorkspaceID     = "ws-12345678-1234-1234-1234-123456789012"
	AccessKeyID     = "AKIAIOSFODNN7EXAMPLE"
	SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	// DefaultRegion is the seed provisioning example's sigV4Region.
	DefaultRegion = "us-east-2"
)

// Options configures Start.
type Options struct {
	// Region is the region the emulator expects signatures for; default DefaultRegion.
	Region string
	// PluginStderr receives the plugin's logs; default discarded.
	PluginStderr io.Writer
	// PluginEnv is added to the plugin's environment (after the AWS variables are cleared).
	PluginEnv []string
}

// Stack is a running local stack.
type Stack struct {
	Root       string
	Region     string
	Prometheus *promserver.Server
	AMP        *ampemu.Emulator
	Plugin     *pluginhost.Plugin
}

// Start starts Prometheus, the emulator and the built plugin. Close stops them.
func Start(ctx context.Context, opts Options) (st *Stack, err error) {
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	root, err := promserver.ModuleRoot()
	if err != nil {
		return nil, err
	}
	exe, err := PluginExecutable(root)
	if err != nil {
		return nil, err
	}
	fixture, err := promserver.DefaultFixturePath()
	if err != nil {
		return nil, err
	}
	st = &Stack{Root: root, Region: opts.Region}
	defer func() {
		if err != nil {
			_ = st.Close()
		}
	}()
	if st.Prometheus, err = promserver.Start(ctx, promserver.Options{Fixture: fixture}); err != nil {
		return nil, err
	}
	st.AMP, err = ampemu.Start(EmulatorConfig(st.Prometheus.URL, opts.Region))
	if err != nil {
		return nil, err
	}
	st.Plugin, err = pluginhost.Launch(ctx, exe, pluginhost.LaunchOptions{
		Env:    append(PluginEnv(), opts.PluginEnv...),
		Stderr: opts.PluginStderr,
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// EmulatorConfig is the stack's emulated workspace (WorkspaceID, signed with AccessKeyID and SecretAccessKey for
// region) in front of the Prometheus at upstream.
func EmulatorConfig(upstream, region string) ampemu.Config {
	return ampemu.Config{
		Upstream:   upstream,
		Region:     region,
		Workspaces: []string{WorkspaceID},
		Keys:       []ampemu.Key{{AccessKeyID: AccessKeyID, SecretAccessKey: SecretAccessKey}},
	}
}

// Close stops everything that was started.
func (s *Stack) Close() error {
	var errs []error
	if s.Plugin != nil {
		errs = append(errs, s.Plugin.Close())
	}
	if s.AMP != nil {
		errs = append(errs, s.AMP.Close())
	}
	if s.Prometheus != nil {
		errs = append(errs, s.Prometheus.Stop())
	}
	return errors.Join(errs...)
}

// WorkspaceURL is the emulated workspace endpoint.
func (s *Stack) WorkspaceURL() string { return s.AMP.WorkspaceURL(WorkspaceID) }

// Lookup expands the variables the provisioning files use against this stack.
func (s *Stack) Lookup(name string) (string, bool) {
	switch name {
	case "AMP_WORKSPACE_URL":
		return s.WorkspaceURL(), true
	case "AMP_REGION":
		return s.Region, true
	case "AMP_ACCESS_KEY_ID":
		return AccessKeyID, true
	case "AMP_SECRET_ACCESS_KEY":
		return SecretAccessKey, true
	}
	return "", false
}

// LoadDataSource reads the first data source of a provisioning file (path relative to the repository root),
// expanding variables against this stack.
func (s *Stack) LoadDataSource(path string) (pluginhost.DataSource, error) {
	all, err := pluginhost.LoadProvisioning(filepath.Join(s.Root, path), s.Lookup)
	if err != nil {
		return pluginhost.DataSource{}, err
	}
	if len(all) == 0 {
		return pluginhost.DataSource{}, fmt.Errorf("%s provisions no data source", path)
	}
	return all[0], nil
}

// PluginExecutable is the built backend for this platform in dist/.
func PluginExecutable(root string) (string, error) {
	exe := filepath.Join(root, "dist", fmt.Sprintf("gpx_amazonprometheus_%s_%s", runtime.GOOS, runtime.GOARCH))
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if _, err := os.Stat(exe); err != nil {
		return "", fmt.Errorf("the plugin is not built (%s is missing): run `go run github.com/magefile/mage build` first", filepath.Base(exe))
	}
	return exe, nil
}

// PluginEnv is this process's environment without AWS variables, so that only what a test sets decides which
// credentials the plugin finds. AWS_CA_BUNDLE in particular makes every grafana-aws-sdk signing call fail.
func PluginEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
}
