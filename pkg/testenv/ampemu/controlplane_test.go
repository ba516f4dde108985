package ampemu_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/amp"
	"github.com/aws/aws-sdk-go-v2/service/amp/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

var cpWorkspaces = []ampemu.WorkspaceInfo{
	{ID: "ws-1", Alias: "prod-east", CreatedAt: time.Date(2025, 5, 6, 7, 8, 9, 500e6, time.UTC)},
	{ID: "ws-2", Alias: "prod-west", Status: ampemu.StatusCreating},
	{ID: "ws-3"},
}

func startControlPlane(t *testing.T, cfg ampemu.ControlPlaneConfig) *ampemu.ControlPlane {
	t.Helper()
	cfg.Region = testRegion
	cfg.Keys = append(cfg.Keys, adminKey, labelsKey)
	cp, err := ampemu.StartControlPlane(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, cp.Close()) })
	return cp
}

// ampClient is the real SDK client pointed at the emulator, as AWS_ENDPOINT_URL_AMP would point it.
func ampClient(cp *ampemu.ControlPlane, k ampemu.Key) *amp.Client {
	return amp.NewFromConfig(aws.Config{
		Region:           testRegion,
		Credentials:      credentials.NewStaticCredentialsProvider(k.AccessKeyID, k.SecretAccessKey, k.SessionToken),
		BaseEndpoint:     aws.String(cp.URL()),
		RetryMaxAttempts: 1,
	})
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func TestControlPlaneListsWorkspacesInPages(t *testing.T) {
	cp := startControlPlane(t, ampemu.ControlPlaneConfig{Workspaces: cpWorkspaces, PageSize: 2})
	pages := amp.NewListWorkspacesPaginator(ampClient(cp, adminKey), &amp.ListWorkspacesInput{MaxResults: aws.Int32(100)})
	var got []types.WorkspaceSummary
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		require.NoError(t, err)
		got = append(got, page.Workspaces...)
	}
	require.Len(t, got, 3)
	assert.Equal(t, "ws-1", aws.ToString(got[0].WorkspaceId))
	assert.Equal(t, "prod-east", aws.ToString(got[0].Alias))
	assert.Equal(t, types.WorkspaceStatusCodeActive, got[0].Status.StatusCode)
	assert.Equal(t, "arn:aws:aps:eu-west-1:123456789012:workspace/ws-1", aws.ToString(got[0].Arn))
	assert.Equal(t, time.Date(2025, 5, 6, 7, 8, 9, 500e6, time.UTC), got[0].CreatedAt.UTC())
	assert.Equal(t, types.WorkspaceStatusCodeCreating, got[1].Status.StatusCode)
	assert.Nil(t, got[2].Alias, "a workspace without alias has none on the wire")

	records := cp.Requests()
	require.Len(t, records, 2)
	assert.Equal(t, "maxResults=100", records[0].RawQuery)
	assert.Equal(t, "maxResults=100&nextToken=emu-offset-2", records[1].RawQuery)
	assert.Equal(t, adminKey.AccessKeyID, records[1].AccessKeyID)
	assert.Equal(t, http.StatusOK, records[1].Status)
}

func TestControlPlaneAliasPrefixFilter(t *testing.T) {
	cp := startControlPlane(t, ampemu.ControlPlaneConfig{Workspaces: cpWorkspaces})
	out, err := ampClient(cp, adminKey).ListWorkspaces(context.Background(), &amp.ListWorkspacesInput{Alias: aws.String("prod-w")})
	require.NoError(t, err)
	require.Len(t, out.Workspaces, 1)
	assert.Equal(t, "ws-2", aws.ToString(out.Workspaces[0].WorkspaceId))
	assert.Nil(t, out.NextToken)
}

func TestControlPlaneDescribesWorkspaces(t *testing.T) {
	cp := startControlPlane(t, ampemu.ControlPlaneConfig{Workspaces: cpWorkspaces})
	c := ampClient(cp, adminKey)
	out, err := c.DescribeWorkspace(context.Background(), &amp.DescribeWorkspaceInput{WorkspaceId: aws.String("ws-1")})
	require.NoError(t, err)
	assert.Equal(t, "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/", aws.ToString(out.Workspace.PrometheusEndpoint))
	assert.Equal(t, "prod-east", aws.ToString(out.Workspace.Alias))
	assert.Equal(t, types.WorkspaceStatusCodeActive, out.Workspace.Status.StatusCode)

	cp.SetWorkspaces([]ampemu.WorkspaceInfo{{ID: "ws-new", Status: ampemu.StatusCreationFailed}})
	out, err = c.DescribeWorkspace(context.Background(), &amp.DescribeWorkspaceInput{WorkspaceId: aws.String("ws-new")})
	require.NoError(t, err)
	assert.Equal(t, types.WorkspaceStatusCodeCreationFailed, out.Workspace.Status.StatusCode)

	_, err = c.DescribeWorkspace(context.Background(), &amp.DescribeWorkspaceInput{WorkspaceId: aws.String("ws-1")})
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)
	assert.Contains(t, notFound.ErrorMessage(), "ws-1")
}

func TestControlPlaneRefusals(t *testing.T) {
	listOnly := ampemu.Key{AccessKeyID: "AKIALISTONLY", SecretAccessKey: "list-secret", Actions: []string{ampemu.ActionListWorkspaces}}
	tests := []struct {
		name   string
		key    ampemu.Key
		fault  *ampemu.Fault
		call   func(*amp.Client) error
		code   string
		status int
	}{
		{name: "list without aps:ListWorkspaces", key: labelsKey, code: ampemu.TypeAccessDenied, status: http.StatusForbidden,
			call: listCall(nil)},
		{name: "describe without aps:DescribeWorkspace", key: listOnly, code: ampemu.TypeAccessDenied, status: http.StatusForbidden,
			call: describeCall("ws-1")},
		{name: "wrong secret", key: ampemu.Key{AccessKeyID: adminKey.AccessKeyID, SecretAccessKey: "wrong"},
			code: ampemu.TypeInvalidSignature, status: http.StatusForbidden, call: listCall(nil)},
		{name: "maxResults out of range", key: adminKey, code: ampemu.TypeValidation, status: http.StatusBadRequest,
			call: listCall(aws.Int32(5000))},
		{name: "throttling fault", key: adminKey, fault: &ampemu.Fault{PathSuffix: "/workspaces", Status: http.StatusTooManyRequests,
			ErrorType: ampemu.TypeThrottling, Body: `{"message":"Rate exceeded"}`, Times: 1},
			code: ampemu.TypeThrottling, status: http.StatusTooManyRequests, call: listCall(nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp := startControlPlane(t, ampemu.ControlPlaneConfig{Workspaces: cpWorkspaces, Keys: []ampemu.Key{listOnly}})
			if tc.fault != nil {
				cp.Inject(*tc.fault)
			}
			err := tc.call(ampClient(cp, tc.key))
			require.Error(t, err)
			assert.Equal(t, tc.code, errorCode(err))
			records := cp.Requests()
			require.Len(t, records, 1)
			assert.Equal(t, tc.status, records[0].Status)
			assert.Equal(t, tc.code, records[0].ErrorType)
		})
	}
}

func listCall(maxResults *int32) func(*amp.Client) error {
	return func(c *amp.Client) error {
		_, err := c.ListWorkspaces(context.Background(), &amp.ListWorkspacesInput{MaxResults: maxResults})
		return err
	}
}

func describeCall(id string) func(*amp.Client) error {
	return func(c *amp.Client) error {
		_, err := c.DescribeWorkspace(context.Background(), &amp.DescribeWorkspaceInput{WorkspaceId: aws.String(id)})
		return err
	}
}

func TestControlPlaneUnknownRoutes(t *testing.T) {
	cp := startControlPlane(t, ampemu.ControlPlaneConfig{})
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/workspaces/ws-1/api/v1/query"},
		{http.MethodPost, "/workspaces"},
		{http.MethodGet, "/scrapers"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, cp.URL()+tc.path, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			assert.Equal(t, "UnknownOperationException", resp.Header.Get(ampemu.HeaderErrorType))
		})
	}
	cp.Reset()
	assert.Empty(t, cp.Requests())
}

func TestControlPlaneConfigValidation(t *testing.T) {
	_, err := ampemu.NewControlPlane(ampemu.ControlPlaneConfig{})
	require.ErrorContains(t, err, "Region is required")
	_, err = ampemu.NewControlPlane(ampemu.ControlPlaneConfig{Region: testRegion, Keys: []ampemu.Key{{AccessKeyID: "x"}}})
	require.ErrorContains(t, err, "needs AccessKeyID and SecretAccessKey")
}
