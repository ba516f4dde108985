package promclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	// Body is at most 1 KiB of the raw body.
	Body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("unexpected response with status code %d", e.StatusCode)
	switch {
	case e.AWSErrorType != "" && e.Message != "":
		return msg + ": " + e.AWSErrorType + ": " + e.Message
	case e.Body != "":
		return msg + ": " + e.Body
	}
	return msg
}

// ReadStatusError consumes and closes resp.Body and describes the failure.
func ReadStatusError(resp *http.Response) error {
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &StatusError{StatusCode: resp.StatusCode, Status: resp.Status, Body: strings.TrimSpace(string(raw))}
	if t := resp.Header.Get("X-Amzn-Errortype"); t != "" {
		e.AWSErrorType, _, _ = strings.Cut(t, ":")
		var body struct {
			Message      string `json:"message"`
			MessageUpper string `json:"Message"`
		}
		if json.Unmarshal(raw, &body) == nil {
			e.Message = body.Message
			if e.Message == "" {
				e.Message = body.MessageUpper
			}
		}
	}
	return e
}

// AsStatusError unwraps a StatusError.
func AsStatusError(err error) (*StatusError, bool) {
	var se *StatusError
	ok := errors.As(err, &se)
	return se, ok
}
