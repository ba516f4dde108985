package resources

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

const (
	cpRegion  = "us-east-2"
	cpKeyID   = "AKIDCONTROLPLANE"
	cpSecret  = "control/plane+secret"
	cpAmpHost = "https://aps-workspaces.us-east-2.amazonaws.com/workspaces/ws-current/"
)

// staticConfigs is an AWSConfigSource with fixed keys and the emulated control plane as endpoint.
type staticConfigs struct {
	endpoint string
	err      error
}

func (s *staticConfigs) Config(_ context.Context, region string) (aws.Config, error) {
	if s.err != nil {
		return aws.Config{}, s.err
	}
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(cpKeyID, cpSecret, ""),
		BaseEndpoint: aws.String(s.endpoint),
	}, nil
}

var sigv4Keys = map[string]any{"sigV4Auth": true, "sigV4AuthType": "keys"}

var testWorkspaces = []ampemu.WorkspaceInfo{
	{ID: "ws-b", Alias: "beta", CreatedAt: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)},
	{ID: "ws-none", Status: ampemu.StatusCreating},
	{ID: "ws-a2", Alias: "Alpha"},
	{ID: "ws-a1", Alias: "alpha", Status: ampemu.StatusDeleting},
	{ID: "ws-c", Alias: "gamma", Status: ampemu.StatusUpdating},
}

// controlPlane serves an emulated control plane and returns a Handler that discovers through it.
func controlPlane(t *testing.T, cfg ampemu.ControlPlaneConfig, actions []string) (*ampemu.ControlPlane, *Handler, *testClock) {
	t.Helper()
	cfg.Region = cpRegion
	cfg.Keys = []ampemu.Key{{AccessKeyID: cpKeyID, SecretAccessKey: cpSecret, Actions: actions}}
	cp, err := ampemu.NewControlPlane(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(cp)
	t.Cleanup(srv.Close)
	clock := &testClock{}
	h := New(Options{Settings: settingsFor(t, cpAmpHost, sigv4Keys), AWS: &staticConfigs{endpoint: srv.URL}, Now: clock.now})
	return cp, h, clock
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v), string(body))
	return v
}

func TestRegions(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		jsonData map[string]any
		want     string
	}{
		{"region of the workspace URL", "https://aps-workspaces.me-central-1.amazonaws.com/workspaces/ws-1/", sigv4Keys, "me-central-1"},
		{"signing region of a proxy URL", "http://127.0.0.1:1/", map[string]any{"sigV4Auth": true, "sigV4AuthType": "keys",
			"sigV4Region": "il-central-1"}, "il-central-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := New(Options{Settings: settingsFor(t, tc.url, tc.jsonData)})
			resp := handle(h, call{path: "regions"})
			require.Equal(t, http.StatusOK, resp.Status)
			regions := decode[[]string](t, resp.Body)
			assert.Contains(t, regions, tc.want)
			assert.Contains(t, regions, "us-east-1")
			assert.IsNonDecreasing(t, regions)
			assert.Len(t, regions, len(ampRegions)+1)
		})
	}
}

func TestListWorkspaces(t *testing.T) {
	cp, h, clock := controlPlane(t, ampemu.ControlPlaneConfig{Workspaces: testWorkspaces, PageSize: 2}, nil)
	resp := handle(h, call{path: "workspaces", rawQuery: "region=" + cpRegion})
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	got := decode[[]WorkspaceSummary](t, resp.Body)
	want := []WorkspaceSummary{
		{ID: "ws-none", Status: "CREATING", ARN: "arn:aws:aps:us-east-2:123456789012:workspace/ws-none", CreatedAt: "2026-01-01T00:00:00Z"},
		{ID: "ws-a2", Alias: "Alpha", Status: "ACTIVE", ARN: "arn:aws:aps:us-east-2:123456789012:workspace/ws-a2", CreatedAt: "2026-01-01T00:00:00Z", Selectable: true},
		{ID: "ws-a1", Alias: "alpha", Status: "DELETING", ARN: "arn:aws:aps:us-east-2:123456789012:workspace/ws-a1", CreatedAt: "2026-01-01T00:00:00Z"},
		{ID: "ws-b", Alias: "beta", Status: "ACTIVE", ARN: "arn:aws:aps:us-east-2:123456789012:workspace/ws-b", CreatedAt: "2025-03-04T05:06:07Z", Selectable: true},
		{ID: "ws-c", Alias: "gamma", Status: "UPDATING", ARN: "arn:aws:aps:us-east-2:123456789012:workspace/ws-c", CreatedAt: "2026-01-01T00:00:00Z"},
	}
	assert.Equal(t, want, got)

	records := cp.Requests()
	require.Len(t, records, 3, "five workspaces in pages of two")
	for i, wantToken := range []string{"", "emu-offset-2", "emu-offset-4"} {
		q, err := url.ParseQuery(records[i].RawQuery)
		require.NoError(t, err)
		assert.Equal(t, "100", q.Get("maxResults"))
		assert.Equal(t, wantToken, q.Get("nextToken"))
		assert.Equal(t, cpKeyID, records[i].AccessKeyID, "signed and verified")
	}

	resp = handle(h, call{path: "workspaces", rawQuery: "region=" + cpRegion})
	require.Equal(t, http.StatusOK, resp.Status)
	assert.Len(t, cp.Requests(), 3, "the second listing comes from the cache")
	resp = handle(h, call{path: "workspaces"})
	require.Equal(t, http.StatusOK, resp.Status)
	assert.Len(t, cp.Requests(), 3, "no region means the signing region, which is cached too")

	clock.advance(discoveryCacheTTL)
	resp = handle(h, call{path: "workspaces", rawQuery: "region=" + cpRegion})
	require.Equal(t, http.StatusOK, resp.Status)
	assert.Len(t, cp.Requests(), 6, "after the TTL the list is fetched again")
}

func TestDescribeWorkspace(t *testing.T) {
	cp, h, _ := controlPlane(t, ampemu.ControlPlaneConfig{Workspaces: testWorkspaces, DataPlaneURL: "http://127.0.0.1:9/"}, nil)
	resp := handle(h, call{path: "workspace", rawQuery: "region=us-east-2&id=ws-b"})
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	assert.Equal(t, WorkspaceDetails{ID: "ws-b", Alias: "beta", Status: "ACTIVE",
		PrometheusEndpoint: "http://127.0.0.1:9/workspaces/ws-b/"}, decode[WorkspaceDetails](t, resp.Body))
	resp = handle(h, call{path: "workspace", rawQuery: "region=us-east-2&id=ws-b"})
	require.Equal(t, http.StatusOK, resp.Status)
	require.Len(t, cp.Requests(), 1, "cached")
	assert.Equal(t, "/workspaces/ws-b", cp.Requests()[0].Path)

	resp = handle(h, call{path: "workspace", rawQuery: "region=us-east-2&id=ws-missing"})
	assert.Equal(t, http.StatusNotFound, resp.Status)
	e := errorOf(t, resp)
	assert.Equal(t, "workspace ws-missing was not found in region us-east-2", e.Message)
	assert.Equal(t, "ResourceNotFoundException", e.ErrorType)
}

func TestDiscoveryFailures(t *testing.T) {
	listOnly := []string{ampemu.ActionListWorkspaces}
	tests := []struct {
		name    string
		actions []string
		fault   *ampemu.Fault
		call    call
		status  int
		message string
	}{
		{name: "list denied", actions: []string{ampemu.ActionDescribeWorkspace}, call: call{path: "workspaces"},
			status: http.StatusForbidden, message: "missing aps:ListWorkspaces permission — enter the workspace URL manually"},
		{name: "describe denied", actions: listOnly, call: call{path: "workspace", rawQuery: "id=ws-b"},
			status: http.StatusForbidden, message: "missing aps:DescribeWorkspace permission — enter the workspace URL manually"},
		{name: "throttled", fault: &ampemu.Fault{Status: http.StatusTooManyRequests, ErrorType: ampemu.TypeThrottling,
			Body: `{"message":"Rate exceeded"}`}, call: call{path: "workspaces"},
			status: http.StatusTooManyRequests, message: "AWS throttled the workspace lookup"},
		{name: "internal error", fault: &ampemu.Fault{Status: http.StatusInternalServerError, ErrorType: ampemu.TypeInternalServer,
			Body: `{"message":"oops"}`}, call: call{path: "workspaces"},
			status: http.StatusBadGateway, message: "InternalServerException: oops"},
		{name: "signature mismatch quoting the canonical request", fault: &ampemu.Fault{Status: http.StatusForbidden, ErrorType: ampemu.TypeInvalidSignature,
			Body: `{"message":"The request signature we calculated does not match.\n\nThe Canonical String for this request should have been\n'x-amz-security-token:tok'"}`},
			call: call{path: "workspaces"}, status: http.StatusForbidden, message: "(InvalidSignatureException: The request signature we calculated does not match.)"},
		{name: "region of another partition of the emulator", call: call{path: "workspaces", rawQuery: "region=eu-west-1"},
			status: http.StatusForbidden, message: "AWS rejected the data source's credentials (InvalidSignatureException"},
		{name: "bad region", call: call{path: "workspaces", rawQuery: "region=moon"},
			status: http.StatusBadRequest, message: `region "moon" is not an AWS region name`},
		{name: "bad id", call: call{path: "workspace", rawQuery: "id=../x"},
			status: http.StatusBadRequest, message: `id "../x" is not a workspace id`},
		{name: "POST", call: call{method: http.MethodPost, path: "workspaces"},
			status: http.StatusMethodNotAllowed, message: "workspaces only accepts GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp, h, _ := controlPlane(t, ampemu.ControlPlaneConfig{Workspaces: testWorkspaces}, tc.actions)
			if tc.fault != nil {
				cp.Inject(*tc.fault)
			}
			resp := handle(h, tc.call)
			assert.Equal(t, tc.status, resp.Status)
			assert.Contains(t, errorOf(t, resp).Message, tc.message)
			assert.NotContains(t, string(resp.Body), "Canonical String", "only the first line of an AWS message is shown")
			if tc.fault == nil {
				return
			}
			cp.ClearFaults()
			resp = handle(h, tc.call)
			assert.Equal(t, http.StatusOK, resp.Status, "a failure is not cached")
		})
	}
}

func TestDiscoveryWithoutAWS(t *testing.T) {
	t.Run("SigV4 off", func(t *testing.T) {
		h := New(Options{Settings: settingsFor(t, "http://127.0.0.1:1/", nil), AWS: &staticConfigs{}})
		resp := handle(h, call{path: "workspaces", rawQuery: "region=us-east-1"})
		assert.Equal(t, http.StatusBadRequest, resp.Status)
		assert.Contains(t, errorOf(t, resp).Message, "needs SigV4 authentication")
	})
	t.Run("credentials cannot be loaded", func(t *testing.T) {
		src := &staticConfigs{err: errors.New("trying to use non-allowed auth method keys")}
		h := New(Options{Settings: settingsFor(t, cpAmpHost, sigv4Keys), AWS: src})
		resp := handle(h, call{path: "workspaces"})
		assert.Equal(t, http.StatusBadRequest, resp.Status)
		assert.Equal(t, "loading AWS credentials for the control plane: trying to use non-allowed auth method keys",
			errorOf(t, resp).Message)
	})
}
