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
// them for its shared backend cache: on when incrementalQuerying is true. Both keys were read only by the browser
// before, so saved data sources may hold anything there: a bad value is a warning (the cache stays off, or the
// window keeps its default), never a reason to fail every query.
func (s *Settings) loadCacheOptions(jd jsonData, _ backend.DataSourceInstanceSettings) error {
	s.IncrementalQueryOverlap = DefaultIncrementalQueryOverlap
	on, err := jd.boolean("incrementalQuerying", false)
	if err != nil {
		s.addWarning(err.Error() + "; the query cache stays off")
	}
	s.IncrementalQuerying = on && err == nil
	fix := `use a duration such as "10m"; the default of 10 minutes is used meanwhile`
	window, err := jd.str("incrementalQueryOverlapWindow", fix)
	if err != nil {
		s.addWarning(err.Error())
		return nil
	}
	if window == "" {
		return nil
	}
	d, perr := ParseInterval(window)
	if perr != nil || d < 0 {
		s.addWarning((&SettingsError{Field: "jsonData.incrementalQueryOverlapWindow", Problem: fmt.Sprintf("%q is not a duration", window), Fix: fix}).Error())
		return nil
	}
	s.IncrementalQueryOverlap = d
	return nil
}
