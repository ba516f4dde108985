// Package promwrite is a minimal Prometheus remote-write (protocol 1.0) client for tests: it pushes a
// prompb.WriteRequest, snappy block encoded, to a server's /api/v1/write. Tests use it for data that the
// OpenMetrics fixture cannot hold, such as native histograms.
package promwrite

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"
)

// maxErrorBody bounds how much of a rejection's body goes into the error.
const maxErrorBody = 1024

// StatusError is a non-2xx answer from the receiver.
type StatusError struct {
	StatusCode int
	Body       string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("remote write rejected with status %d: %s", e.StatusCode, e.Body)
}

// Push sends req to baseURL + "/api/v1/write" with client (http.DefaultClient when nil). A non-2xx answer is a
// *StatusError; Prometheus answers 400 for samples it refuses (out of bounds, out of order, unsupported).
func Push(ctx context.Context, client *http.Client, baseURL string, req *prompb.WriteRequest) error {
	raw, err := req.Marshal()
	if err != nil {
		return fmt.Errorf("marshal write request: %w", err)
	}
	// Remote write 1.0 uses snappy's block format, not its framed stream format.
	body := snappy.Encode(nil, raw)
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(baseURL, "/")+"/api/v1/write", bytes.NewReader(body))
	if err != nil {
		return err
	}
	httpReq.Header.Set("Content-Encoding", "snappy")
	httpReq.Header.Set("Content-Type", "application/x-protobuf")
	httpReq.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return &StatusError{StatusCode: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
}
