package sigv4verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vector is one case of AWS's SigV4 test suite (awslabs/aws-c-auth, tests/aws-signing-test-suite/v4), read from
// the shared folder that sits beside the repository.
type vector struct {
	name      string
	ctx       vectorContext
	unsigned  rawRequest
	signed    rawRequest
	canonical string
	toSign    string
	signature string
}

type vectorContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Normalize bool      `json:"normalize"`
	Region    string    `json:"region"`
	Service   string    `json:"service"`
	SignBody  bool      `json:"sign_body"`
	Timestamp time.Time `json:"timestamp"`
}

// vectorsDir finds ../shared/testdata/sigv4/v4 relative to the module root (the directory holding go.mod).
func vectorsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod found above the package directory")
		dir = parent
	}
	vectors := filepath.Join(dir, "..", "shared", "testdata", "sigv4", "v4")
	if _, err := os.Stat(vectors); err != nil {
		t.Fatalf("SigV4 test vectors not found at %s: the shared folder (with testdata/sigv4/v4) must sit beside "+
			"the repository, i.e. <parent>/shared next to <parent>/<repo>: %v", vectors, err)
	}
	return vectors
}

func loadVector(t *testing.T, dir string) vector {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(b)
	}
	v := vector{
		name:      filepath.Base(dir),
		canonical: read("header-canonical-request.txt"),
		toSign:    read("header-string-to-sign.txt"),
		signature: strings.TrimSpace(read("header-signature.txt")),
	}
	require.NoError(t, json.Unmarshal([]byte(read("context.json")), &v.ctx))
	var err error
	v.unsigned, err = parseRawRequest(read("request.txt"))
	require.NoError(t, err)
	v.signed, err = parseRawRequest(read("header-signed-request.txt"))
	require.NoError(t, err)
	return v
}

func (v vector) verifier() *Verifier {
	c := v.ctx.Credentials
	return &Verifier{
		Region:  v.ctx.Region,
		Service: v.ctx.Service,
		Lookup: func(id string) (Credentials, bool) {
			return Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.Token},
				id == c.AccessKeyID
		},
		Now: func() time.Time { return v.ctx.Timestamp },
	}
}

func (v vector) amzDate() string {
	return v.ctx.Timestamp.UTC().Format(amzDateFormat)
}

func (v vector) scope() string {
	return v.ctx.Timestamp.UTC().Format("20060102") + "/" + v.ctx.Region + "/" + v.ctx.Service + "/" + terminator
}

func TestOfficialVectors(t *testing.T) {
	dir := vectorsDir(t)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)

	var applicable, s3Style []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		v := loadVector(t, filepath.Join(dir, e.Name()))
		t.Run(v.name, func(t *testing.T) {
			assert.Equal(t, v.unsigned.method, v.signed.method, "signed request keeps the method")
			assert.Equal(t, v.unsigned.target, v.signed.target, "signed request keeps the target")
			assert.Equal(t, v.unsigned.body, v.signed.body, "signed request keeps the body")
			if v.ctx.Normalize {
				checkVector(t, v)
				return
			}
			checkS3StyleVector(t, v)
		})
		if v.ctx.Normalize {
			applicable = append(applicable, v.name)
		} else {
			s3Style = append(s3Style, v.name)
		}
	}

	require.GreaterOrEqual(t, len(applicable), 30, "expected the full suite of normalised (non-S3) cases")
	// The suite marks S3-style cases with normalize=false and names them "*-unnormalized"; both must agree so
	// that no aps-relevant case is mistaken for an S3 one.
	var unnormalizedNames []string
	for _, name := range append(append([]string(nil), applicable...), s3Style...) {
		if strings.HasSuffix(name, "-unnormalized") {
			unnormalizedNames = append(unnormalizedNames, name)
		}
	}
	sort.Strings(unnormalizedNames)
	sort.Strings(s3Style)
	require.Equal(t, unnormalizedNames, s3Style)
	t.Logf("%d cases verified with the aps (non-S3) rules", len(applicable))
	t.Logf("%d S3-style cases (normalize=false; each checked against the S3 path rule): %s",
		len(s3Style), strings.Join(s3Style, ", "))
}

// checkVector asserts (a) the canonical request, (b) the string to sign (and signature), (c) acceptance and
// (d) rejection of every single-byte change to method, path, query, signed headers, body and signature.
func checkVector(t *testing.T, v vector) {
	t.Helper()
	signedHeaders := v.signed.signedHeaderNames()
	require.NotEmpty(t, signedHeaders)
	req := v.signed.httpRequest()
	body := []byte(v.signed.body)

	canonical, err := CanonicalRequest(RequestFrom(req), signedHeaders, HashHex(body))
	require.NoError(t, err)
	assert.Equal(t, v.canonical, canonical, "canonical request")
	toSign := StringToSign(v.amzDate(), v.scope(), canonical)
	assert.Equal(t, v.toSign, toSign, "string to sign")
	key := SigningKey(v.ctx.Credentials.SecretAccessKey, v.ctx.Timestamp.UTC().Format("20060102"), v.ctx.Region, v.ctx.Service)
	assert.Equal(t, v.signature, Signature(key, toSign), "signature")

	verifier := v.verifier()
	res, err := verifier.Verify(req, body)
	require.NoError(t, err, "the correctly signed request must verify")
	assert.Equal(t, v.ctx.Credentials.AccessKeyID, res.AccessKeyID)
	assert.Equal(t, signedHeaders, res.SignedHeaders)
	assert.True(t, v.ctx.Timestamp.Equal(res.SigningTime))

	checkTampering(t, v, verifier)
}

// checkS3StyleVector handles normalize=false cases. Their expected canonical path is the S3 rule (the path
// encoded once, dot segments and duplicate slashes kept). Where that differs from the aps rule, the aps verifier
// must reject the request; where it coincides (no segments to normalise), the case is verified like any other.
func checkS3StyleVector(t *testing.T, v vector) {
	t.Helper()
	rawPath, _, _ := strings.Cut(v.signed.target, "?")
	expectedPath := strings.Split(v.canonical, "\n")[1]
	require.Equal(t, EscapePath(rawPath), expectedPath, "an S3-style case encodes the path once without normalising")

	apsPath := CanonicalPath(rawPath)
	if apsPath == expectedPath {
		t.Logf("S3-style case %s: canonical path %q is the same under the aps rule, so it is verified fully",
			v.name, expectedPath)
		checkVector(t, v)
		return
	}
	_, err := v.verifier().Verify(v.signed.httpRequest(), []byte(v.signed.body))
	requireKind(t, err, Mismatch)
	t.Logf("S3-style case %s, not applicable to aps: it signs path %q, the aps rule canonicalises it to %q, "+
		"and the aps verifier rejects the request", v.name, expectedPath, apsPath)
}

func requireKind(t *testing.T, err error, kinds ...Kind) {
	t.Helper()
	require.Error(t, err)
	var verr *Error
	require.ErrorAs(t, err, &verr)
	require.Contains(t, kinds, verr.Kind, "unexpected kind %v: %s", verr.Kind, verr.Message)
}
