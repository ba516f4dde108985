package converter

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// sharedTimeSlots is how many distinct time columns of one response are remembered for sharing.
const sharedTimeSlots = 4

// sharedTimes lets the series of one response share a time field when their timestamps are equal, which is the
// common case of a range query: every series that has a sample at every step has the same time column. Sharing
// saves three quarters of a matrix's memory (a time.Time is 24 bytes, a float64 8), and the page faults and copy
// that come with it.
//
// A shared field is safe because frames leave the plugin as Arrow, one copy per frame, and the plugin's own code
// never changes a time field after decoding, except to set the same Config on every frame of a response.
type sharedTimes struct {
	slots [sharedTimeSlots]timeSlot
	clock uint64
}

// timeSlot is a time field with a copy of its values that can be compared without boxing each element.
type timeSlot struct {
	times []time.Time
	field *data.Field
	used  uint64
}

// field returns a time field holding times: a remembered one if it has equal values, or a new one. A new field
// is remembered in place of the least recently used slot; that slot's buffer is returned as spare, for the
// caller's next series, and times is kept. The caller must not change times after the call.
func (st *sharedTimes) field(times []time.Time) (f *data.Field, spare []time.Time) {
	st.clock++
	lru := 0
	for i := range st.slots {
		slot := &st.slots[i]
		if slot.field != nil && equalTimes(slot.times, times) {
			slot.used = st.clock
			return slot.field, times
		}
		if slot.used < st.slots[lru].used {
			lru = i
		}
	}
	f = data.NewField(data.TimeSeriesTimeFieldName, nil, times)
	slot := &st.slots[lru]
	spare = slot.times
	*slot = timeSlot{times: times, field: f, used: st.clock}
	return f, spare
}

// reset forgets the fields, so that a pooled decoder does not keep frames alive, and keeps the buffers that are
// not larger than maxRows.
func (st *sharedTimes) reset(maxRows int) {
	for i := range st.slots {
		slot := &st.slots[i]
		slot.field, slot.used = nil, 0
		if cap(slot.times) > maxRows {
			slot.times = nil
		}
		slot.times = slot.times[:0]
	}
	st.clock = 0
}

// equalTimes reports whether a and b hold the same instants in the same locations. The ends are compared first,
// so that columns of different series are usually told apart in constant time.
func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	if n := len(a); n == 0 || a[0] != b[0] || a[n-1] != b[n-1] {
		return n == 0
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
