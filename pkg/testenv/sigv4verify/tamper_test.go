package sigv4verify

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkTampering flips every byte of the method, path, query, each signed header value (plus any session
// token), the body and the signature, one at a time, and expects Verify to reject each copy.
func checkTampering(t *testing.T, v vector, verifier *Verifier) {
	t.Helper()
	base := v.signed
	signed := base.signedHeaderNames()
	rawPath, rawQuery, hasQuery := strings.Cut(base.target, "?")

	reject := func(what string, mutated rawRequest, kinds ...Kind) {
		t.Helper()
		_, err := verifier.Verify(mutated.httpRequest(), []byte(mutated.body))
		if !assert.Error(t, err, "%s: tampered request was accepted", what) {
			return
		}
		var verr *Error
		require.ErrorAs(t, err, &verr)
		assert.Contains(t, kinds, verr.Kind, "%s: unexpected kind %v (%s)", what, verr.Kind, verr.Message)
	}

	checked := 0
	for i := range base.method {
		m := base.clone()
		m.method = flip(base.method, i)
		reject("method byte "+strconv.Itoa(i), m, Mismatch)
		checked++
	}

	equivalent := 0
	for i := range rawPath {
		m := base.clone()
		m.target = flip(rawPath, i)
		if hasQuery {
			m.target += "?" + rawQuery
		}
		newPath, _, _ := strings.Cut(m.target, "?")
		if sameResource(rawPath, newPath) {
			// e.g. "/./example" -> "///example": both normalise to "/example", so the signature still holds.
			_, err := verifier.Verify(m.httpRequest(), []byte(m.body))
			assert.NoError(t, err, "path %q is equivalent to %q after normalisation", newPath, rawPath)
			equivalent++
			continue
		}
		reject("path byte "+strconv.Itoa(i), m, Mismatch)
		checked++
	}
	if equivalent > 0 {
		require.True(t, strings.Contains(rawPath, "//") || strings.Contains(rawPath, "/."),
			"only paths with segments to normalise may have equivalent single-byte changes")
		t.Logf("%s: %d path changes are equivalent after normalisation and verify, as they should", v.name, equivalent)
	}

	for i := range rawQuery {
		m := base.clone()
		m.target = rawPath + "?" + flip(rawQuery, i)
		reject("query byte "+strconv.Itoa(i), m, Mismatch)
		checked++
	}

	for hi, h := range base.headers {
		name := strings.ToLower(h.name)
		if !slices.Contains(signed, name) && name != "x-amz-security-token" {
			continue
		}
		kinds := []Kind{Mismatch}
		switch name {
		case "x-amz-date":
			kinds = []Kind{Mismatch, Incomplete, WrongDate, Expired}
		case "x-amz-content-sha256":
			kinds = []Kind{BodyHashMismatch}
		case "x-amz-security-token":
			kinds = []Kind{BadSessionToken}
		}
		for i := range h.value {
			m := base.clone()
			m.headers[hi].value = flip(h.value, i)
			reject("header "+name+" byte "+strconv.Itoa(i), m, kinds...)
			checked++
		}
	}

	bodyKind := Mismatch
	if v.ctx.SignBody {
		bodyKind = BodyHashMismatch
	}
	for i := range base.body {
		m := base.clone()
		m.body = flip(base.body, i)
		reject("body byte "+strconv.Itoa(i), m, bodyKind)
		checked++
	}

	authIdx := slices.IndexFunc(base.headers, func(h rawHeader) bool { return strings.EqualFold(h.name, "Authorization") })
	require.GreaterOrEqual(t, authIdx, 0)
	auth := base.headers[authIdx].value
	sigStart := strings.Index(auth, "Signature=") + len("Signature=")
	require.Greater(t, sigStart, len("Signature="))
	for i := sigStart; i < len(auth); i++ {
		m := base.clone()
		m.headers[authIdx].value = flip(auth, i)
		reject("signature byte "+strconv.Itoa(i-sigStart), m, Mismatch)
		checked++
	}
	require.Greater(t, checked, 64, "at least every signature byte must have been tampered with")
}

// sameResource is an oracle independent of NormalizePath: two origin-form paths name the same resource when
// path.Clean agrees and both do or do not end like a directory.
func sameResource(a, b string) bool {
	if !strings.HasPrefix(a, "/") || !strings.HasPrefix(b, "/") {
		return a == b
	}
	return path.Clean(a) == path.Clean(b) && dirLike(a) == dirLike(b)
}

func dirLike(p string) bool {
	if path.Clean(p) == "/" {
		return false
	}
	last := p[strings.LastIndexByte(p, '/')+1:]
	return last == "" || last == "." || last == ".."
}
