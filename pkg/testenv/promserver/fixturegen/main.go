// Command fixturegen writes the deterministic OpenMetrics fixture that the
// test Prometheus backfills. Run it from anywhere inside the module:
//
//	go run ./pkg/testenv/promserver/fixturegen
//
// or regenerate through the drift test:
//
//	go test ./pkg/testenv/promserver/fixturegen -update
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

func main() {
	out := flag.String("out", "", "output file (default: the module's "+promserver.DefaultFixture+")")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if out == "" {
		var err error
		if out, err = promserver.DefaultFixturePath(); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := generate(&buf); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
