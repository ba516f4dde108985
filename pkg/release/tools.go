package release

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ToolPackage is the command released next to the plugin zip.
const ToolPackage = "./pkg/cmd/ampmigrate"

// Platform is one GOOS/GOARCH pair.
type Platform struct{ OS, Arch string }

// Platforms are the platforms the plugin's backend is built for (the SDK's Linux, LinuxARM64, LinuxARM,
// Darwin, DarwinARM64 and Windows targets); ampmigrate is released for the same ones.
var Platforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"}, {"linux", "arm"},
	{"darwin", "amd64"}, {"darwin", "arm64"}, {"windows", "amd64"},
}

// ToolName is the released file name: ampmigrate_<os>_<arch>, with .exe on Windows.
func ToolName(p Platform) string {
	name := fmt.Sprintf("ampmigrate_%s_%s", p.OS, p.Arch)
	if p.OS == "windows" {
		name += ".exe"
	}
	return name
}

// BuildTools cross-compiles ampmigrate from the module at root for each platform into outDir, as static
// binaries without local paths, and returns their paths.
func BuildTools(ctx context.Context, root, outDir string, platforms []Platform) ([]string, error) {
	outDir, err := filepath.Abs(outDir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range platforms {
		target := filepath.Join(outDir, ToolName(p))
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", target, ToolPackage)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS="+p.OS, "GOARCH="+p.Arch, "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return out, fmt.Errorf("building %s: %w\n%s", ToolName(p), err, msg)
		}
		out = append(out, target)
	}
	return out, nil
}
