package awsfake

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/sigv4verify"
)

// STS actions the fake answers.
const (
	ActionAssumeRole                = "AssumeRole"
	ActionAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity"
	ActionGetCallerIdentity         = "GetCallerIdentity"
)

// DefaultAccountID is the account in ARNs when STSConfig.AccountID is empty.
const DefaultAccountID = "123456789012"

// STSConfig configures a fake STS.
type STSConfig struct {
	// Region is the SigV4 scope region signed requests must use; empty accepts any region.
	Region string
	// AccountID appears in ARNs; empty means DefaultAccountID.
	AccountID string
	// Callers are the long-term keys that may call STS (the base credentials of an assume-role chain).
	Callers []Caller
	// Roles are the roles that can be assumed.
	Roles []Role
	// Lifetime of issued credentials; zero means the requested DurationSeconds (default 900).
	Lifetime time.Duration
	// OnIssue is told about every issued credential, for example to register it with the AMP emulator. An error
	// fails the STS call with 500.
	OnIssue func(Issued) error
}

// Caller is a long-term key STS accepts.
type Caller struct {
	Credentials
	// ARN is what GetCallerIdentity reports; empty means arn:aws:iam::<account>:user/<access key id>.
	ARN string
}

// Role is an assumable role and its trust policy.
type Role struct {
	ARN string
	// ExternalID, when set, must be sent as ExternalId (the trust policy's sts:ExternalId condition).
	ExternalID string
	// Trusted lists the access key ids allowed to assume the role; empty trusts every known caller.
	Trusted []string
	// WebIdentityToken, when set, allows AssumeRoleWithWebIdentity with exactly this token.
	WebIdentityToken string
}

// Issued describes temporary credentials the fake handed out.
type Issued struct {
	Credentials
	RoleARN       string
	AssumedRole   string // arn:aws:sts::<account>:assumed-role/<role name>/<session name>
	Expiration    time.Time
	ExternalID    string
	DurationParam string
}

// Call records one request to the fake.
type Call struct {
	Action string
	// AccessKeyID and Region come from a verified signature; empty for unsigned or rejected calls.
	AccessKeyID string
	Region      string
	Form        url.Values
	Status      int
	// ErrorCode is the STS error code answered, empty on success.
	ErrorCode string
}

// STS is a running fake STS endpoint.
type STS struct {
	cfg      STSConfig
	server   *server
	verifier *sigv4verify.Verifier

	mu           sync.Mutex
	issued       map[string]Issued
	calls        []Call
	denyIdentity bool
}

// StartSTS serves a fake STS on a free loopback port. Close stops it.
func StartSTS(cfg STSConfig) (*STS, error) {
	if cfg.AccountID == "" {
		cfg.AccountID = DefaultAccountID
	}
	s := &STS{cfg: cfg, issued: map[string]Issued{}}
	s.verifier = &sigv4verify.Verifier{Region: cfg.Region, Service: "sts", Lookup: s.lookup}
	srv, err := listen(http.HandlerFunc(s.serve))
	if err != nil {
		return nil, err
	}
	s.server = srv
	return s, nil
}

// URL is the endpoint to put in AWS_ENDPOINT_URL_STS.
func (s *STS) URL() string { return s.server.url }

// Close stops the server.
func (s *STS) Close() error { return s.server.close() }

// Calls returns a copy of the recorded calls, oldest first.
func (s *STS) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Count returns how many calls of action were made, successful or not.
func (s *STS) Count(action string) int {
	n := 0
	for _, c := range s.Calls() {
		if c.Action == action {
			n++
		}
	}
	return n
}

// Reset forgets the recorded calls; issued credentials stay valid.
func (s *STS) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// DenyCallerIdentity makes GetCallerIdentity answer AccessDenied, as an SCP or a VPC endpoint policy could.
func (s *STS) DenyCallerIdentity(deny bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyIdentity = deny
}

func (s *STS) lookup(accessKeyID string) (sigv4verify.Credentials, bool) {
	if c, ok := s.caller(accessKeyID); ok {
		return sigv4verify.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if is, ok := s.issued[accessKeyID]; ok {
		return sigv4verify.Credentials{AccessKeyID: is.AccessKeyID, SecretAccessKey: is.SecretAccessKey, SessionToken: is.SessionToken}, true
	}
	return sigv4verify.Credentials{}, false
}

func (s *STS) caller(accessKeyID string) (Caller, bool) {
	for _, c := range s.cfg.Callers {
		if c.AccessKeyID == accessKeyID {
			return c, true
		}
	}
	return Caller{}, false
}

func (s *STS) role(arn string) (Role, bool) {
	for _, r := range s.cfg.Roles {
		if r.ARN == arn {
			return r, true
		}
	}
	return Role{}, false
}

// stsError is an STS error answer.
type stsError struct {
	status  int
	code    string
	message string
}

func (s *STS) serve(w http.ResponseWriter, r *http.Request) {
	call := Call{}
	defer func() {
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.mu.Unlock()
	}()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || r.Method != http.MethodPost {
		call.Status, call.ErrorCode = writeSTSError(w, &stsError{http.StatusBadRequest, "InvalidAction", "STS takes form-encoded POST requests"})
		return
	}
	call.Form, _ = url.ParseQuery(string(body))
	call.Action = call.Form.Get("Action")
	var out any
	var serr *stsError
	switch call.Action {
	case ActionAssumeRoleWithWebIdentity:
		// The web identity token is the credential; the request is not signed.
		out, serr = s.assumeRoleWithWebIdentity(call.Form)
	case ActionAssumeRole, ActionGetCallerIdentity:
		var res *sigv4verify.Result
		if res, serr = s.verify(r, body); serr != nil {
			break
		}
		call.AccessKeyID, call.Region = res.AccessKeyID, scopeRegion(r.Header.Get("Authorization"))
		if call.Action == ActionAssumeRole {
			out, serr = s.assumeRole(res.AccessKeyID, call.Form)
		} else {
			out, serr = s.callerIdentity(res.AccessKeyID)
		}
	default:
		serr = &stsError{http.StatusBadRequest, "InvalidAction", fmt.Sprintf("Could not find operation %q for version 2011-06-15", call.Action)}
	}
	if serr != nil {
		call.Status, call.ErrorCode = writeSTSError(w, serr)
		return
	}
	call.Status = http.StatusOK
	writeSTSResult(w, out)
}

// verify checks the SigV4 signature with scope service sts and maps failures to STS's error codes.
func (s *STS) verify(r *http.Request, body []byte) (*sigv4verify.Result, *stsError) {
	res, err := s.verifier.Verify(r, body)
	if err == nil {
		return res, nil
	}
	var verr *sigv4verify.Error
	if !errors.As(err, &verr) {
		return nil, &stsError{http.StatusInternalServerError, "InternalFailure", err.Error()}
	}
	switch verr.Kind {
	case sigv4verify.Missing:
		return nil, &stsError{http.StatusForbidden, "MissingAuthenticationToken", verr.Message}
	case sigv4verify.Incomplete:
		return nil, &stsError{http.StatusBadRequest, "IncompleteSignature", verr.Message}
	case sigv4verify.UnknownKey, sigv4verify.BadSessionToken:
		return nil, &stsError{http.StatusForbidden, "InvalidClientTokenId", sigv4verify.MessageInvalidToken}
	}
	return nil, &stsError{http.StatusForbidden, "SignatureDoesNotMatch", verr.Message}
}

// scopeRegion reads the region out of "AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request, ...".
func scopeRegion(authorization string) string {
	_, cred, _ := strings.Cut(authorization, "Credential=")
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) < 5 {
		return ""
	}
	return parts[2]
}

func (s *STS) assumeRole(caller string, form url.Values) (any, *stsError) {
	roleARN := form.Get("RoleArn")
	role, ok := s.role(roleARN)
	trusted := ok && (len(role.Trusted) == 0 || slices.Contains(role.Trusted, caller))
	if !trusted || role.ExternalID != form.Get("ExternalId") {
		return nil, &stsError{http.StatusForbidden, "AccessDenied", fmt.Sprintf(
			"User: %s is not authorized to perform: sts:AssumeRole on resource: %s", s.callerARN(caller), roleARN)}
	}
	is, serr := s.issue(role, form)
	if serr != nil {
		return nil, serr
	}
	return assumeRoleResponse{Xmlns: stsNamespace, Result: assumeRoleResult{Credentials: xmlCredentials(is), AssumedRoleUser: assumedRoleUser{
		Arn: is.AssumedRole, AssumedRoleID: "AROA" + randomString(17, upperAlnum) + ":" + form.Get("RoleSessionName")}},
		Metadata: newMetadata()}, nil
}

func (s *STS) assumeRoleWithWebIdentity(form url.Values) (any, *stsError) {
	roleARN := form.Get("RoleArn")
	role, ok := s.role(roleARN)
	if !ok || role.WebIdentityToken == "" || role.WebIdentityToken != form.Get("WebIdentityToken") {
		return nil, &stsError{http.StatusForbidden, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity on " + roleARN}
	}
	is, serr := s.issue(role, form)
	if serr != nil {
		return nil, serr
	}
	return webIdentityResponse{Xmlns: stsNamespace, Result: webIdentityResult{Credentials: xmlCredentials(is), AssumedRoleUser: assumedRoleUser{
		Arn: is.AssumedRole, AssumedRoleID: "AROA" + randomString(17, upperAlnum) + ":" + form.Get("RoleSessionName")}},
		Metadata: newMetadata()}, nil
}

// issue creates and registers temporary credentials for role.
func (s *STS) issue(role Role, form url.Values) (Issued, *stsError) {
	lifetime := s.cfg.Lifetime
	if lifetime == 0 {
		secs := 900
		if d := form.Get("DurationSeconds"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 900 || n > 43200 {
				return Issued{}, &stsError{http.StatusBadRequest, "ValidationError", "DurationSeconds must be between 900 and 43200"}
			}
			secs = n
		}
		lifetime = time.Duration(secs) * time.Second
	}
	name := role.ARN[strings.LastIndex(role.ARN, "/")+1:]
	is := Issued{
		Credentials:   NewTemporaryCredentials(),
		RoleARN:       role.ARN,
		AssumedRole:   fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.cfg.AccountID, name, form.Get("RoleSessionName")),
		Expiration:    expiration(lifetime),
		ExternalID:    form.Get("ExternalId"),
		DurationParam: form.Get("DurationSeconds"),
	}
	if s.cfg.OnIssue != nil {
		if err := s.cfg.OnIssue(is); err != nil {
			return Issued{}, &stsError{http.StatusInternalServerError, "InternalFailure", err.Error()}
		}
	}
	s.mu.Lock()
	s.issued[is.AccessKeyID] = is
	s.mu.Unlock()
	return is, nil
}

func (s *STS) callerIdentity(accessKeyID string) (any, *stsError) {
	s.mu.Lock()
	deny := s.denyIdentity
	s.mu.Unlock()
	arn := s.callerARN(accessKeyID)
	if deny {
		return nil, &stsError{http.StatusForbidden, "AccessDenied",
			fmt.Sprintf("User: %s is not authorized to perform: sts:GetCallerIdentity with an explicit deny in a VPC endpoint policy", arn)}
	}
	return callerIdentityResponse{Xmlns: stsNamespace, Result: callerIdentityResult{Arn: arn, UserID: accessKeyID, Account: s.cfg.AccountID},
		Metadata: newMetadata()}, nil
}

// callerARN names the identity behind an access key id.
func (s *STS) callerARN(accessKeyID string) string {
	if c, ok := s.caller(accessKeyID); ok && c.ARN != "" {
		return c.ARN
	}
	s.mu.Lock()
	is, ok := s.issued[accessKeyID]
	s.mu.Unlock()
	if ok {
		return is.AssumedRole
	}
	return "arn:aws:iam::" + s.cfg.AccountID + ":user/" + accessKeyID
}
