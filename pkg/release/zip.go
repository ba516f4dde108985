// Package release packages the built plugin (dist/) into the zip Grafana's plugin installer accepts.
package release

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// PluginID is the folder name inside the zip; Grafana installs the plugin under it.
const PluginID = "grafana-amazonprometheus-datasource"

// Manifest is the part of dist/plugin.json the packager and its checks read.
type Manifest struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Executable string `json:"executable"`
	Backend    bool   `json:"backend"`
	Info       struct {
		Version string `json:"version"`
	} `json:"info"`
}

// ReadManifest reads plugin.json from a directory.
func ReadManifest(dir string) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "plugin.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s/plugin.json: %w", dir, err)
	}
	return &m, nil
}

// Zip writes <outDir>/<id>-<version>.zip with every file of distDir under one top folder named after the plugin
// id, keeping file modes so the backend executables stay executable. It returns the zip's path.
func Zip(distDir, outDir string) (string, error) {
	m, err := ReadManifest(distDir)
	if err != nil {
		return "", fmt.Errorf("reading the built plugin.json (build the plugin first): %w", err)
	}
	if m.ID != PluginID {
		return "", fmt.Errorf("dist/plugin.json has id %q, want %q", m.ID, PluginID)
	}
	if m.Info.Version == "" || strings.Contains(m.Info.Version, "%") {
		return "", errors.New("dist/plugin.json has no version; the frontend build fills it from package.json")
	}
	out := filepath.Join(outDir, fmt.Sprintf("%s-%s.zip", m.ID, m.Info.Version))
	f, err := os.Create(out)
	if err != nil {
		return "", err
	}
	zw := zip.NewWriter(f)
	walkErr := filepath.WalkDir(distDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(distDir, p)
		if err != nil {
			return err
		}
		return addFile(zw, p, m.ID+"/"+filepath.ToSlash(rel))
	})
	closeErr := errors.Join(zw.Close(), f.Close())
	if err := errors.Join(walkErr, closeErr); err != nil {
		_ = os.Remove(out)
		return "", err
	}
	return out, nil
}

func addFile(zw *zip.Writer, path, name string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(info)
	if err != nil {
		return err
	}
	hdr.Name, hdr.Method = name, zip.Deflate
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(w, src)
	return err
}
