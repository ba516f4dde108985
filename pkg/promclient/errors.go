package promclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
)

// maxErrorBody is how much of an unexpected body an error quotes.
const maxErrorBody = 1024

// ParsesBody reports whether a response with this status carries a Prometheus JSON envelope.
func ParsesBody(status int) bool {
	return (status >= 200 && status < 300) || status == http.StatusBadRequest ||
		status == http.StatusUnprocessableEntity || status == http.StatusServiceUnavailable
}

// StatusError is an HTTP answer that does not carry a Prometheus envelope, such as an AWS 403.
type StatusError struct {
	StatusCode int
	Status     string
	// AWSErrorType is the x-amzn-ErrorType header of AWS answers (without the ":..." suffix AWS may add).
	AWSErrorType string
	// Message is the AWS JSON message, if the body had one.
	Message string
	// Body is at most 1 KiB of the raw body of a non-AWS answer; always empty for AWS answers.
	Body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("unexpected response with status code %d", e.StatusCode)
	switch {
	case e.AWSErrorType != "" && e.Message != "":
		return msg + ": " + e.AWSErrorType + ": " + e.Message
	case e.AWSErrorType != "":
		return msg + ": " + e.AWSErrorType
	case e.Body != "":
		return msg + ": " + e.Body
	}
	return msg
}

// ReadStatusError consumes and closes resp.Body and describes the failure. An AWS error answer (one with
// x-amzn-ErrorType) is reduced to its type and the first line of its message: AWS appends the canonical request
// and the string to sign to signature mismatches, and those quote the session token. Its raw body is never kept.
func ReadStatusError(resp *http.Response) error {
	defer resp.Body.Close()
	e := &StatusError{StatusCode: resp.StatusCode, Status: resp.Status}
	if t := resp.Header.Get("X-Amzn-Errortype"); t != "" {
		e.AWSErrorType, _, _ = strings.Cut(t, ":")
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxAWSErrorBody))
		e.Message = awsMessage(raw)
		return e
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e.Body = strings.TrimSpace(string(raw))
	return e
}

// maxAWSErrorBody is how much of an AWS error answer is read to find its message. A signature mismatch with
// temporary credentials is well over 1 KiB, so reading only that much would cut the JSON before it parses.
const maxAWSErrorBody = 64 << 10

// messageField finds the message of an AWS JSON error that did not parse as a whole (cut off or malformed).
var messageField = regexp.MustCompile(`"[mM]essage"\s*:\s*"((?:[^"\\]|\\.)*)`)

// awsMessage returns the first line of the message of an AWS JSON error body, or "" when it has none.
func awsMessage(raw []byte) string {
	var body struct {
		Message      string `json:"message"`
		MessageUpper string `json:"Message"`
	}
	msg := ""
	if json.Unmarshal(raw, &body) == nil {
		msg = body.Message
		if msg == "" {
			msg = body.MessageUpper
		}
	} else if m := messageField.FindSubmatch(raw); m != nil {
		// The message may be cut inside an escape; its first line is what is kept anyway.
		quoted := m[1]
		if i := bytes.Index(quoted, []byte(`\n`)); i >= 0 {
			quoted = quoted[:i]
		}
		_ = json.Unmarshal(append(append([]byte{'"'}, quoted...), '"'), &msg)
	}
	msg, _, _ = strings.Cut(msg, "\n")
	return strings.TrimSpace(msg)
}

// AsStatusError unwraps a StatusError.
func AsStatusError(err error) (*StatusError, bool) {
	var se *StatusError
	ok := errors.As(err, &se)
	return se, ok
}
