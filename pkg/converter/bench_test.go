package converter

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter/internal/benchgen"
)

// benchBody is one generated response. Small ones are kept in memory; the big matrix (about 300 MB) is written to
// a temporary file once per process and streamed from it, as a response body would be.
type benchBody struct {
	name string
	gen  func() io.Reader
	big  bool

	once sync.Once
	data []byte
	path string
	size int64
	err  error
}

var benchBodies = []*benchBody{
	{name: "matrix_100x1000", gen: func() io.Reader { return benchgen.Matrix(100, 1000) }},
	{name: "matrix_1000x11000", gen: func() io.Reader { return benchgen.Matrix(1000, 11000) }, big: true},
	// The same matrix with no two series sharing a time column: the converter's worst case.
	{name: "matrix_1000x11000_gaps", gen: func() io.Reader { return benchgen.MatrixWithGaps(1000, 11000) }, big: true},
	{name: "vector_50000", gen: func() io.Reader { return benchgen.Vector(50000) }},
	{name: "histograms_20x500x24", gen: func() io.Reader { return benchgen.Histograms(20, 500, 24) }},
}

// benchTempDir holds the big bodies; TestMain removes it.
var benchTempDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTempDir != "" {
		_ = os.RemoveAll(benchTempDir)
	}
	os.Exit(code)
}

func (bb *benchBody) prepare(b *testing.B) {
	bb.once.Do(func() {
		if !bb.big {
			bb.data, bb.err = io.ReadAll(bb.gen())
			bb.size = int64(len(bb.data))
			return
		}
		if benchTempDir == "" {
			if benchTempDir, bb.err = os.MkdirTemp("", "converter-bench-"); bb.err != nil {
				return
			}
		}
		var f *os.File
		if f, bb.err = os.Create(benchTempDir + "/" + bb.name + ".json"); bb.err != nil {
			return
		}
		defer f.Close()
		bb.path = f.Name()
		bb.size, bb.err = io.Copy(f, bb.gen())
	})
	if bb.err != nil {
		b.Fatal(bb.err)
	}
}

func (bb *benchBody) open(b *testing.B) io.ReadCloser {
	if !bb.big {
		return io.NopCloser(bytes.NewReader(bb.data))
	}
	f, err := os.Open(bb.path)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// runBench converts each body with read, and encodes every frame to Arrow when arrow is set (the SDK does that for
// each frame of a gRPC answer).
func runBench(b *testing.B, read func(io.Reader) (*Result, error), arrow bool) {
	for _, bb := range benchBodies {
		b.Run(bb.name, func(b *testing.B) {
			bb.prepare(b)
			b.SetBytes(bb.size)
			b.ReportAllocs()
			cpuStart := cpuTime(b)
			for b.Loop() {
				body := bb.open(b)
				res, err := read(body)
				_ = body.Close()
				if err != nil {
					b.Fatal(err)
				}
				if !arrow {
					continue
				}
				for _, f := range res.Frames {
					if _, err := f.MarshalArrow(); err != nil {
						b.Fatal(err)
					}
				}
			}
			// The machine is shared, so wall time is noisy; process CPU time (GC included) is the steadier cost.
			b.ReportMetric(float64(bb.size)*float64(b.N)/(cpuTime(b)-cpuStart).Seconds()/1e6, "cpu-MB/s")
		})
	}
}

// cpuTime is the CPU time used by the process so far, user and system, all threads.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkReadResponse(b *testing.B)      { runBench(b, ReadResponse, false) }
func BenchmarkReadResponseArrow(b *testing.B) { runBench(b, ReadResponse, true) }
func BenchmarkBaseline(b *testing.B)          { runBench(b, baselineRead, false) }
func BenchmarkBaselineArrow(b *testing.B)     { runBench(b, baselineRead, true) }
func BenchmarkJSONIter(b *testing.B)          { runBench(b, jsoniterRead, false) }
func BenchmarkJSONIterArrow(b *testing.B)     { runBench(b, jsoniterRead, true) }

// TestBenchBodiesDecode keeps the generated bodies valid: the small ones decode to the expected shape, and the
// converter and the baseline agree on them.
func TestBenchBodiesDecode(t *testing.T) {
	for _, tc := range []struct {
		gen          io.Reader
		frames, rows int
	}{
		{benchgen.Matrix(7, 13), 7, 13},
		{benchgen.Vector(11), 11, 1},
		{benchgen.Histograms(3, 5, 4), 3, 20},
	} {
		body, err := io.ReadAll(tc.gen)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprintf("%d frames", tc.frames), func(t *testing.T) {
			got, err := ReadResponse(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			want, err := baselineRead(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			requireSameResult(t, want, got)
			ref, err := jsoniterRead(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			requireSameResult(t, want, ref)
			if len(got.Frames) != tc.frames || got.Frames[0].Rows() != tc.rows {
				t.Fatalf("got %d frames of %d rows", len(got.Frames), got.Frames[0].Rows())
			}
		})
	}
}
