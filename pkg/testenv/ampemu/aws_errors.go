package ampemu

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/sigv4verify"
)

// Values of the x-amzn-ErrorType header the emulator answers with.
const (
	TypeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	TypeIncompleteSignature        = "IncompleteSignatureException"
	TypeUnrecognizedClient         = "UnrecognizedClientException"
	TypeInvalidSignature           = "InvalidSignatureException"
	TypeAccessDenied               = "AccessDeniedException"
	TypeResourceNotFound           = "ResourceNotFoundException"
	TypeValidation                 = "ValidationException"
	TypeThrottling                 = "ThrottlingException"
	TypeServiceUnavailable         = "ServiceUnavailableException"
	TypeInternalServer             = "InternalServerException"
)

// Response headers AWS services set on every answer.
const (
	HeaderErrorType = "x-amzn-ErrorType"
	HeaderRequestID = "x-amzn-RequestId"
)

// writeError answers the AWS way: the error type in x-amzn-ErrorType and a JSON body {"message": ...}.
func writeError(w http.ResponseWriter, status int, errorType, message string) {
	body, err := json.Marshal(struct {
		Message string `json:"message"`
	}{message})
	if err != nil {
		body = []byte(`{"message":"internal error"}`)
	}
	h := w.Header()
	h.Set(HeaderErrorType, errorType)
	h.Set("Content-Type", "application/json")
	if h.Get(HeaderRequestID) == "" {
		h.Set(HeaderRequestID, newRequestID())
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeVerifyError maps a verification failure to AMP's answer (aws-auth.md 4.3). A signature mismatch carries the
// canonical request and string to sign, like AWS front ends, which makes client bugs quick to find.
func writeVerifyError(w http.ResponseWriter, err error) {
	var verr *sigv4verify.Error
	if !errors.As(err, &verr) {
		writeError(w, http.StatusInternalServerError, TypeInternalServer, err.Error())
		return
	}
	errorType := TypeInvalidSignature
	switch verr.Kind {
	case sigv4verify.Missing:
		errorType = TypeMissingAuthenticationToken
	case sigv4verify.Incomplete:
		errorType = TypeIncompleteSignature
	case sigv4verify.UnknownKey, sigv4verify.BadSessionToken:
		errorType = TypeUnrecognizedClient
	}
	message := verr.Message
	if verr.Kind == sigv4verify.Mismatch && verr.CanonicalRequest != "" {
		message += "\n\nThe Canonical String for this request should have been\n'" + verr.CanonicalRequest +
			"'\n\nThe String-to-Sign should have been\n'" + verr.StringToSign + "'\n"
	}
	writeError(w, http.StatusForbidden, errorType, message)
}

// newRequestID returns a random UUID (version 4), the format of x-amzn-RequestId.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
