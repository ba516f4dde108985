package signing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/grafana/grafana-aws-sdk/pkg/awsauth"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/proxy"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// ErrSigV4Off is returned by AWSConfigs.Config for a data source that does not use SigV4.
var ErrSigV4Off = errors.New("SigV4 authentication is off for this data source, so it has no AWS credentials: turn on SigV4 auth to call AWS APIs")

// AWSConfigs resolves aws.Config values for a data source's credentials, cached per region.
//
// One AWSConfigs lives as long as its data source instance and serves both the request signer and AWS API calls
// (STS, the AMP control plane), so credentials are resolved once per instance: an assume-role session, an IMDS
// role or a container credential is fetched once and shared by every caller until it is about to expire.
type AWSConfigs struct {
	sigv4    *models.SigV4
	proxy    *proxy.Options
	timeout  time.Duration
	provider awsauth.ConfigProvider
	redactor *Redactor
	// configMu serialises GetConfig: grafana-aws-sdk's cache has no single-flight, so concurrent first calls
	// would each build a config with its own credential cache, and each would call STS.
	configMu sync.Mutex

	mu         sync.Mutex
	refreshers map[*aws.CredentialsCache]*earlyRefresh
}

// NewAWSConfigs returns the config holder for one data source instance. It does no I/O.
func NewAWSConfigs(s *models.Settings, proxy *proxy.Options) *AWSConfigs {
	a := &AWSConfigs{
		proxy:      proxy,
		provider:   awsauth.NewConfigProvider(),
		redactor:   NewRedactor(s),
		refreshers: map[*aws.CredentialsCache]*earlyRefresh{},
	}
	if s != nil && s.SigV4 != nil {
		sv := *s.SigV4
		a.sigv4, a.timeout = &sv, s.Timeout
	}
	return a
}

// Redactor returns the redactor of the data source's secrets, which also knows the credentials resolved so far.
func (a *AWSConfigs) Redactor() *Redactor {
	return a.redactor
}

// Config returns the aws.Config for region ("" = the data source's signing region). It applies Grafana's [aws]
// policy from ctx (allowed auth providers, assume role) exactly as the signer does, and errors clearly when SigV4
// is off.
func (a *AWSConfigs) Config(ctx context.Context, region string) (aws.Config, error) {
	if a.sigv4 == nil {
		return aws.Config{}, backend.DownstreamError(ErrSigV4Off)
	}
	// The policy is checked on every call, before any cache: Grafana may tighten [aws] at any time and the
	// check must fail closed without touching the network.
	if err := checkPolicy(ctx, a.sigv4); err != nil {
		return aws.Config{}, backend.DownstreamError(err)
	}
	if region == "" {
		region = a.sigv4.Region
	}
	if !models.ValidRegion(region) {
		return aws.Config{}, backend.DownstreamError(fmt.Errorf("%q is not an AWS region name; use a region such as us-west-2", region))
	}
	a.configMu.Lock()
	cfg, err := a.provider.GetConfig(ctx, a.authSettings(region))
	a.configMu.Unlock()
	if err != nil {
		return aws.Config{}, backend.DownstreamError(explainConfigError(err, a.sigv4))
	}
	cfg.Credentials = a.refresher(cfg.Credentials)
	return cfg, nil
}

// Credentials resolves the credentials for the signing region, explaining a failure.
func (a *AWSConfigs) Credentials(ctx context.Context) (aws.Credentials, error) {
	cfg, err := a.Config(ctx, "")
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, backend.DownstreamError(explainCredentialsError(err, a.sigv4))
	}
	a.redactor.noteCredentials(creds)
	return creds, nil
}

// authSettings maps the data source's SigV4 settings onto grafana-aws-sdk's, for one region.
func (a *AWSConfigs) authSettings(region string) awsauth.Settings {
	return awsauth.Settings{
		AuthType:           awsauth.AuthType(a.sigv4.AuthType),
		AccessKey:          a.sigv4.AccessKey,
		SecretKey:          a.sigv4.SecretKey,
		SessionToken:       a.sigv4.SessionToken,
		Region:             region,
		CredentialsProfile: a.sigv4.Profile,
		AssumeRoleARN:      a.sigv4.AssumeRoleARN,
		ExternalID:         a.sigv4.ExternalID,
		ProxyOptions:       a.proxy,
		// STS, IMDS and the container endpoint get the data source timeout; without one only the request
		// context would bound them.
		HTTPClient: &http.Client{Timeout: a.timeout, CheckRedirect: checkRedirect},
	}
}

// refresher returns the early-refresh wrapper for a credentials cache, one per cache, so that every config copy
// handed out shares its refresh lock. Providers that are not caches (none in practice: the SDK caches every
// provider it builds) are returned as they are.
func (a *AWSConfigs) refresher(p aws.CredentialsProvider) aws.CredentialsProvider {
	cache, ok := p.(*aws.CredentialsCache)
	if !ok {
		return p
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.refreshers[cache]
	if !ok {
		r = &earlyRefresh{cache: cache, onRetrieve: a.redactor.noteCredentials}
		a.refreshers[cache] = r
	}
	return r
}
