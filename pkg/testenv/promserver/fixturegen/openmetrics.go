package main

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// label is one name/value pair; series keep labels as ordered slices so the
// output is byte-for-byte stable.
type label struct {
	name, value string
}

// omWriter writes OpenMetrics text with second-resolution timestamps and
// remembers the first write error so callers can check it once at the end.
type omWriter struct {
	w   *bufio.Writer
	err error
}

func newOMWriter(w io.Writer) *omWriter {
	return &omWriter{w: bufio.NewWriter(w)}
}

func (o *omWriter) writeString(s string) {
	if o.err == nil {
		_, o.err = o.w.WriteString(s)
	}
}

// header writes the TYPE, optional UNIT and HELP lines of a metric family.
func (o *omWriter) header(family, typ, unit, help string) {
	o.writeString("# TYPE " + family + " " + typ + "\n")
	if unit != "" {
		o.writeString("# UNIT " + family + " " + unit + "\n")
	}
	o.writeString("# HELP " + family + " " + escapeHelp(help) + "\n")
}

// sample writes one sample line. extra labels (such as le) follow the series
// labels.
func (o *omWriter) sample(name string, labels []label, extra []label, ts time.Time, v float64) {
	var b strings.Builder
	b.WriteString(name)
	if len(labels)+len(extra) > 0 {
		b.WriteByte('{')
		for i, l := range append(append([]label(nil), labels...), extra...) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(l.name)
			b.WriteString(`="`)
			b.WriteString(escapeLabelValue(l.value))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatValue(v))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatInt(ts.Unix(), 10))
	b.WriteByte('\n')
	o.writeString(b.String())
}

// finish writes the mandatory "# EOF" terminator and flushes.
func (o *omWriter) finish() error {
	o.writeString("# EOF\n")
	if o.err != nil {
		return o.err
	}
	return o.w.Flush()
}

// formatValue uses the OpenMetrics spellings for the special values and plain
// decimal notation otherwise, so large counters never turn into 2.16e+05.
func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

var labelValueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func escapeLabelValue(s string) string {
	return labelValueEscaper.Replace(s)
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeHelp(s string) string {
	return helpEscaper.Replace(s)
}
