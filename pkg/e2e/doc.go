// Package e2e holds end-to-end tests: the built plugin executable, launched the way Grafana launches it, queried
// through the AMP emulator in front of a real Prometheus over the fixture data. Run `go run
// github.com/magefile/mage build` before `go test`, or use `go run github.com/magefile/mage test`.
package e2e
