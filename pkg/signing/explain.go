package signing

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// explainConfigError adds the fix to a failure of building the AWS config (before any credentials are fetched).
func explainConfigError(err error, sv *models.SigV4) error {
	var ae *AuthError
	if errors.As(err, &ae) {
		return err
	}
	text := err.Error()
	switch {
	case strings.Contains(text, "failed to get shared config profile"):
		return &AuthError{Err: err, Hint: fmt.Sprintf("Profile %q is not in the shared config or credentials files that the Grafana server reads (%s): add it there, or correct the profile name",
			profileName(sv), sharedFiles())}
	case strings.Contains(text, "custom RootCAs"):
		return &AuthError{Err: err, Hint: "AWS_CA_BUNDLE (or ca_bundle in the shared config file) is set for the Grafana server, and the AWS SDK cannot apply it to Grafana's HTTP client: unset it and add the CA to the system trust store (or SSL_CERT_FILE) instead"}
	}
	return &AuthError{Err: err, Hint: "Check the data source's AWS authentication settings"}
}

// explainCredentialsError adds the fix to a failure of fetching credentials.
func explainCredentialsError(err error, sv *models.SigV4) error {
	var ae *AuthError
	if errors.As(err, &ae) {
		return err
	}
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) && opErr.Service() == "STS" {
		return &AuthError{Err: err, Hint: stsHint(opErr.Operation(), errorCode(err), sv)}
	}
	text := err.Error()
	switch {
	case strings.Contains(text, "static credentials are empty"):
		return &AuthError{Err: err, Hint: "The access key ID or secret access key is empty: enter both, or choose another auth type"}
	case containerCredentialsSet() && strings.Contains(text, "failed to load credentials"):
		return &AuthError{Err: err, Hint: "The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI) failed: " +
			"on EKS Pod Identity check the pod identity association and that AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is readable; on ECS check the task role"}
	case strings.Contains(text, "EC2 IMDS"), strings.Contains(text, "ec2imds"):
		return &AuthError{Err: err, Hint: credentialChainReport(sv)}
	}
	return &AuthError{Err: err, Hint: "Check the data source's AWS authentication settings"}
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// stsHint explains an STS failure while assuming a role.
func stsHint(operation, code string, sv *models.SigV4) string {
	if operation == "AssumeRoleWithWebIdentity" {
		return "Assuming the web identity role (EKS IRSA: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE) failed: check that the role's trust policy allows the cluster's OIDC provider and this service account, and that the token file is current"
	}
	role := sv.AssumeRoleARN
	switch code {
	case "AccessDenied":
		return fmt.Sprintf("STS denied sts:AssumeRole on %s: the role's trust policy must allow the base identity (%s), and its sts:ExternalId condition must match the external ID sent (%s)",
			role, baseIdentity(sv), sentExternalID(sv))
	case "InvalidClientTokenId":
		return fmt.Sprintf("STS does not recognise the base credentials (%s): check them. For a role in an opt-in region, STS is called in us-east-1; make sure the credentials are valid there", baseIdentity(sv))
	case "ExpiredToken", "ExpiredTokenException":
		return fmt.Sprintf("The base credentials (%s) have expired: refresh them, or use credentials that renew themselves such as an instance or task role", baseIdentity(sv))
	case "SignatureDoesNotMatch":
		return fmt.Sprintf("STS rejected the signature of the base credentials (%s): check the secret access key and the Grafana server's clock", baseIdentity(sv))
	case "RegionDisabledException":
		return fmt.Sprintf("STS is not activated in region %s: activate it in the IAM account settings", sv.Region)
	case "ValidationError":
		return "STS rejected the AssumeRole parameters: check the role ARN, and that Grafana's [aws] session_duration is at least 15 minutes and at most the role's maximum session duration"
	case "Throttling":
		return "STS throttled the request: retry later; the plugin caches the session, so this should be rare"
	}
	return fmt.Sprintf("STS AssumeRole on %s failed: check the role ARN, the role's trust policy and network access to STS in %s", role, sv.Region)
}

// baseIdentity names where the credentials used to call STS come from, without revealing them.
func baseIdentity(sv *models.SigV4) string {
	switch sv.AuthType {
	case "keys":
		return "the access key " + sv.AccessKey + " from this data source"
	case "credentials":
		return fmt.Sprintf("profile %q", profileName(sv))
	case "grafana_assume_role":
		return "Grafana's own credentials"
	}
	return "the AWS SDK's default credential chain"
}

func sentExternalID(sv *models.SigV4) string {
	switch {
	case sv.AuthType == "grafana_assume_role":
		return "Grafana's [aws] external_id"
	case sv.ExternalID == "":
		return "none"
	}
	return fmt.Sprintf("%q", sv.ExternalID)
}

func profileName(sv *models.SigV4) string {
	if sv.Profile != "" {
		return sv.Profile
	}
	if p := os.Getenv("AWS_PROFILE"); p != "" {
		return p
	}
	return "default"
}

func sharedFiles() string {
	creds, conf := os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), os.Getenv("AWS_CONFIG_FILE")
	if creds == "" {
		creds = "~/.aws/credentials"
	}
	if conf == "" {
		conf = "~/.aws/config"
	}
	return creds + " and " + conf
}

func containerCredentialsSet() bool {
	return os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != "" || os.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != ""
}

// credentialChainReport lists what the SDK's default chain looked at and why each source gave nothing. It names
// environment variables but never prints their values.
func credentialChainReport(sv *models.SigV4) string {
	isSet := func(names ...string) string {
		var set, unset []string
		for _, n := range names {
			if os.Getenv(n) != "" {
				set = append(set, n)
			} else {
				unset = append(unset, n)
			}
		}
		switch {
		case len(unset) == 0:
			return strings.Join(set, ", ") + " set"
		case len(set) == 0:
			return strings.Join(unset, ", ") + " not set"
		}
		return strings.Join(set, ", ") + " set but " + strings.Join(unset, ", ") + " not set"
	}
	imds := "no instance role found"
	if strings.EqualFold(os.Getenv("AWS_EC2_METADATA_DISABLED"), "true") {
		imds = "disabled by AWS_EC2_METADATA_DISABLED"
	}
	tried := []string{
		"environment variables (" + isSet("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") + ")",
		"web identity (" + isSet("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE") + ")",
		fmt.Sprintf("profile %q in %s (no credentials there)", profileName(sv), sharedFiles()),
		"container credentials (" + isSet("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") + ")",
		"EC2 instance metadata (" + imds + ")",
	}
	return "No AWS credentials were found. The SDK's default chain tried, in order: " + strings.Join(tried, "; ") +
		". On EKS (IRSA or Pod Identity), ECS or with environment credentials, these variables must reach the plugin process: " +
		"Grafana 12.4 and later pass them only to plugins listed in [aws] forward_settings_to_plugins, so add " + pluginID +
		" there. Otherwise choose the keys auth type or a credentials profile"
}
