package promserver

import (
	"fmt"
	"os/exec"
)

// InstallHint is the command that installs prometheus and promtool on the
// Debian-based developer and CI machines.
const InstallHint = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus"

// Binary names looked up on PATH when Options leaves the paths empty.
const (
	PrometheusBinary = "prometheus"
	PromtoolBinary   = "promtool"
)

// MissingBinaryError reports that prometheus or promtool is not installed.
// Tests that need Prometheus fail with it rather than skip.
type MissingBinaryError struct {
	Binary string
	Err    error
}

func (e *MissingBinaryError) Error() string {
	return fmt.Sprintf("%s not found (%v); the test Prometheus needs prometheus and promtool, install them with: %s",
		e.Binary, e.Err, InstallHint)
}

func (e *MissingBinaryError) Unwrap() error { return e.Err }

// lookBinary resolves an explicit path or a name on PATH.
func lookBinary(explicit, name string) (string, error) {
	if explicit == "" {
		explicit = name
	}
	path, err := exec.LookPath(explicit)
	if err != nil {
		return "", &MissingBinaryError{Binary: explicit, Err: err}
	}
	return path, nil
}
