package resources

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/amp"
	"github.com/aws/aws-sdk-go-v2/service/amp/types"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// Control-plane limits. AMP's workspace management APIs allow 5 requests per second (burst 5) per account and
// region, shared with every other tool, so the plugin stays below that and caches answers.
const (
	controlPlaneRate    = 5
	controlPlaneBurst   = 5
	discoveryCacheTTL   = 60 * time.Second
	controlPlaneTimeout = 30 * time.Second
	listPageSize        = 100
	// maxListPages bounds a listing; AMP's default quota is 25 workspaces per region.
	maxListPages = 50
)

// WorkspaceSummary is one entry of GET workspaces.
type WorkspaceSummary struct {
	ID     string `json:"id"`
	Alias  string `json:"alias"`
	Status string `json:"status"`
	ARN    string `json:"arn"`
	// CreatedAt is RFC 3339 in UTC, or "" when AWS did not say.
	CreatedAt string `json:"createdAt"`
	// Selectable is false for workspaces that are not ACTIVE (creating, updating, deleting, failed).
	Selectable bool `json:"selectable"`
}

// WorkspaceDetails is the answer of GET workspace.
type WorkspaceDetails struct {
	ID     string `json:"id"`
	Alias  string `json:"alias"`
	Status string `json:"status"`
	// PrometheusEndpoint is the workspace URL to put in the data source URL, with its trailing slash.
	PrometheusEndpoint string `json:"prometheusEndpoint"`
}

var (
	regionParam    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	workspaceParam = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
)

// discovery answers the workspace picker's routes for one instance.
type discovery struct {
	settings *models.Settings
	aws      AWSConfigSource
	explain  func(error) error
	limiter  *limiter
	cache    *ttlCache
}

func newDiscovery(s *models.Settings, src AWSConfigSource, explain func(error) error, now func() time.Time) *discovery {
	return &discovery{
		settings: s,
		aws:      src,
		explain:  explain,
		limiter:  newLimiter(controlPlaneRate, controlPlaneBurst, now),
		cache:    newTTLCache(discoveryCacheTTL, now),
	}
}

func (d *discovery) handle(ctx context.Context, p, rawURL string) *backend.CallResourceResponse {
	q := url.Values{}
	if u, err := url.Parse(rawURL); err == nil {
		q = u.Query()
	}
	if p == "regions" {
		return jsonResponse(http.StatusOK, d.regions())
	}
	if d.aws == nil || d.settings.SigV4 == nil {
		return jsonError(http.StatusBadRequest, "workspace discovery needs SigV4 authentication: turn it on and save, or enter the workspace URL manually")
	}
	region := q.Get("region")
	if region == "" {
		region = d.settings.SigV4.Region
	}
	if !regionParam.MatchString(region) {
		return jsonError(http.StatusBadRequest, fmt.Sprintf("region %q is not an AWS region name, e.g. us-west-2", region))
	}
	ctx, cancel := context.WithTimeout(ctx, controlPlaneTimeout)
	defer cancel()
	if p == "workspaces" {
		list, err := cached(d.cache, "workspaces\x00"+region, func() ([]WorkspaceSummary, error) {
			return d.listWorkspaces(ctx, region)
		})
		if err != nil {
			return d.failure(ctx, err, "aps:ListWorkspaces", region, "")
		}
		return jsonResponse(http.StatusOK, list)
	}
	id := q.Get("id")
	if !workspaceParam.MatchString(id) {
		return jsonError(http.StatusBadRequest, fmt.Sprintf("id %q is not a workspace id, e.g. ws-12345678-abcd-...", id))
	}
	ws, err := cached(d.cache, "workspace\x00"+region+"\x00"+id, func() (WorkspaceDetails, error) {
		return d.describeWorkspace(ctx, region, id)
	})
	if err != nil {
		return d.failure(ctx, err, "aps:DescribeWorkspace", region, id)
	}
	return jsonResponse(http.StatusOK, ws)
}

func (d *discovery) client(ctx context.Context, region string) (*amp.Client, error) {
	cfg, err := d.aws.Config(ctx, region)
	if err != nil {
		return nil, &configError{err: err}
	}
	return amp.NewFromConfig(cfg, func(o *amp.Options) {
		o.Region = region
		// One retry with a short backoff: the caller is a person waiting for a drop-down, and the limiter already
		// keeps the plugin under the quota.
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 2
			so.MaxBackoff = time.Second
		})
	}), nil
}

func (d *discovery) listWorkspaces(ctx context.Context, region string) ([]WorkspaceSummary, error) {
	c, err := d.client(ctx, region)
	if err != nil {
		return nil, err
	}
	out := []WorkspaceSummary{}
	pages := amp.NewListWorkspacesPaginator(c, &amp.ListWorkspacesInput{MaxResults: aws.Int32(listPageSize)})
	for n := 0; pages.HasMorePages() && n < maxListPages; n++ {
		if err := d.limiter.wait(ctx); err != nil {
			return nil, err
		}
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, w := range page.Workspaces {
			out = append(out, summaryOf(w))
		}
	}
	slices.SortFunc(out, func(a, b WorkspaceSummary) int {
		if c := strings.Compare(strings.ToLower(a.Alias), strings.ToLower(b.Alias)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Alias, b.Alias); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (d *discovery) describeWorkspace(ctx context.Context, region, id string) (WorkspaceDetails, error) {
	c, err := d.client(ctx, region)
	if err != nil {
		return WorkspaceDetails{}, err
	}
	if err := d.limiter.wait(ctx); err != nil {
		return WorkspaceDetails{}, err
	}
	out, err := c.DescribeWorkspace(ctx, &amp.DescribeWorkspaceInput{WorkspaceId: aws.String(id)})
	if err != nil {
		return WorkspaceDetails{}, err
	}
	if out.Workspace == nil {
		return WorkspaceDetails{}, errors.New("DescribeWorkspace returned no workspace")
	}
	w := out.Workspace
	return WorkspaceDetails{
		ID:                 aws.ToString(w.WorkspaceId),
		Alias:              aws.ToString(w.Alias),
		Status:             statusOf(w.Status),
		PrometheusEndpoint: aws.ToString(w.PrometheusEndpoint),
	}, nil
}

func summaryOf(w types.WorkspaceSummary) WorkspaceSummary {
	s := WorkspaceSummary{
		ID:     aws.ToString(w.WorkspaceId),
		Alias:  aws.ToString(w.Alias),
		Status: statusOf(w.Status),
		ARN:    aws.ToString(w.Arn),
	}
	if w.CreatedAt != nil {
		s.CreatedAt = w.CreatedAt.UTC().Format(time.RFC3339)
	}
	s.Selectable = s.Status == string(types.WorkspaceStatusCodeActive)
	return s
}

func statusOf(s *types.WorkspaceStatus) string {
	if s == nil {
		return ""
	}
	return string(s.StatusCode)
}
