package converter

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Budget bounds what one response may cost; a zero field means no bound. Reading stops with a *BudgetError as
// soon as one is passed, so a huge answer costs about the budget in memory, not its own size.
type Budget struct {
	MaxBytes   int64
	MaxSeries  int
	MaxSamples int64
}

// BudgetError is a response that went over its budget.
type BudgetError struct {
	// Limit is what was exceeded: "bytes", "series" or "samples".
	Limit string
	// Max is the budget, in the unit of Limit.
	Max int64
}

func (e *BudgetError) Error() string {
	if e.Limit == "bytes" {
		return "the response exceeded " + formatSize(e.Max)
	}
	return fmt.Sprintf("the response exceeded %d %s", e.Max, e.Limit)
}

// formatSize writes a byte budget in MB, or in KB or bytes when it is smaller.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(math.Round(float64(n)/(1<<20)*10)/10, 'f', -1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(math.Round(float64(n)/(1<<10)*10)/10, 'f', -1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ReadResponseWithin is ReadResponse within a budget.
func ReadResponseWithin(r io.Reader, b Budget) (*Result, error) {
	if b.MaxBytes > 0 {
		r = &budgetReader{r: r, left: b.MaxBytes, max: b.MaxBytes}
	}
	return readResponseWithin(r, defaultBufferSize, true, b)
}

// budgetReader fails the read that goes past the byte budget.
type budgetReader struct {
	r         io.Reader
	left, max int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &BudgetError{Limit: "bytes", Max: b.max}
	}
	// One byte past the budget is enough to know it was passed.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, &BudgetError{Limit: "bytes", Max: b.max}
	}
	return n, err
}

// charge counts a decoded series and its samples against the budget.
func (d *decoder) charge(f *data.Frame) error {
	d.series++
	d.samples += int64(f.Rows())
	switch {
	case d.budget.MaxSeries > 0 && d.series > d.budget.MaxSeries:
		return &BudgetError{Limit: "series", Max: int64(d.budget.MaxSeries)}
	case d.budget.MaxSamples > 0 && d.samples > d.budget.MaxSamples:
		return &BudgetError{Limit: "samples", Max: d.budget.MaxSamples}
	}
	return nil
}
