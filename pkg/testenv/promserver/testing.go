package promserver

import (
	"context"
	"testing"
	"time"
)

// forTestTimeout bounds backfill plus start-up in StartForTest.
const forTestTimeout = 60 * time.Second

// StartForTest starts Prometheus over the default fixture and stops it when
// the test ends. A missing prometheus or promtool fails the test with the
// install command; it never skips.
func StartForTest(t testing.TB) *Server {
	t.Helper()
	fixture, err := DefaultFixturePath()
	if err != nil {
		t.Fatalf("locate the Prometheus fixture: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), forTestTimeout)
	defer cancel()
	srv, err := Start(ctx, Options{Fixture: fixture, WorkDir: t.TempDir()})
	if err != nil {
		t.Fatalf("start the test Prometheus: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("stop the test Prometheus: %v", err)
		}
	})
	return srv
}
