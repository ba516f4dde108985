//go:build mage

// Build, test and demo targets. Run them with `go run github.com/magefile/mage <target>`; `-l` lists them.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/grafana/grafana-plugin-sdk-go/build"
	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/release"
)

// Default builds the frontend and the linux/amd64 backend into dist/.
var Default = Build

func init() {
	// plugin.json lives at the top of the repository, not in src/.
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		return cfg, nil
	})
}

// Build builds the backend (linux/amd64) and the frontend into dist/.
func Build() {
	mg.SerialDeps(Backend, Frontend)
}

// Backend builds the backend executable for linux/amd64 with the plugin SDK's build package.
func Backend() error {
	return build.Build{}.Linux()
}

// BackendAll builds the backend for every platform Grafana runs on.
func BackendAll() {
	b := build.Build{}
	mg.SerialDeps(b.Linux, b.LinuxARM64, b.LinuxARM, b.Darwin, b.DarwinARM64, b.Windows)
}

// Frontend installs npm packages when needed and bundles module.js, plugin.json and assets into dist/.
func Frontend() error {
	if err := npmInstall(); err != nil {
		return err
	}
	return sh.RunV("npm", "run", "build")
}

// Package builds everything and writes grafana-amazonprometheus-datasource-<version>.zip, with the ampmigrate
// command next to it for every release platform (ampmigrate_<os>_<arch>[.exe]).
func Package() error {
	mg.SerialDeps(BackendAll, Frontend)
	out, err := release.Zip("dist", ".")
	if err != nil {
		return err
	}
	fmt.Println("wrote", out)
	return packageTools()
}

func packageTools() error {
	tools, err := release.BuildTools(context.Background(), ".", ".", release.Platforms)
	for _, t := range tools {
		fmt.Println("wrote", t)
	}
	return err
}

// Setup installs what the local stack and the tests need and is missing: Prometheus with promtool and Chromium
// (Debian packages), and the npm packages.
func Setup() error {
	var missing []string
	for pkg, binary := range map[string]string{"prometheus": "promtool", "chromium": "chromium"} {
		if _, err := exec.LookPath(binary); err != nil {
			missing = append(missing, pkg)
		}
	}
	if len(missing) > 0 {
		if err := aptInstall(missing...); err != nil {
			return err
		}
	}
	return npmInstall()
}

// Demo sets everything up, builds, starts Prometheus and the AMP emulator, and runs Save & test plus an
// Explore-style range query through the built plugin.
func Demo() error {
	mg.SerialDeps(Setup, Build)
	return sh.RunV("go", "run", "./pkg/cmd/demo")
}

// Playground builds the plugin and the playground page, then serves the plugin's real editors on 127.0.0.1
// against the local stack (Prometheus over the fixture data, the AMP emulator, the built plugin over gRPC) until
// Ctrl+C. It prints "Playground: <url>". PLAYGROUND_ADDR (for example 127.0.0.1:3000) fixes the port.
func Playground() error {
	mg.SerialDeps(Setup, Build)
	if err := sh.RunV("npm", "run", "build:harness"); err != nil {
		return err
	}
	exe := filepath.Join("build", "playground")
	if err := sh.RunV("go", "build", "-o", exe, "./pkg/cmd/playground"); err != nil {
		return err
	}
	var args []string
	if addr := os.Getenv("PLAYGROUND_ADDR"); addr != "" {
		args = append(args, "-addr", addr)
	}
	return sh.RunV(exe, args...)
}

// Test runs the whole test suite: the frontend's type check and jest tests, the Go unit, end-to-end and browser
// tests against the built plugin, and a bounded fuzzing run of the converter.
func Test() error {
	mg.SerialDeps(Setup, Build)
	steps := [][]string{
		{"npm", "run", "typecheck"},
		{"npm", "test"},
		// The browser test serves this harness page, which mounts the real editors.
		{"npm", "run", "build:harness"},
		{"go", "vet", "./..."},
		{"go", "test", "-count=1", "./..."},
		// A bounded fuzzing run of the response decoder on top of its committed corpus; a finding fails the suite.
		{"go", "test", "-run", "^$", "-fuzz", "^FuzzReadResponse$", "-fuzztime", "45s", "./pkg/converter"},
		{"go", "test", "-run", "^$", "-fuzz", "^FuzzParseFloat$", "-fuzztime", "15s", "./pkg/converter"},
	}
	for _, step := range steps {
		if err := sh.RunV(step[0], step[1:]...); err != nil {
			return err
		}
	}
	return nil
}

// Clean removes build outputs.
func Clean() error {
	return os.RemoveAll("dist")
}

func npmInstall() error {
	installed, err := os.Stat("node_modules/.package-lock.json")
	if err == nil {
		if lock, err := os.Stat("package-lock.json"); err == nil && !lock.ModTime().After(installed.ModTime()) {
			return nil
		}
	}
	// npm ci insists on optional packages for every platform, which some registries lack; install keeps the lockfile.
	return sh.RunV("npm", "install", "--no-audit", "--no-fund")
}

func aptInstall(pkgs ...string) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("missing system packages %v: install them with apt-get (needs root)", pkgs)
	}
	if err := sh.RunV("apt-get", "update"); err != nil {
		return err
	}
	args := append([]string{"install", "-y", "--no-install-recommends"}, pkgs...)
	return sh.RunWithV(map[string]string{"DEBIAN_FRONTEND": "noninteractive"}, "apt-get", args...)
}
