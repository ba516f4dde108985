package sigv4verify

import "fmt"

// Kind classifies a verification failure so that a gateway can map it to the AWS error type a real service answers
// with.
type Kind int

// Failure kinds, roughly in the order the checks run.
const (
	// Missing means the request carries no Authorization header.
	Missing Kind = iota + 1
	// Incomplete means the Authorization header or X-Amz-Date is malformed, or a mandatory header is not signed.
	Incomplete
	// UnknownKey means the access key id is not known.
	UnknownKey
	// BadSessionToken means X-Amz-Security-Token does not match the credentials (missing, wrong or unexpected).
	BadSessionToken
	// WrongRegion means the credential scope names another region.
	WrongRegion
	// WrongService means the credential scope names another service.
	WrongService
	// WrongDate means the scope date differs from the date in X-Amz-Date.
	WrongDate
	// Expired means X-Amz-Date is further from the verifier's clock than the allowed skew.
	Expired
	// BodyHashMismatch means X-Amz-Content-Sha256 differs from the hash of the received body.
	BodyHashMismatch
	// Mismatch means the signature differs from the one computed over the received request.
	Mismatch
)

var kindNames = map[Kind]string{
	Missing:          "missing",
	Incomplete:       "incomplete",
	UnknownKey:       "unknown key",
	BadSessionToken:  "bad session token",
	WrongRegion:      "wrong region",
	WrongService:     "wrong service",
	WrongDate:        "wrong date",
	Expired:          "expired",
	BodyHashMismatch: "body hash mismatch",
	Mismatch:         "signature mismatch",
}

// String returns a short lower-case name of the kind.
func (k Kind) String() string {
	if name, ok := kindNames[k]; ok {
		return name
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Messages AWS front ends answer with; gateways reuse them verbatim.
const (
	MessageMissing       = "Missing Authentication Token"
	MessageInvalidToken  = "The security token included in the request is invalid."
	MessageWrongRegion   = "Credential should be scoped to a valid region."
	MessageMismatch      = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	MessageBodyHash      = "The provided 'x-amz-content-sha256' header does not match what was computed."
	MessageMissingDate   = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
	messageWrongService  = "Credential should be scoped to correct service: '%s'."
	messageWrongDate     = "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'."
	messageBadDate       = "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601"
	messageExpired       = "Signature expired: %s is now earlier than %s (%s - %s.)"
	messageNotYetCurrent = "Signature not yet current: %s is still later than %s (%s + %s.)"
)

// Error is the error Verify returns. For a Mismatch it carries the canonical request and string to sign the verifier
// computed, which AWS gateways append to their message to help debugging.
type Error struct {
	Kind             Kind
	Message          string
	CanonicalRequest string
	StringToSign     string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return "sigv4: " + e.Kind.String() + ": " + e.Message
}

func newError(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}
