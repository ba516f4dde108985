package plugin

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

// maxHeadline keeps the alert title Grafana shows readable; the full text is in the step report.
const maxHeadline = 400

// awsTitles name what went wrong for each AWS error type, as the first half of the headline.
var awsTitles = map[string]string{
	"MissingAuthenticationTokenException": "Request not signed",
	"IncompleteSignatureException":        "Signature unreadable for AMP",
	"UnrecognizedClientException":         "Access key not recognised by AWS",
	"InvalidClientTokenId":                "Access key not recognised by AWS",
	"ExpiredTokenException":               "Credentials expired",
	"ExpiredToken":                        "Credentials expired",
	"InvalidSignatureException":           "Signature rejected by AMP",
	"SignatureDoesNotMatchException":      "Signature rejected by AMP",
	"SignatureDoesNotMatch":               "Signature rejected by AMP",
	"AccessDeniedException":               "Permission denied by AMP",
	"AccessDenied":                        "Permission denied by AMP",
	"ResourceNotFoundException":           "Workspace not found",
	"ThrottlingException":                 "Throttled by AMP",
}

// failureHeadline is Save & test's message for a failed check: what went wrong and what to do, in one line. The
// error's own text (AWS's message, the status) is in the failed step of the report, so it is not repeated here.
func failureHeadline(err error, s *models.Settings) string {
	var settingsErr *models.SettingsError
	if errors.As(err, &settingsErr) {
		return err.Error()
	}
	var explained *explainedError
	var authErr *signing.AuthError
	switch {
	case errors.As(err, &authErr):
		return "AWS credentials could not be used: " + lowerFirst(firstSentence(authErr.Hint))
	case errors.As(err, &explained):
		if se, ok := promclient.AsStatusError(explained.err); ok {
			return statusTitle(se) + ": " + lowerFirst(explained.hint)
		}
		host := ""
		if s != nil && s.URL != nil {
			host = " " + s.URL.Host
		}
		return "Could not reach" + host + ": " + lowerFirst(explained.hint)
	}
	if se, ok := promclient.AsStatusError(err); ok {
		return statusTitle(se) + ": see Details for the server's answer"
	}
	return "Save & test failed: " + firstLine(err.Error())
}

func statusTitle(se *promclient.StatusError) string {
	if title, ok := awsTitles[se.AWSErrorType]; ok {
		return title
	}
	if se.AWSErrorType != "" {
		return fmt.Sprintf("AWS answered %d %s", se.StatusCode, se.AWSErrorType)
	}
	return fmt.Sprintf("The server answered %d", se.StatusCode)
}

// successHeadline says where the plugin connected, as whom, and what it found: "Connected to workspace ws-... in
// us-east-2 as arn:aws:iam::...: 12 metrics".
func (d *Datasource) successHeadline(r *healthReport) string {
	s := d.settings
	target := s.URL.Host
	if s.Endpoint.WorkspaceID != "" {
		target = "workspace " + s.Endpoint.WorkspaceID
	}
	msg := "Connected to " + target
	if s.SigV4 != nil {
		msg += " in " + s.SigV4.Region
	}
	if id, ok := r.details["identity"].(string); ok && id != "" {
		msg += " as " + id
	}
	if n, ok := r.details["metrics"].(string); ok {
		msg += ": " + n
	}
	warnings := 0
	for _, step := range r.steps {
		if step.Status == stepWarning {
			warnings++
		}
	}
	switch warnings {
	case 0:
	case 1:
		msg += " (1 warning, see Details)"
	default:
		msg += fmt.Sprintf(" (%d warnings, see Details)", warnings)
	}
	return msg
}

// oneLine joins lines and caps the length: Grafana renders the message as a title.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxHeadline {
		return s
	}
	cut := maxHeadline
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// firstSentence shortens a long hint (the credential chain report lists every provider) to its first sentence;
// the whole hint is in the failed step.
func firstSentence(s string) string {
	s = firstLine(s)
	if len(s) <= maxHeadline/2 {
		return s
	}
	if head, _, ok := strings.Cut(s, ". "); ok {
		return head + " (see Details)"
	}
	return s
}

// properNouns keep their capital letter when a hint continues a sentence.
var properNouns = []string{"Grafana", "Amazon", "Prometheus"}

// lowerFirst lowercases a hint's first letter to continue a sentence, leaving acronyms such as "AWS" and names
// alone.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsUpper(r) {
		return s
	}
	for _, name := range properNouns {
		if strings.HasPrefix(s, name) {
			return s
		}
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
