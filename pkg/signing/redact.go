package signing

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// redactName is the middleware that removes echoed secrets from error answers.
const redactName = "amp-redact-echoed-secrets"

// maxRedactedBody is how much of an error answer is searched; error answers are small, and the rest of a larger
// one is passed on untouched.
const maxRedactedBody = 1 << 20

// redactEchoedSecrets removes the data source's own secrets (secret key, session token, basic password, custom
// header values) from error answers. Some servers and proxies echo the Authorization header they received in a
// 401; whatever handler relays or quotes the answer then never sees the secret.
func redactEchoedSecrets(s *models.Settings) httpclient.Middleware {
	return httpclient.NamedMiddlewareFunc(redactName, func(_ httpclient.Options, next http.RoundTripper) http.RoundTripper {
		return httpclient.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err != nil || resp.StatusCode < 400 || resp.Body == nil {
				return resp, err
			}
			head, err := io.ReadAll(io.LimitReader(resp.Body, maxRedactedBody))
			if err != nil {
				resp.Body.Close()
				return nil, err
			}
			redacted := []byte(s.Redact(string(head)))
			if len(head) < maxRedactedBody {
				resp.Body.Close()
				resp.Body = io.NopCloser(bytes.NewReader(redacted))
				resp.ContentLength = int64(len(redacted))
				resp.Header.Set("Content-Length", strconv.Itoa(len(redacted)))
				return resp, nil
			}
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(redacted), resp.Body), resp.Body}
			resp.ContentLength = -1
			resp.Header.Del("Content-Length")
			return resp, nil
		})
	})
}
