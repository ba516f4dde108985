package converter

import (
	"io"
	"sync"
	"time"
)

const (
	// maxInterned bounds the table of label strings shared between series.
	maxInterned = 1 << 14
	// maxInternedLen keeps long, probably unique values out of that table.
	maxInternedLen = 128
	// maxScratchRows bounds the column scratch kept in the pool between responses.
	maxScratchRows = 1 << 16
	// cellAllowance and cellsPerByte bound the string cells of label and exemplar tables, where one short key in
	// the body can add a cell to every row: at most cellAllowance + cellsPerByte×(bytes read) cells.
	cellAllowance = 1 << 20
	cellsPerByte  = 1
	// columnCells is what a new table column costs against that budget, for its field and vector.
	columnCells = 16
)

// decoder holds the state of one ReadResponse call. Decoders are pooled so that the scanner buffer and the column
// scratch are reused across responses.
type decoder struct {
	s   scanner
	res *Result
	// times and values are scratch columns reused by every series; data.NewField copies them into slices of the
	// exact length, so a series allocates its columns once and nothing grows by doubling. Series with equal
	// timestamps share one time field through sharedTimes, which trades scratch buffers with times.
	times       []time.Time
	values      []float64
	sharedTimes sharedTimes
	hist        histogramColumns
	// intern shares label names and values between series.
	intern map[string]string
	// prevLabels are the labels of the previous series in document order; curLabels is the spare slice.
	prevLabels, curLabels []labelPair
	cells                 int64
	notices               map[string]bool
	// budget bounds the series and samples of the response; series and samples count them.
	budget  Budget
	series  int
	samples int64
	// fastPaths enables fastSample and fastBucket; tests turn it off to check them against the general path.
	fastPaths bool
}

var decoderPool = sync.Pool{New: func() any { return &decoder{intern: make(map[string]string)} }}

func getDecoder(r io.Reader, bufSize int) *decoder {
	d := decoderPool.Get().(*decoder)
	d.s.reset(r, bufSize)
	return d
}

func (d *decoder) release() {
	d.s.rd = nil
	if cap(d.s.keyBuf) > defaultBufferSize {
		d.s.keyBuf = nil
	}
	if cap(d.s.strBuf) > defaultBufferSize {
		d.s.strBuf = nil
	}
	if cap(d.times) > maxScratchRows {
		d.times = nil
	}
	if cap(d.values) > maxScratchRows {
		d.values = nil
	}
	d.sharedTimes.reset(maxScratchRows)
	if cap(d.hist.xMax) > maxScratchRows {
		d.hist = histogramColumns{}
	}
	clear(d.intern)
	clear(d.prevLabels[:cap(d.prevLabels)])
	clear(d.curLabels[:cap(d.curLabels)])
	d.res, d.prevLabels, d.cells, d.notices = nil, d.prevLabels[:0], 0, nil
	decoderPool.Put(d)
}

// internString returns b as a string, shared with earlier equal labels of the same response.
func (d *decoder) internString(b []byte) string {
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= maxInternedLen && len(d.intern) < maxInterned {
		d.intern[s] = s
	}
	return s
}

// chargeCells accounts for n new table cells.
func (d *decoder) chargeCells(n int) error {
	d.cells += int64(n)
	if d.cells > cellAllowance+cellsPerByte*d.s.offset() {
		return d.s.errorf("label table too large for the size of the body")
	}
	return nil
}

// truncate shortens a value quoted in an error message.
func truncate(s string) string {
	const limit = 64
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}
