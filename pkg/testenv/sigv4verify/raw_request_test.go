package sigv4verify

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// rawRequest is a request as written in the SigV4 test suite files. Those are not always valid HTTP for net/http
// (spaces and raw UTF-8 in the path, folded header lines), so they are parsed by hand.
type rawRequest struct {
	method  string
	target  string
	headers []rawHeader
	body    string
}

type rawHeader struct {
	name  string
	value string
}

func parseRawRequest(text string) (rawRequest, error) {
	head, body, _ := strings.Cut(text, "\n\n")
	lines := strings.Split(head, "\n")
	requestLine := lines[0]
	sp1 := strings.IndexByte(requestLine, ' ')
	sp2 := strings.LastIndexByte(requestLine, ' ')
	if sp1 < 0 || sp2 <= sp1 || !strings.HasPrefix(requestLine[sp2+1:], "HTTP/") {
		return rawRequest{}, fmt.Errorf("bad request line %q", requestLine)
	}
	req := rawRequest{method: requestLine[:sp1], target: requestLine[sp1+1 : sp2], body: body}
	for _, line := range lines[1:] {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			// obs-fold: the continuation joins the previous value with a single space, as net/textproto does.
			if len(req.headers) == 0 {
				return rawRequest{}, fmt.Errorf("continuation line %q before any header", line)
			}
			last := &req.headers[len(req.headers)-1]
			last.value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return rawRequest{}, fmt.Errorf("bad header line %q", line)
		}
		req.headers = append(req.headers, rawHeader{name: name, value: value})
	}
	return req, nil
}

// httpRequest turns the raw request into what a net/http server hands to a handler: Host moved to r.Host,
// Content-Length parsed into r.ContentLength, the request line's target kept in RequestURI.
func (raw rawRequest) httpRequest() *http.Request {
	path, query, _ := strings.Cut(raw.target, "?")
	r := &http.Request{
		Method:     raw.method,
		RequestURI: raw.target,
		URL:        &url.URL{Path: path, RawQuery: query},
		Header:     http.Header{},
	}
	for _, h := range raw.headers {
		switch http.CanonicalHeaderKey(h.name) {
		case "Host":
			r.Host = strings.TrimSpace(h.value)
			continue
		case "Content-Length":
			n, err := strconv.ParseInt(strings.TrimSpace(h.value), 10, 64)
			if err != nil {
				n = -1
			}
			r.ContentLength = n
		}
		// Like net/textproto, the server sees values without surrounding whitespace.
		r.Header.Add(h.name, strings.TrimSpace(h.value))
	}
	return r
}

// signedHeaderNames returns the SignedHeaders list of the request's Authorization header.
func (raw rawRequest) signedHeaderNames() []string {
	for _, h := range raw.headers {
		if !strings.EqualFold(h.name, "Authorization") {
			continue
		}
		_, rest, _ := strings.Cut(h.value, "SignedHeaders=")
		list, _, _ := strings.Cut(rest, ",")
		return strings.Split(list, ";")
	}
	return nil
}

func (raw rawRequest) clone() rawRequest {
	c := raw
	c.headers = append([]rawHeader(nil), raw.headers...)
	return c
}

// flip changes one byte so that it stays printable ASCII for ASCII input.
func flip(s string, i int) string {
	b := []byte(s)
	b[i] ^= 0x01
	return string(b)
}
