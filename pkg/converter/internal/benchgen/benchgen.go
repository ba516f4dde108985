// Package benchgen generates large, deterministic Prometheus responses for the converter's benchmarks and its
// peak-memory check. The bodies are produced series by series as they are read, so generating one never holds it.
package benchgen

import (
	"io"
	"math"
	"strconv"
)

// start is the first timestamp of every generated series (2026-01-01T00:00:00Z).
const start = 1767225600

// seriesReader serves head, then each series from gen (a comma between series), then tail.
type seriesReader struct {
	pending []byte
	buf     []byte // backing store of pending, reused for every series
	head    string
	tail    string
	next    int
	count   int
	gen     func(b []byte, i int) []byte
	done    bool
}

func (r *seriesReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.pending) == 0 && !r.refill() {
			if n == 0 {
				return 0, io.EOF
			}
			break
		}
		c := copy(p[n:], r.pending)
		r.pending = r.pending[c:]
		n += c
	}
	return n, nil
}

func (r *seriesReader) refill() bool {
	buf := r.buf[:0]
	switch {
	case r.head != "":
		buf = append(buf, r.head...)
		r.head = ""
	case r.next < r.count:
		if r.next > 0 {
			buf = append(buf, ',')
		}
		buf = r.gen(buf, r.next)
		r.next++
	case !r.done:
		buf = append(buf, r.tail...)
		r.done = true
	default:
		return false
	}
	r.buf, r.pending = buf, buf
	return true
}

func newReader(resultType string, count int, gen func(b []byte, i int) []byte) io.Reader {
	return &seriesReader{
		head:  `{"status":"success","data":{"resultType":"` + resultType + `","result":[`,
		tail:  `]}}`,
		count: count,
		gen:   gen,
	}
}

func appendMetric(b []byte, name string, i int) []byte {
	b = append(b, `{"metric":{"__name__":"`...)
	b = append(b, name...)
	b = append(b, `","job":"bench","instance":"host-`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `:9100","zone":"zone-`...)
	b = strconv.AppendInt(b, int64(i%5), 10)
	return append(b, `"}`...)
}

// value gives the kinds of numbers real queries return: integer counters, gauges with a few decimals, and rates
// with 16 or 17 significant digits.
func value(b []byte, i, j int) []byte {
	switch i % 3 {
	case 0:
		return strconv.AppendInt(b, int64(i)*1_000_001_903+int64(j)*3_701, 10)
	case 1:
		return strconv.AppendFloat(b, float64((i*7919+j*104729)%10_000_000_000)/1e6, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, float64(i*j+1)/3, 'f', -1, 64)
}

// Matrix is a range query answer with series × points samples, 15 s apart. Every series has a sample at every
// step, as in most range query answers, so all series have the same time column.
func Matrix(series, points int) io.Reader {
	return matrix(series, points, false)
}

// MatrixWithGaps is Matrix with one step missing from each series: series i lacks step i mod points, so no two
// series have the same time column (when series ≤ points) and each has points-1 samples.
func MatrixWithGaps(series, points int) io.Reader {
	return matrix(series, points, true)
}

func matrix(series, points int, gaps bool) io.Reader {
	return newReader("matrix", series, func(b []byte, i int) []byte {
		b = appendMetric(b, "bench_requests_total", i)
		b = append(b, `,"values":[`...)
		first := true
		for j := range points {
			if gaps && j == i%points {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(start+15*j), 10)
			b = append(b, `,"`...)
			b = value(b, i, j)
			b = append(b, `"]`...)
		}
		return append(b, "]}"...)
	})
}

// Vector is an instant query answer with one sample per series.
func Vector(series int) io.Reader {
	return newReader("vector", series, func(b []byte, i int) []byte {
		b = appendMetric(b, "bench_up", i)
		b = append(b, `,"value":[1767225600.5,"`...)
		b = value(b, i, 0)
		return append(b, `"]}`...)
	})
}

// Histograms is a range query answer of native histograms: series × points histograms of buckets buckets each,
// with exponential (schema 2) boundaries and a zero bucket.
func Histograms(series, points, buckets int) io.Reader {
	bounds := make([][]byte, buckets+1)
	for k := range bounds {
		bounds[k] = strconv.AppendFloat(nil, math.Pow(2, float64(k-buckets/2)/4), 'g', -1, 64)
	}
	return newReader("matrix", series, func(b []byte, i int) []byte {
		b = appendMetric(b, "bench_latency_seconds", i)
		b = append(b, `,"histograms":[`...)
		for j := range points {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(start+60*j), 10)
			b = append(b, `,{"count":"`...)
			b = strconv.AppendInt(b, int64(buckets*(j+1)), 10)
			b = append(b, `","sum":"`...)
			b = strconv.AppendFloat(b, float64(j)*1.25, 'f', -1, 64)
			b = append(b, `","buckets":[`...)
			for k := range buckets {
				if k > 0 {
					b = append(b, ',')
				}
				if k == 0 {
					b = append(b, `[3,"-0.001","0.001","`...)
				} else {
					b = append(b, `[0,"`...)
					b = append(b, bounds[k]...)
					b = append(b, `","`...)
					b = append(b, bounds[k+1]...)
					b = append(b, `","`...)
				}
				b = strconv.AppendInt(b, int64(j+k+i), 10)
				b = append(b, `"]`...)
			}
			b = append(b, "]}]"...)
		}
		return append(b, "]}"...)
	})
}

// CountingReader counts the bytes read through it: how much of a body the converter pulled.
type CountingReader struct {
	R io.Reader
	N int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}
