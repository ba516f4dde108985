package signing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-aws-sdk/pkg/awsds"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// pluginID is the id an admin adds to [aws] forward_settings_to_plugins. It repeats plugin.PluginID because the
// plugin package imports this one.
const pluginID = "grafana-amazonprometheus-datasource"

// AuthError is an AWS authentication failure together with the change that fixes it. Neither part ever holds a
// secret.
type AuthError struct {
	// Err is the underlying failure.
	Err error
	// Hint says what to change, naming the setting.
	Hint string
}

func (e *AuthError) Error() string {
	if e.Hint == "" {
		return e.Err.Error()
	}
	return strings.TrimSuffix(e.Err.Error(), ".") + ". " + e.Hint
}

func (e *AuthError) Unwrap() error { return e.Err }

// AWSSettingsForwarded reports whether Grafana forwarded its [aws] settings with the request. Grafana only sends
// them to plugins listed in [aws] forward_settings_to_plugins, and always includes the allowed providers then.
func AWSSettingsForwarded(ctx context.Context) bool {
	cfg := backend.GrafanaConfigFromContext(ctx)
	return cfg != nil && cfg.Get(awsds.AllowedAuthProvidersEnvVarKeyName) != ""
}

// notForwardedHint explains the built-in defaults that apply when Grafana did not forward its [aws] settings.
func notForwardedHint() string {
	return fmt.Sprintf("Grafana did not forward its [aws] settings to this plugin (%s is missing from the request), "+
		"so the built-in defaults apply (allowed auth providers: default, keys, credentials): add %s to [aws] forward_settings_to_plugins in Grafana's configuration",
		awsds.AllowedAuthProvidersEnvVarKeyName, pluginID)
}

// checkPolicy applies Grafana's [aws] settings exactly as grafana-aws-sdk does (same reader, same order, same
// wording), but names the setting to change. It does no I/O.
func checkPolicy(ctx context.Context, sv *models.SigV4) error {
	grafana, _ := awsds.ReadAuthSettingsFromContext(ctx)
	forwarded := AWSSettingsForwarded(ctx)
	if !slices.Contains(grafana.AllowedAuthProviders, sv.AuthType) {
		hint := fmt.Sprintf("Grafana's [aws] allowed_auth_providers allows %s: add %s to it, or choose an allowed auth type",
			strings.Join(grafana.AllowedAuthProviders, ", "), sv.AuthType)
		if !forwarded {
			hint = notForwardedHint()
		}
		return &AuthError{Err: fmt.Errorf("trying to use non-allowed auth method %s", sv.AuthType), Hint: hint}
	}
	if sv.AssumeRoleARN != "" && !grafana.AssumeRoleEnabled {
		return &AuthError{Err: errors.New("trying to use assume role but it is disabled in grafana config"),
			Hint: "Set [aws] assume_role_enabled = true in Grafana's configuration, or remove the assume role ARN from the data source"}
	}
	return nil
}

// PolicyNotes are remarks about Grafana's [aws] settings that do not block requests but explain their effect.
func PolicyNotes(ctx context.Context, sv *models.SigV4) []string {
	if sv == nil {
		return nil
	}
	var notes []string
	if !AWSSettingsForwarded(ctx) {
		notes = append(notes, notForwardedHint())
	}
	if sv.AuthType == "grafana_assume_role" {
		grafana, _ := awsds.ReadAuthSettingsFromContext(ctx)
		if sv.AssumeRoleARN == "" {
			notes = append(notes, "Grafana Assume Role is selected without an assume role ARN, so requests are signed with Grafana's own credentials: set the ARN of the role to assume")
		}
		if grafana.ExternalID == "" {
			notes = append(notes, "Grafana Assume Role sends Grafana's [aws] external_id, which is not set: set it in Grafana's configuration if the role's trust policy requires an external ID")
		}
		if sv.ExternalID != "" {
			notes = append(notes, "the data source's external ID is ignored with Grafana Assume Role; Grafana's [aws] external_id is sent instead")
		}
	}
	return notes
}
