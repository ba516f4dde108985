package resources

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

const plainBody = `{"status":"success","data":["job","instance"]}`

// compressed encodes b with the writer newWriter makes.
func compressed(t *testing.T, b []byte, newWriter func(io.Writer) (io.WriteCloser, error)) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := newWriter(&buf)
	require.NoError(t, err)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func gzipped(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriter(w), nil })
}

// zlibbed is deflate as RFC 9110 defines it: a zlib stream.
func zlibbed(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) (io.WriteCloser, error) { return zlib.NewWriter(w), nil })
}

func rawDeflated(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
}

func brotlied(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) (io.WriteCloser, error) { return brotli.NewWriter(w), nil })
}

func response(encoding string, body []byte) *http.Response {
	h := http.Header{}
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
	}
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
}

func TestReadBodyDecodes(t *testing.T) {
	plain := []byte(plainBody)
	tests := []struct {
		name     string
		encoding string
		body     []byte
	}{
		{"identity", "", plain},
		{"explicit identity", "identity", plain},
		{"gzip", "gzip", gzipped(t, plain)},
		{"x-gzip, upper case", "X-GZIP", gzipped(t, plain)},
		{"deflate (zlib, as RFC 9110 says)", "deflate", zlibbed(t, plain)},
		{"deflate sent raw", "deflate", rawDeflated(t, plain)},
		{"gzip then deflate", "gzip, deflate", zlibbed(t, gzipped(t, plain))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBody(response(tc.encoding, tc.body))
			require.NoError(t, err)
			assert.Equal(t, plainBody, string(got))
		})
	}
}

func TestReadBodyRefuses(t *testing.T) {
	tests := []struct {
		name     string
		encoding string
		body     []byte
		want     string
	}{
		{"corrupt brotli", "br", []byte("not brotli at all"), "brotli"},
		{"unknown encoding", "compress", []byte("x"), `unsupported Content-Encoding "compress"`},
		{"corrupt gzip", "gzip", []byte("not gzip"), "decoding the gzip body"},
		{"bigger than the limit once decoded", "gzip", gzipped(t, bytes.Repeat([]byte{'0'}, maxResourceBody+1)), "larger than 64 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBody(response(tc.encoding, tc.body))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// The relay drops Content-Encoding once it decoded the body, or Grafana's proxy would decode it again.
func TestRelayDecodesCompressedAnswers(t *testing.T) {
	for _, enc := range []string{"gzip", "deflate"} {
		t.Run(enc, func(t *testing.T) {
			u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
				body := gzipped(t, []byte(plainBody))
				if enc == "deflate" {
					body = zlibbed(t, []byte(plainBody))
				}
				w.Header().Set("Content-Encoding", enc)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body)
			})
			// Go's transport decodes gzip only when it asked for it itself; with compression off (as when the data
			// source configures its own Accept-Encoding header) the relay must decode.
			s := settingsFor(t, u.srv.URL+"/", nil)
			client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
			h := New(Options{Settings: s, Client: promclient.New(client, s)})
			resp := handle(h, call{path: "api/v1/labels"})
			require.Equal(t, http.StatusOK, resp.Status)
			assert.Equal(t, plainBody, string(resp.Body))
			assert.NotContains(t, resp.Headers, "Content-Encoding")
			assert.NotContains(t, resp.Headers, "Content-Length")
		})
	}
	t.Run("br", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "br")
			_, _ = w.Write(brotlied(t, []byte(plainBody)))
		})
		resp := handle(handlerFor(t, u, nil), call{path: "api/v1/labels"})
		require.Equal(t, http.StatusOK, resp.Status)
		assert.Equal(t, plainBody, string(resp.Body))
		assert.NotContains(t, resp.Headers, "Content-Encoding")
	})
}
