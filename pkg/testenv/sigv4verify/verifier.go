// Package sigv4verify verifies AWS Signature Version 4 (AWS4-HMAC-SHA256, Authorization header form) on received
// HTTP requests. It is written from the SigV4 specification with the standard library only, so that it can check
// requests signed by aws-sdk-go-v2 without sharing that library's code (which would make the check circular).
package sigv4verify

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"
)

const (
	amzDateFormat  = "20060102T150405Z"
	defaultMaxSkew = 5 * time.Minute
)

// Credentials are the secret material a Verifier looks up by access key id. A non-empty SessionToken marks
// temporary credentials: requests must then carry the same X-Amz-Security-Token.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// Verifier checks signatures for one expected credential scope.
type Verifier struct {
	// Region is the expected scope region; empty accepts any region.
	Region string
	// Service is the expected scope service, for example "aps".
	Service string
	// Lookup returns the credentials of an access key id; nil rejects every key.
	Lookup func(accessKeyID string) (Credentials, bool)
	// MaxSkew bounds the distance between X-Amz-Date and Now; zero means five minutes.
	MaxSkew time.Duration
	// Now is the verifier's clock; nil means time.Now.
	Now func() time.Time
}

// Result describes an accepted request.
type Result struct {
	AccessKeyID   string
	SignedHeaders []string
	SigningTime   time.Time
}

// Verify checks the signature of a server-side request whose body has already been read into body. It returns
// an *Error on failure.
func (v *Verifier) Verify(r *http.Request, body []byte) (*Result, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, &Error{Kind: Missing, Message: MessageMissing}
	}
	auth, verr := parseAuthorization(header)
	if verr != nil {
		return nil, verr
	}
	if v.Region != "" && auth.region != v.Region {
		return nil, &Error{Kind: WrongRegion, Message: MessageWrongRegion}
	}
	if auth.service != v.Service {
		return nil, newError(WrongService, messageWrongService, v.Service)
	}
	creds, verr := v.credentials(r, auth.accessKeyID)
	if verr != nil {
		return nil, verr
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signingTime, verr := v.checkTime(amzDate, auth.date)
	if verr != nil {
		return nil, verr
	}

	payloadHash := HashHex(body)
	if declared := r.Header.Get("X-Amz-Content-Sha256"); declared != "" && declared != payloadHash {
		return nil, &Error{Kind: BodyHashMismatch, Message: MessageBodyHash}
	}
	canonical, err := CanonicalRequest(RequestFrom(r), auth.signedHeaders, payloadHash)
	if err != nil {
		// AWS cannot compute a signature over a query it cannot decode either; it reports a mismatch.
		return nil, newError(Mismatch, "%s (%v)", MessageMismatch, err)
	}
	stringToSign := StringToSign(amzDate, auth.scope(), canonical)
	key := SigningKey(creds.SecretAccessKey, auth.date, auth.region, auth.service)
	expected := Signature(key, stringToSign)
	if subtle.ConstantTimeCompare([]byte(expected), []byte(auth.signature)) != 1 {
		return nil, &Error{
			Kind:             Mismatch,
			Message:          MessageMismatch,
			CanonicalRequest: canonical,
			StringToSign:     stringToSign,
		}
	}
	return &Result{
		AccessKeyID:   auth.accessKeyID,
		SignedHeaders: auth.signedHeaders,
		SigningTime:   signingTime,
	}, nil
}

func (v *Verifier) credentials(r *http.Request, accessKeyID string) (Credentials, *Error) {
	if v.Lookup == nil {
		return Credentials{}, &Error{Kind: UnknownKey, Message: MessageInvalidToken}
	}
	creds, ok := v.Lookup(accessKeyID)
	if !ok {
		return Credentials{}, &Error{Kind: UnknownKey, Message: MessageInvalidToken}
	}
	// Temporary credentials are only valid together with their token, and a token sent with long-term keys is
	// refused by AWS as well, so the header must match exactly in both directions.
	token := r.Header.Get("X-Amz-Security-Token")
	if subtle.ConstantTimeCompare([]byte(token), []byte(creds.SessionToken)) != 1 {
		return Credentials{}, &Error{Kind: BadSessionToken, Message: MessageInvalidToken}
	}
	return creds, nil
}

func (v *Verifier) checkTime(amzDate, scopeDate string) (time.Time, *Error) {
	if amzDate == "" {
		return time.Time{}, &Error{Kind: Incomplete, Message: MessageMissingDate}
	}
	signingTime, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return time.Time{}, newError(Incomplete, messageBadDate, amzDate)
	}
	if amzDate[:8] != scopeDate {
		return time.Time{}, newError(WrongDate, messageWrongDate, scopeDate, amzDate[:8], amzDate)
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	now = now.UTC()
	skew := v.MaxSkew
	if skew == 0 {
		skew = defaultMaxSkew
	}
	if earliest := now.Add(-skew); signingTime.Before(earliest) {
		return time.Time{}, newError(Expired, messageExpired,
			amzDate, earliest.Format(amzDateFormat), now.Format(amzDateFormat), formatSkew(skew))
	}
	if latest := now.Add(skew); signingTime.After(latest) {
		return time.Time{}, newError(Expired, messageNotYetCurrent,
			amzDate, latest.Format(amzDateFormat), now.Format(amzDateFormat), formatSkew(skew))
	}
	return signingTime, nil
}

// formatSkew renders the skew the way AWS does in its messages ("5 min").
func formatSkew(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return d.String()
}
