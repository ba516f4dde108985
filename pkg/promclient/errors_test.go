package promclient

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func answer(status int, errorType, body string) *http.Response {
	h := http.Header{}
	if errorType != "" {
		h.Set("X-Amzn-Errortype", errorType)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
}

// A signature mismatch with temporary credentials: the canonical request quotes the session token and makes the
// body far longer than 1 KiB.
func signatureMismatch(token string) string {
	msg := "The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'POST\n/workspaces/ws-1/api/v1/query\n\nhost:aps\nx-amz-security-token:" +
		token + "\n'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n...'\n"
	body, _ := json.Marshal(map[string]string{"message": msg})
	return string(body)
}

func TestAWSErrorsAreReducedToTypeAndMessage(t *testing.T) {
	token := strings.Repeat("IQoJb3JpZ2luX2VjEJr/token+", 40)
	full := signatureMismatch(token)
	tests := []struct {
		name, errorType, body, want string
	}{
		{"long signature mismatch", "InvalidSignatureException:http://internal.amazon.com/coral/", full,
			"unexpected response with status code 403: InvalidSignatureException: The request signature we calculated does not match the signature you provided."},
		{"cut off JSON", "InvalidSignatureException", full[:len(full)/2],
			"unexpected response with status code 403: InvalidSignatureException: The request signature we calculated does not match the signature you provided."},
		{"upper-case Message", "AccessDeniedException", `{"Message":"User: x is not authorized"}`,
			"unexpected response with status code 403: AccessDeniedException: User: x is not authorized"},
		{"not JSON at all", "InvalidSignatureException", "x-amz-security-token:" + token,
			"unexpected response with status code 403: InvalidSignatureException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ReadStatusError(answer(http.StatusForbidden, tc.errorType, tc.body))
			assert.Equal(t, tc.want, err.Error())
			se, ok := AsStatusError(err)
			assert.True(t, ok)
			assert.Empty(t, se.Body, "the raw body of an AWS answer is never kept")
			assert.NotContains(t, err.Error(), "IQoJ")
		})
	}
}

func TestOtherErrorsQuoteAtMostOneKiB(t *testing.T) {
	err := ReadStatusError(answer(http.StatusBadGateway, "", "  <html>"+strings.Repeat("x", 4096)))
	se, _ := AsStatusError(err)
	assert.Len(t, se.Body, maxErrorBody-2)
	assert.True(t, strings.HasPrefix(se.Body, "<html>"))
}
