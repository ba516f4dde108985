package sigv4verify

import (
	"slices"
	"strings"
)

// Algorithm is the only signing algorithm this verifier accepts.
const Algorithm = "AWS4-HMAC-SHA256"

const terminator = "aws4_request"

// authorization is a parsed "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header.
type authorization struct {
	accessKeyID   string
	date          string
	region        string
	service       string
	signedHeaders []string
	signature     string
}

func (a authorization) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/" + terminator
}

func parseAuthorization(header string) (authorization, *Error) {
	algorithm, params, _ := strings.Cut(strings.TrimSpace(header), " ")
	if algorithm != Algorithm {
		return authorization{}, newError(Incomplete,
			"Authorization header must use the %s algorithm; got %q.", Algorithm, algorithm)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(params, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return authorization{}, newError(Incomplete,
				"Invalid key=value pair (missing equal-sign) in Authorization header: '%s'.", part)
		}
		fields[k] = v
	}
	var missing []string
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if fields[name] == "" {
			missing = append(missing, "Authorization header requires '"+name+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return authorization{}, &Error{Kind: Incomplete, Message: strings.Join(missing, " ")}
	}

	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[0] == "" || scope[1] == "" || scope[2] == "" || scope[3] == "" {
		return authorization{}, newError(Incomplete,
			"Credential must have the form <access key>/<yyyymmdd>/<region>/<service>/aws4_request; got '%s'.",
			fields["Credential"])
	}
	if scope[4] != terminator {
		return authorization{}, newError(Incomplete,
			"Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", scope[4])
	}

	signed := strings.Split(fields["SignedHeaders"], ";")
	for _, name := range signed {
		if name == "" || name != strings.ToLower(name) {
			return authorization{}, newError(Incomplete,
				"SignedHeaders must be a ';'-separated list of lower-case header names; got '%s'.",
				fields["SignedHeaders"])
		}
	}
	// AWS refuses signatures that do not cover the host and the signing time: without them a captured request
	// could be replayed against another endpoint or at any time.
	if !slices.Contains(signed, "host") {
		return authorization{}, newError(Incomplete, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !slices.Contains(signed, "x-amz-date") {
		return authorization{}, newError(Incomplete, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
	}

	return authorization{
		accessKeyID:   scope[0],
		date:          scope[1],
		region:        scope[2],
		service:       scope[3],
		signedHeaders: signed,
		signature:     fields["Signature"],
	}, nil
}
