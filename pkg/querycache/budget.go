package querycache

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// EnvMaxBytes is the environment variable that sets the process-wide budget. Grafana passes the settings of a
// [plugin.grafana-amazonprometheus-datasource] section to the plugin as GF_PLUGIN_<KEY>, so the ini key
// query_cache_max_bytes sets it too.
const EnvMaxBytes = "GF_PLUGIN_QUERY_CACHE_MAX_BYTES"

// DefaultMaxBytes is the budget when EnvMaxBytes is not set.
const DefaultMaxBytes = 256 << 20

var units = []struct {
	suffix string
	factor int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
}

// ParseBytes reads a byte count: a whole number, optionally with a unit (KiB, MiB, GiB, KB, MB, GB). 0 turns the
// cache off.
func ParseBytes(s string) (int64, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	factor := int64(1)
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			v, factor = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/factor {
		return 0, fmt.Errorf("%s=%q is not a byte count: use a whole number of bytes, optionally with a unit, e.g. 268435456 or 256MiB (0 turns the cache off)", EnvMaxBytes, s)
	}
	return n * factor, nil
}

// Shared returns the process-wide cache, sized from EnvMaxBytes on first use. It returns nil when the budget is 0.
var Shared = sync.OnceValue(func() *Cache {
	size := int64(DefaultMaxBytes)
	if raw, ok := os.LookupEnv(EnvMaxBytes); ok && strings.TrimSpace(raw) != "" {
		n, err := ParseBytes(raw)
		if err != nil {
			log.DefaultLogger.Warn("Invalid query cache budget; using the default", "error", err, "defaultBytes", size)
		} else {
			size = n
		}
	}
	if size == 0 {
		return nil
	}
	return New(size)
})
