package models

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// DefaultIncrementalQueryOverlap is how much of the newest data the query cache always fetches again, the default
// of Grafana's Prometheus frontend.
const DefaultIncrementalQueryOverlap = 10 * time.Minute

// loadCacheOptions reads the keys Grafana's Prometheus config page stores for incremental querying. The plugin uses
// them for its shared backend cache: on when incrementalQuerying is true.
func (s *Settings) loadCacheOptions(jd jsonData, _ backend.DataSourceInstanceSettings) error {
	var err error
	if s.IncrementalQuerying, err = jd.boolean("incrementalQuerying", false); err != nil {
		return err
	}
	fix := `use a duration such as "10m", or leave it empty for the default of 10 minutes`
	window, err := jd.str("incrementalQueryOverlapWindow", fix)
	if err != nil {
		return err
	}
	s.IncrementalQueryOverlap = DefaultIncrementalQueryOverlap
	if window == "" {
		return nil
	}
	d, perr := ParseInterval(window)
	if perr != nil || d < 0 {
		return &SettingsError{Field: "jsonData.incrementalQueryOverlapWindow", Problem: fmt.Sprintf("%q is not a duration", window), Fix: fix}
	}
	s.IncrementalQueryOverlap = d
	return nil
}
