package signing

import (
	"fmt"
	"net/http"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/grafana/grafana-aws-sdk/pkg/awsauth"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
)

// sigV4Name is the signer's middleware name, the same as grafana-aws-sdk's.
const sigV4Name = "sigv4"

// signingMiddleware signs requests with the instance's credentials. It uses grafana-aws-sdk's signing step
// (SignerRoundTripper.SignHTTP: header handling, body hash, s3 special case) but takes credentials from the
// AWSConfigs, so the signer, Save & test and AWS API calls share one credential cache and one policy check.
func (a *AWSConfigs) signingMiddleware() httpclient.Middleware {
	return httpclient.NamedMiddlewareFunc(sigV4Name, func(opts httpclient.Options, next http.RoundTripper) http.RoundTripper {
		if opts.SigV4 == nil {
			return next
		}
		sdk := awsauth.NewSignerRoundTripper(opts, next, v4.NewSigner())
		return httpclient.RoundTripperFunc(func(req *http.Request) (resp *http.Response, err error) {
			defer func() {
				// A panic in credential resolution must fail one request, not the plugin process.
				if p := recover(); p != nil {
					resp, err = nil, fmt.Errorf("signing the request failed unexpectedly: %v", p)
				}
			}()
			ctx := req.Context()
			creds, err := a.Credentials(ctx)
			if err != nil {
				return nil, err
			}
			// The signer rewrites headers and the query; work on a copy, as a RoundTripper must not change its input.
			req = req.Clone(ctx)
			if err := sdk.SignHTTP(ctx, req, creds); err != nil {
				return nil, fmt.Errorf("signing the request: %w", err)
			}
			return next.RoundTrip(req)
		})
	})
}
