package ampemu

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
)

// forward sends an accepted request to Prometheus with the /workspaces/<id> prefix stripped and the buffered body
// restored.
func (e *Emulator) forward(w http.ResponseWriter, r *http.Request, rt route, body []byte) {
	out := r.Clone(r.Context())
	out.URL.Path, out.URL.RawPath = rt.path, rt.rawPath
	out.ContentLength = int64(len(body))
	out.TransferEncoding = nil
	out.Body = http.NoBody
	out.GetBody = nil
	if len(body) > 0 {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	e.proxy.ServeHTTP(w, out)
}

// rewrite targets the upstream and drops the AWS authentication headers: Prometheus has no use for them and they
// must not leak past the gateway, just as AMP does not pass them to its query engine.
func (e *Emulator) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(e.upstream)
	for name := range pr.Out.Header {
		if name == "Authorization" || strings.HasPrefix(http.CanonicalHeaderKey(name), "X-Amz-") {
			pr.Out.Header.Del(name)
		}
	}
}

func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		// The client went away; nobody reads an answer.
		return
	}
	writeError(w, http.StatusBadGateway, TypeInternalServer, "The upstream Prometheus could not be reached: "+err.Error())
}
