package signing

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// CallerIdentity returns the ARN the data source's credentials authenticate as (sts:GetCallerIdentity, which
// IAM policies cannot deny, through the regional STS endpoint). It makes a single attempt: it is informational,
// and the caller bounds it with ctx.
func (a *AWSConfigs) CallerIdentity(ctx context.Context) (string, error) {
	cfg, err := a.Config(ctx, "")
	if err != nil {
		return "", err
	}
	out, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.RetryMaxAttempts = 1 }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Arn), nil
}

// STSEndpointConfigured reports whether the process configures an STS endpoint itself (AWS_ENDPOINT_URL_STS or
// AWS_ENDPOINT_URL), for example a VPC endpoint or a test double, instead of AWS's public one.
func STSEndpointConfigured() bool {
	return os.Getenv("AWS_ENDPOINT_URL_STS") != "" || os.Getenv("AWS_ENDPOINT_URL") != ""
}

// CredentialSourceName says in words where credentials came from, from aws.Credentials.Source.
func CredentialSourceName(source string) string {
	switch {
	case source == credentials.StaticCredentialsName:
		return "static keys"
	case source == config.CredentialsSourceName:
		return "environment variables (AWS_ACCESS_KEY_ID)"
	case strings.HasPrefix(source, "SharedConfigCredentials"):
		// The SDK writes "SharedConfigCredentials: <file>".
		return "shared credentials file" + strings.TrimPrefix(source, "SharedConfigCredentials")
	case source == stscreds.ProviderName:
		return "an assumed role (sts:AssumeRole)"
	case source == stscreds.WebIdentityProviderName:
		return "web identity (EKS IRSA, sts:AssumeRoleWithWebIdentity)"
	case source == endpointcreds.ProviderName:
		return "the container credentials endpoint (EKS Pod Identity or ECS task role)"
	case source == ec2rolecreds.ProviderName:
		return "the EC2 instance role (IMDS)"
	case source == ssocreds.ProviderName:
		return "IAM Identity Center (SSO)"
	case source == processcreds.ProviderName:
		return "credential_process"
	case source == "":
		return "an unnamed provider"
	}
	return source
}
