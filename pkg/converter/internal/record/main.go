// Command record starts the test Prometheus over the fixture (testdata/prometheus/README.md) and records the bodies
// of real API answers as the seed corpus of FuzzReadResponse, which the converter's differential test also reads.
//
//	go run ./pkg/converter/internal/record
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

// corpusDir is the seed corpus directory, relative to the module root.
const corpusDir = "pkg/converter/testdata/fuzz/FuzzReadResponse"

type recording struct {
	name   string
	path   string
	params url.Values
}

func main() {
	log.SetFlags(0)
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	root, err := promserver.ModuleRoot()
	if err != nil {
		return err
	}
	fixture, err := promserver.DefaultFixturePath()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := promserver.Start(ctx, promserver.Options{Fixture: fixture})
	if err != nil {
		return err
	}
	defer func() { _ = srv.Stop() }()

	client := &http.Client{Timeout: 30 * time.Second}
	for _, rec := range recordings() {
		body, err := fetch(ctx, client, srv.URL+rec.path, rec.params)
		if err != nil {
			return fmt.Errorf("%s: %w", rec.name, err)
		}
		file := filepath.Join(root, filepath.FromSlash(corpusDir), "recorded_"+rec.name)
		entry := "go test fuzz v1\n[]byte(" + strconv.Quote(string(body)) + ")\n"
		if err := os.WriteFile(file, []byte(entry), 0o644); err != nil {
			return err
		}
		log.Printf("%s: %d bytes", rec.name, len(body))
	}
	return nil
}

// fetch POSTs the parameters like the plugin does (GET when there are none), and returns the body whatever the
// status.
func fetch(ctx context.Context, client *http.Client, u string, params url.Values) ([]byte, error) {
	method, body := http.MethodGet, io.Reader(nil)
	if params != nil {
		method, body = http.MethodPost, strings.NewReader(params.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if params != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
