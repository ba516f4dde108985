package promserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

const readyPollInterval = 50 * time.Millisecond

// freePort asks the kernel for a free loopback port. The port is released
// before Prometheus binds it, so callers retry if the bind loses a race.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls /-/ready until it answers 200, the process exits or ctx
// ends.
func waitReady(ctx context.Context, s *Server) error {
	client := &http.Client{Timeout: time.Second}
	ticker := time.NewTicker(readyPollInterval)
	defer ticker.Stop()
	for {
		if ready(ctx, client, s.URL+"/-/ready") {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("process exited: %v", s.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("waiting for /-/ready: %w", ctx.Err())
		case <-ticker.C:
		}
	}
}

func ready(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
