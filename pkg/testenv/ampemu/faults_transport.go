package ampemu

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Redirect answers with a redirect to location, which may be on another host or port (a Catcher, say).
func Redirect(status int, location string) Fault {
	return Fault{Answer: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	}}
}

// ThrottledRetryAfter is AMP's throttling answer with a Retry-After header (seconds or an HTTP date).
func ThrottledRetryAfter(retryAfter string) Fault {
	return WithRetryAfter(Throttling(), retryAfter)
}

// BadGateway is a 502 from the AWS front end.
func BadGateway() Fault {
	return Fault{Status: http.StatusBadGateway, ErrorType: TypeInternalServer, Body: `{"message":"Bad Gateway"}`}
}

// GatewayTimeout is a 504 from the AWS front end.
func GatewayTimeout() Fault {
	return Fault{Status: http.StatusGatewayTimeout, ErrorType: TypeInternalServer, Body: `{"message":"Gateway Timeout"}`}
}

// ConnectionReset closes the client's connection with a TCP reset instead of answering.
func ConnectionReset() Fault {
	return Fault{Answer: func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, "cannot reset: "+err.Error(), http.StatusInternalServerError)
			return
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	}}
}

// EchoHeaders answers a successful one-sample vector whose warnings and response headers (X-Echo-<name>) quote
// every request header, the way careless servers and debugging proxies do. The warnings are written with
// escaped slashes (\/), as some JSON encoders do.
func EchoHeaders() Fault {
	return Fault{Answer: func(w http.ResponseWriter, r *http.Request) {
		names := make([]string, 0, len(r.Header))
		for name := range r.Header {
			names = append(names, name)
		}
		sort.Strings(names)
		var warnings []string
		for _, name := range names {
			v := strings.Join(r.Header.Values(name), ", ")
			warnings = append(warnings, name+": "+v)
			w.Header().Set("X-Echo-"+name, v)
		}
		body, _ := json.Marshal(map[string]any{"status": "success", "warnings": warnings,
			"data": map[string]any{"resultType": "vector", "result": []any{
				map[string]any{"metric": map[string]string{"__name__": "echo"}, "value": []any{1, "1"}}}}})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(strings.ReplaceAll(string(body), "/", `\/`)))
	}}
}

// InvalidUTF8 answers successfully with bytes that are not UTF-8 in a label name and value, a warning, a response
// header and, for the label values API, a value.
func InvalidUTF8() Fault {
	return Fault{Answer: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Broken", "bad \xff\xfe header")
		if strings.HasSuffix(r.URL.Path, "/values") || strings.HasSuffix(r.URL.Path, "/labels") {
			_, _ = w.Write([]byte("{\"status\":\"success\",\"warnings\":[\"bad \xff warning\"],\"data\":[\"ok\",\"bad \xff\xfe value\"]}"))
			return
		}
		_, _ = w.Write([]byte("{\"status\":\"success\",\"warnings\":[\"bad \xff warning\"],\"infos\":[\"bad \xc3 info\"]," +
			"\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"broken\",\"city\":\"Z\xfcrich\",\"l\xff\":\"v\"}," +
			"\"value\":[1,\"1\"]}]}}"))
	}}
}

// InvalidUTF8Error answers AMP's 422 query error with bytes that are not UTF-8 in the message.
func InvalidUTF8Error() Fault {
	return Fault{Status: http.StatusUnprocessableEntity,
		Body: "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"bad \xff\xfe byte in the error\"}"}
}

// InvalidUTF8AWSError answers an AWS error whose message holds bytes that are not UTF-8.
func InvalidUTF8AWSError() Fault {
	return Fault{Status: http.StatusBadRequest, ErrorType: TypeValidation, Body: "{\"message\":\"bad \xff\xfe byte\"}"}
}

// Catcher is a loopback server that records every request it receives and answers 200 with an empty Prometheus
// success envelope. It stands in for the other host a hostile redirect points to: whatever reaches it left the
// workspace.
type Catcher struct {
	srv *http.Server
	url string

	mu       sync.Mutex
	requests []*http.Request
}

// StartCatcher serves a Catcher on addr ("127.0.0.1:0" picks a free port).
func StartCatcher(addr string) (*Catcher, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ampemu: catcher listen on %s: %w", addr, err)
	}
	c := &Catcher{url: "http://" + ln.Addr().String()}
	c.srv = &http.Server{Handler: c}
	go func() { _ = c.srv.Serve(ln) }()
	return c, nil
}

// ServeHTTP records the request.
func (c *Catcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests = append(c.requests, r.Clone(r.Context()))
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
}

// URL is the catcher's base URL.
func (c *Catcher) URL() string { return c.url }

// Headers returns the headers of every request received so far.
func (c *Catcher) Headers() []http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]http.Header, len(c.requests))
	for i, r := range c.requests {
		out[i] = r.Header.Clone()
	}
	return out
}

// Close stops the catcher.
func (c *Catcher) Close() error { return c.srv.Close() }

// SignatureMismatchEcho is AMP's InvalidSignatureException the way AWS front ends write it, quoting the
// request's canonical form with its X-Amz-Security-Token and padded past 1 KiB as real ones are, for a request
// whose signature was in fact fine: the plugin must show only the error type and the first line.
func SignatureMismatchEcho() Fault {
	return Fault{Answer: func(w http.ResponseWriter, r *http.Request) {
		canonical := r.Method + "\n" + r.URL.EscapedPath() + "\n" + r.URL.RawQuery + "\nhost:" + r.Host +
			"\nx-amz-date:" + r.Header.Get("X-Amz-Date") + "\nx-amz-security-token:" + r.Header.Get("X-Amz-Security-Token") +
			"\n\nhost;x-amz-date;x-amz-security-token\n" + strings.Repeat("e3b0c44298fc1c149afbf4c8996fb924", 32)
		writeError(w, http.StatusForbidden, TypeInvalidSignature, "The request signature we calculated does not match the signature you provided. "+
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"+
			"The Canonical String for this request should have been\n'"+canonical+"'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"+
			r.Header.Get("X-Amz-Date")+"'\n")
	}}
}

// WithRetryAfter makes a fault's answer carry a Retry-After header (seconds or an HTTP date). Golden tests use
// "0" so that a client's retries wait a fixed time.
func WithRetryAfter(f Fault, retryAfter string) Fault {
	inner := f
	f.Answer = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		applyFault(w, r, Fault{Status: inner.Status, ErrorType: inner.ErrorType, Body: inner.Body, Answer: inner.Answer})
	}
	return f
}
