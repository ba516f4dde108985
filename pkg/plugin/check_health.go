package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

const (
	// healthOK is the first line of a successful check; clients compare it verbatim.
	healthOK     = "Successfully queried the Prometheus API."
	healthFailed = "There was an error returned querying the Prometheus API."
)

// Step names of Save & test, in the order they run.
const (
	stepSettings    = "Settings"
	stepCredentials = "Credentials"
	stepQuery       = "Query 1+1"
	stepLabels      = "Labels"
)

// Step outcomes.
const (
	stepOK      = "ok"
	stepWarning = "warning"
	stepError   = "error"
	stepSkipped = "skipped"
)

var (
	// healthQueryTime is the evaluation time of the health query; any fixed time works for 1+1.
	healthQueryTime = time.Unix(4, 0)
	// healthLabelsRange keeps the labels step cheap: one label from the last five minutes.
	healthLabelsRange = 5 * time.Minute
	// identityTimeout bounds the caller-identity lookup, which is informational only.
	identityTimeout = 5 * time.Second
)

// healthStep is one line of the Save & test report.
type healthStep struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

// healthReport collects the steps and the details Grafana shows under the message.
type healthReport struct {
	steps   []healthStep
	details map[string]any
}

func (r *healthReport) add(name, status, msg string) {
	r.steps = append(r.steps, healthStep{Name: name, Status: status, Message: msg})
}

// skipRest marks the steps after a failure as not run.
func (r *healthReport) skipRest() {
	for _, name := range []string{stepSettings, stepCredentials, stepQuery, stepLabels} {
		done := false
		for _, s := range r.steps {
			done = done || s.Name == name
		}
		if !done {
			r.add(name, stepSkipped, "not run because an earlier step failed")
		}
	}
}

// result puts headline first (compatibility: clients look at the first line), then one line per step.
func (r *healthReport) result(status backend.HealthStatus, headline string) *backend.CheckHealthResult {
	lines := make([]string, len(r.steps))
	for i, s := range r.steps {
		lines[i] = fmt.Sprintf("[%s] %s: %s", strings.ToUpper(s.Status), s.Name, s.Message)
	}
	verbose := strings.Join(lines, "\n")
	r.details["steps"], r.details["verboseMessage"] = r.steps, verbose
	res := &backend.CheckHealthResult{Status: status, Message: headline + "\n" + verbose}
	if b, err := json.Marshal(r.details); err == nil {
		res.JSONDetails = b
	}
	return res
}

// checkHealth is Save & test. It checks, in order and reporting each step: the settings; that credentials resolve
// (and who they belong to); the instant query 1+1 (aps:QueryMetrics); a small labels call (aps:GetLabels).
func (d *Datasource) checkHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	r := &healthReport{details: map[string]any{}}
	if d.settingsErr != nil {
		r.add(stepSettings, stepError, d.settingsErr.Error())
		r.skipRest()
		return r.result(backend.HealthStatusError, d.settingsErr.Error()), nil
	}
	ctx = requestContext(ctx, req.GetHTTPHeaders())
	d.settingsStep(r)
	steps := []struct {
		name string
		run  func(context.Context, *healthReport) (status, msg string, err error)
	}{
		{stepCredentials, d.credentialsStep},
		{stepQuery, d.queryStep},
		{stepLabels, d.labelsStep},
	}
	for _, step := range steps {
		status, msg, err := step.run(ctx, r)
		if err != nil {
			r.add(step.name, stepError, err.Error())
			r.skipRest()
			return r.result(backend.HealthStatusError, fmt.Sprintf("%s - %s", err, healthFailed)), nil
		}
		r.add(step.name, status, msg)
	}
	return r.result(backend.HealthStatusOk, healthOK), nil
}

func (d *Datasource) settingsStep(r *healthReport) {
	s := d.settings
	r.details["authMode"] = s.AuthMode()
	msg := "URL " + s.URL.Redacted()
	if ep := s.Endpoint; ep.WorkspaceID != "" {
		r.details["workspaceId"] = ep.WorkspaceID
		msg += ", workspace " + ep.WorkspaceID
	}
	if s.SigV4 != nil {
		r.details["region"], r.details["service"], r.details["authType"] = s.SigV4.Region, s.SigV4.Service, s.SigV4.AuthType
		msg += fmt.Sprintf(", signed with SigV4 for region %s and service %s", s.SigV4.Region, s.SigV4.Service)
	}
	if len(s.Warnings) == 0 {
		r.add(stepSettings, stepOK, msg)
		return
	}
	r.details["warnings"] = s.Warnings
	r.add(stepSettings, stepWarning, msg+". Warning: "+strings.Join(s.Warnings, ". Warning: "))
}

// credentialsStep resolves the credentials. For SigV4 it names the provider they came from and, where STS is
// reachable, the identity; a failed identity lookup is a warning because queries do not depend on it.
func (d *Datasource) credentialsStep(ctx context.Context, r *healthReport) (string, string, error) {
	sv := d.settings.SigV4
	if sv == nil {
		return stepOK, otherAuthDescription(d.settings), nil
	}
	creds, err := d.awsConfigs.Credentials(ctx)
	if err != nil {
		return "", "", err
	}
	r.details["credentialSource"] = creds.Source
	msg := fmt.Sprintf("auth type %s: access key %s from %s", sv.AuthType, creds.AccessKeyID, signing.CredentialSourceName(creds.Source))
	if sv.AssumeRoleARN != "" {
		msg += ", role " + sv.AssumeRoleARN
	}
	if creds.CanExpire {
		msg += ", valid until " + creds.Expires.UTC().Format(time.RFC3339)
	}
	notes := signing.PolicyNotes(ctx, sv)
	// The lookup goes to STS in the signing region. A data source whose URL is not an AWS endpoint (a gateway, a
	// test double) may well have no route to AWS, so STS is only asked when the URL or the process points at it.
	if d.settings.Endpoint.Region != "" || signing.STSEndpointConfigured() {
		idCtx, cancel := context.WithTimeout(ctx, identityTimeout)
		arn, err := d.awsConfigs.CallerIdentity(idCtx)
		cancel()
		if err != nil {
			notes = append(notes, "the caller identity could not be read with sts:GetCallerIdentity ("+err.Error()+"); queries do not depend on it")
		} else {
			r.details["identity"] = arn
			msg += "; authenticated as " + arn
		}
	}
	if len(notes) == 0 {
		return stepOK, msg, nil
	}
	return stepWarning, msg + ". Note: " + strings.Join(notes, ". Note: "), nil
}

func otherAuthDescription(s *models.Settings) string {
	switch s.AuthMode() {
	case models.AuthModeBasic:
		return "basic auth as user " + strconv.Quote(s.BasicAuth.User)
	case models.AuthModeHeader:
		return "a token in the custom Authorization header"
	}
	return "no authentication (SigV4 is off)"
}

func (d *Datasource) queryStep(ctx context.Context, _ *healthReport) (string, string, error) {
	resp, err := d.client.QueryInstant(ctx, "1+1", healthQueryTime)
	if err != nil {
		return "", "", explainTransportError(err)
	}
	if resp.StatusCode != 200 {
		return "", "", explainStatusError(promclient.ReadStatusError(resp), d.settings)
	}
	defer resp.Body.Close()
	res, err := converter.ReadResponse(resp.Body)
	if err != nil {
		return "", "", err
	}
	if err := res.Err(); err != nil {
		return "", "", err
	}
	return stepOK, "the instant query 1+1 succeeded" + d.actionNote("aps:QueryMetrics"), nil
}

func (d *Datasource) labelsStep(ctx context.Context, _ *healthReport) (string, string, error) {
	end := time.Now()
	params := url.Values{
		"limit": {"1"},
		"start": {strconv.FormatInt(end.Add(-healthLabelsRange).Unix(), 10)},
		"end":   {strconv.FormatInt(end.Unix(), 10)},
	}
	resp, err := d.client.Get(ctx, promclient.PathLabels, params)
	if err != nil {
		return "", "", explainTransportError(err)
	}
	if !promclient.ParsesBody(resp.StatusCode) {
		return "", "", explainStatusError(promclient.ReadStatusError(resp), d.settings)
	}
	defer resp.Body.Close()
	var envelope struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&envelope); err != nil {
		return "", "", fmt.Errorf("reading the labels answer (status %d): %w", resp.StatusCode, err)
	}
	if envelope.Status != "success" {
		return "", "", fmt.Errorf("the labels call failed: %s: %s", envelope.ErrorType, envelope.Error)
	}
	return stepOK, "the label names call succeeded" + d.actionNote("aps:GetLabels"), nil
}

// actionNote names the IAM action a step proved, for AWS endpoints.
func (d *Datasource) actionNote(action string) string {
	if d.settings.SigV4 == nil {
		return ""
	}
	return " (" + action + " allowed)"
}
