package awsfake

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	roleARN = "arn:aws:iam::123456789012:role/grafana-amp"
	region  = "us-east-2"
)

var base = Caller{Credentials: Credentials{AccessKeyID: "AKIABASEEXAMPLE00001", SecretAccessKey: "base-secret"}}

func startSTS(t *testing.T, cfg STSConfig) *STS {
	t.Helper()
	s, err := StartSTS(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// stsClient is an SDK STS client pointed at the fake, signing with creds for signRegion.
func stsClient(s *STS, creds Credentials, signRegion string) *sts.Client {
	return sts.New(sts.Options{
		Region:       signRegion,
		BaseEndpoint: aws.String(s.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
		HTTPClient:   &http.Client{Timeout: 5 * time.Second},
	})
}

func apiCode(t *testing.T, err error) string {
	t.Helper()
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "want an API error, got %v", err)
	return apiErr.ErrorCode()
}

func TestSTSAssumeRole(t *testing.T) {
	var mu sync.Mutex
	var issued []Issued
	s := startSTS(t, STSConfig{Region: region, Callers: []Caller{base},
		Roles: []Role{{ARN: roleARN, ExternalID: "ext-123"}},
		OnIssue: func(is Issued) error {
			mu.Lock()
			defer mu.Unlock()
			issued = append(issued, is)
			return nil
		}})
	client := stsClient(s, base.Credentials, region)
	ctx := context.Background()

	out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"),
		ExternalId: aws.String("ext-123"), DurationSeconds: aws.Int32(3600)})
	require.NoError(t, err)
	require.Len(t, issued, 1)
	assert.Equal(t, issued[0].AccessKeyID, aws.ToString(out.Credentials.AccessKeyId))
	assert.Equal(t, issued[0].SessionToken, aws.ToString(out.Credentials.SessionToken))
	assert.Regexp(t, `^ASIA[A-Z2-7]{16}$`, issued[0].AccessKeyID)
	assert.WithinDuration(t, time.Now().Add(time.Hour), aws.ToTime(out.Credentials.Expiration), 5*time.Second)
	assert.Equal(t, "arn:aws:sts::123456789012:assumed-role/grafana-amp/s1", aws.ToString(out.AssumedRoleUser.Arn))

	calls := s.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, ActionAssumeRole, calls[0].Action)
	assert.Equal(t, base.AccessKeyID, calls[0].AccessKeyID)
	assert.Equal(t, region, calls[0].Region)
	assert.Equal(t, "ext-123", calls[0].Form.Get("ExternalId"))
	assert.Equal(t, "3600", calls[0].Form.Get("DurationSeconds"))

	// The issued credentials authenticate further STS calls, with their session token.
	tmp := Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
		SessionToken: aws.ToString(out.Credentials.SessionToken)}
	id, err := stsClient(s, tmp, region).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:sts::123456789012:assumed-role/grafana-amp/s1", aws.ToString(id.Arn))
	assert.Equal(t, "123456789012", aws.ToString(id.Account))

	tmp.SessionToken = ""
	_, err = stsClient(s, tmp, region).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	assert.Equal(t, "InvalidClientTokenId", apiCode(t, err), "temporary keys need their token")
}

func TestSTSRejections(t *testing.T) {
	s := startSTS(t, STSConfig{Region: region, Callers: []Caller{base, {Credentials: Credentials{AccessKeyID: "AKIAOTHER00000000001", SecretAccessKey: "x"}}},
		Roles: []Role{{ARN: roleARN, ExternalID: "ext-123", Trusted: []string{base.AccessKeyID}}}})
	ctx := context.Background()
	assume := func(c *sts.Client, externalID string) error {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s")}
		if externalID != "" {
			in.ExternalId = aws.String(externalID)
		}
		_, err := c.AssumeRole(ctx, in)
		return err
	}
	tests := []struct {
		name, code string
		err        error
	}{
		{"wrong external id", "AccessDenied", assume(stsClient(s, base.Credentials, region), "nope")},
		{"missing external id", "AccessDenied", assume(stsClient(s, base.Credentials, region), "")},
		{"untrusted caller", "AccessDenied", assume(stsClient(s, Credentials{AccessKeyID: "AKIAOTHER00000000001", SecretAccessKey: "x"}, region), "ext-123")},
		{"unknown key", "InvalidClientTokenId", assume(stsClient(s, Credentials{AccessKeyID: "AKIAUNKNOWN000000001", SecretAccessKey: "x"}, region), "ext-123")},
		{"wrong secret", "SignatureDoesNotMatch", assume(stsClient(s, Credentials{AccessKeyID: base.AccessKeyID, SecretAccessKey: "wrong"}, region), "ext-123")},
		{"wrong region", "SignatureDoesNotMatch", assume(stsClient(s, base.Credentials, "eu-west-1"), "ext-123")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			assert.Equal(t, tc.code, apiCode(t, tc.err))
		})
	}
	assert.Equal(t, len(tests), s.Count(ActionAssumeRole))
	for _, c := range s.Calls() {
		assert.Equal(t, http.StatusForbidden, c.Status)
	}

	s.DenyCallerIdentity(true)
	_, err := stsClient(s, base.Credentials, region).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	assert.Equal(t, "AccessDenied", apiCode(t, err))
	s.DenyCallerIdentity(false)
	id, err := stsClient(s, base.Credentials, region).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:iam::123456789012:user/"+base.AccessKeyID, aws.ToString(id.Arn))
}

func TestSTSWebIdentity(t *testing.T) {
	s := startSTS(t, STSConfig{Roles: []Role{{ARN: roleARN, WebIdentityToken: "oidc-token"}}, Lifetime: time.Minute})
	client := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(s.URL())})
	in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("pod"), WebIdentityToken: aws.String("oidc-token")}
	out, err := client.AssumeRoleWithWebIdentity(context.Background(), in)
	require.NoError(t, err)
	assert.Regexp(t, `^ASIA`, aws.ToString(out.Credentials.AccessKeyId))
	assert.WithinDuration(t, time.Now().Add(time.Minute), aws.ToTime(out.Credentials.Expiration), 2*time.Second, "Lifetime overrides the duration")

	in.WebIdentityToken = aws.String("stolen")
	_, err = client.AssumeRoleWithWebIdentity(context.Background(), in)
	assert.Equal(t, "AccessDenied", apiCode(t, err))
}

func TestIMDS(t *testing.T) {
	creds := NewTemporaryCredentials()
	m, err := StartIMDS(IMDSConfig{Role: "grafana-instance", Credentials: creds})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, m.Close()) })

	provider := ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = imds.New(imds.Options{Endpoint: m.URL(), ClientEnableState: imds.ClientEnabled})
	})
	got, err := provider.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, creds.AccessKeyID, got.AccessKeyID)
	assert.Equal(t, creds.SessionToken, got.SessionToken)
	assert.True(t, got.CanExpire)
	assert.Contains(t, m.Requests(), "PUT /latest/api/token", "IMDSv2 session first")
	assert.Contains(t, m.Requests(), "GET /latest/meta-data/iam/security-credentials/grafana-instance")

	resp, err := http.Get(m.URL() + "/latest/meta-data/iam/security-credentials/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "IMDSv1 requests are refused")
}

func TestContainerEndpoint(t *testing.T) {
	creds := NewTemporaryCredentials()
	c, err := StartContainer(ContainerConfig{AuthorizationToken: "pod-identity-token", Credentials: creds})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })

	got, err := endpointcreds.New(c.URL(), func(o *endpointcreds.Options) { o.AuthorizationToken = "pod-identity-token" }).
		Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, creds.AccessKeyID, got.AccessKeyID)
	assert.Equal(t, creds.SecretAccessKey, got.SecretAccessKey)
	assert.Equal(t, creds.SessionToken, got.SessionToken)

	_, err = endpointcreds.New(c.URL(), func(o *endpointcreds.Options) { o.AuthorizationToken = "wrong" }).
		Retrieve(context.Background())
	require.Error(t, err)
	assert.Len(t, c.Requests(), 2)
}
