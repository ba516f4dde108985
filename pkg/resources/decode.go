package resources

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
)

// maxResourceBody bounds a relayed answer after decoding, which also bounds what a compressed body can expand to.
const maxResourceBody = 64 << 20

// readBody reads an upstream answer and undoes its Content-Encoding. Go's transport already decodes gzip it asked
// for itself; this handles the rest: gzip when a custom Accept-Encoding header was configured, deflate, and
// brotli, and several encodings in a row.
func readBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			_ = c.Close()
		}
	}()
	// Encodings are listed in the order they were applied, so they are undone from the last one.
	encodings := strings.Split(resp.Header.Get("Content-Encoding"), ",")
	for _, enc := range slices.Backward(encodings) {
		switch enc = strings.ToLower(strings.TrimSpace(enc)); enc {
		case "", "identity":
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("decoding the gzip body: %w", err)
			}
			closers = append(closers, zr)
			r = zr
		case "deflate":
			dr, err := newDeflateReader(r)
			if err != nil {
				return nil, fmt.Errorf("decoding the deflate body: %w", err)
			}
			closers = append(closers, dr)
			r = dr
		case "br":
			r = brotli.NewReader(r)
		default:
			return nil, fmt.Errorf("the upstream answered with the unsupported Content-Encoding %q", enc)
		}
	}
	body, err := io.ReadAll(io.LimitReader(r, maxResourceBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxResourceBody {
		return nil, fmt.Errorf("the response is larger than %d MiB; narrow the request with match[], start, end or limit",
			maxResourceBody>>20)
	}
	return body, nil
}

// newDeflateReader reads HTTP "deflate", which RFC 9110 defines as zlib-wrapped but which some servers send as a
// raw deflate stream; the zlib header tells them apart.
func newDeflateReader(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil {
		return nil, err
	}
	if head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}
