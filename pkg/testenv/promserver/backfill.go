package promserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// cacheDirName is the directory under os.TempDir() that holds backfilled
// blocks, one subdirectory per fixture (and promtool) hash.
const cacheDirName = "amp-testenv-promserver-blocks"

// backfill puts the TSDB blocks for fixture into dataDir. Blocks are built
// once per fixture content and promtool binary and then copied, so several
// test packages do not each pay for promtool.
func backfill(ctx context.Context, promtool, fixture, dataDir string) error {
	key, err := cacheKey(promtool, fixture)
	if err != nil {
		return err
	}
	root := filepath.Join(os.TempDir(), cacheDirName)
	cached := filepath.Join(root, key)
	if _, err := os.Stat(cached); err != nil {
		if err := buildCache(ctx, promtool, fixture, root, cached); err != nil {
			return err
		}
	}
	return copyTree(cached, dataDir)
}

// cacheKey hashes the fixture content together with the promtool binary's
// identity, because a different promtool may write a different block format.
func cacheKey(promtool, fixture string) (string, error) {
	h := sha256.New()
	f, err := os.Open(fixture)
	if err != nil {
		return "", fmt.Errorf("open fixture: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read fixture %s: %w", fixture, err)
	}
	st, err := os.Stat(promtool)
	if err != nil {
		return "", fmt.Errorf("stat promtool: %w", err)
	}
	fmt.Fprintf(h, "\x00%s\x00%d\x00%d", promtool, st.Size(), st.ModTime().UnixNano())
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// buildCache backfills into a private temporary directory and renames it into
// place. The rename is atomic, so a racing process either wins or finds the
// finished directory; the loser discards its own copy.
func buildCache(ctx context.Context, promtool, fixture, root, cached string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("create block cache: %w", err)
	}
	tmp, err := os.MkdirTemp(root, filepath.Base(cached)+".tmp-")
	if err != nil {
		return fmt.Errorf("create block cache: %w", err)
	}
	defer os.RemoveAll(tmp)

	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, promtool, "tsdb", "create-blocks-from", "openmetrics", fixture, tmp)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("promtool backfill of %s failed: %w\n%s", fixture, err, out.String())
	}
	if err := os.Rename(tmp, cached); err != nil {
		if _, statErr := os.Stat(cached); statErr == nil {
			return nil
		}
		return fmt.Errorf("store backfilled blocks: %w", err)
	}
	return nil
}

// copyTree copies regular files and directories from src into dst. Copies,
// not hard links, because Prometheus compacts and deletes blocks in its data
// directory.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return errors.New("unexpected non-regular file in block cache: " + strconv.Quote(path))
		}
		return copyFile(path, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
