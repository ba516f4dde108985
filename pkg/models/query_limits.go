package models

import (
	"errors"
	"fmt"
	"time"
)

// ErrTimeRangeReversed is a query whose time range starts after it ends.
var ErrTimeRangeReversed = errors.New("the time range starts after it ends: pick a time range whose start (from) is before its end (to)")

// checkStep refuses a step that is not positive, which Prometheus would reject and which would make the range
// endless: a negative intervalMs, a negative or zero min step, or an intervalFactor that overflows.
func checkStep(step time.Duration) error {
	if step <= 0 {
		return fmt.Errorf("the query step works out to %s, and it must be positive: set Min step to a positive duration such as \"15s\", and Resolution (intervalFactor) to 1", step)
	}
	return nil
}

// capStep raises step so that a range of rangeDur never asks for more points per series than Prometheus serves:
// Prometheus refuses a range query when (end-start)/step > 11,000. The step rules already aim for that limit,
// but they round the step to a "nice" value, sometimes down, and query JSON can ask for any min step and
// intervalFactor. The raised step is a whole number of milliseconds, the resolution Prometheus reads.
func capStep(step, rangeDur time.Duration) time.Duration {
	if rangeDur <= 0 || rangeDur/step <= maxPoints {
		return step
	}
	capped := (rangeDur + maxPoints - 1) / maxPoints
	return (capped + time.Millisecond - 1).Truncate(time.Millisecond)
}
