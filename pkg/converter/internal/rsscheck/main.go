// Command rsscheck converts the big benchmark matrix (1,000 series × 11,000 points, about 300 MB of JSON) once,
// streamed from the generator as a response body would be, so that the peak RSS of the conversion can be measured:
//
//	go build -o /tmp/rsscheck ./pkg/converter/internal/rsscheck && /usr/bin/time -v /tmp/rsscheck
//
// With -arrow it also encodes every frame to Arrow, as the SDK does for a gRPC answer; with -gaps no two series
// share a time column. With -budget it reads within the plugin's default response budget, as a query does:
//
//	/usr/bin/time -v /tmp/rsscheck -series 3700 -budget   # about 1 GiB of JSON
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"runtime"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter/internal/benchgen"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

func main() {
	arrow := flag.Bool("arrow", false, "also encode every frame to Arrow")
	series := flag.Int("series", 1000, "number of series")
	points := flag.Int("points", 11000, "points per series")
	budget := flag.Bool("budget", false, "read within the default response budget (128 MB, 50,000 series, 5,000,000 samples)")
	gaps := flag.Bool("gaps", false, "leave one step out of each series, so that no two share a time column")
	flag.Parse()
	log.SetFlags(0)

	gen := benchgen.Matrix
	if *gaps {
		gen = benchgen.MatrixWithGaps
	}
	body := &benchgen.CountingReader{R: gen(*series, *points)}
	start := time.Now()
	var res *converter.Result
	var err error
	if *budget {
		l := models.DefaultLimits()
		res, err = converter.ReadResponseWithin(body, converter.Budget{MaxBytes: l.MaxResponseBytes, MaxSeries: l.MaxResponseSeries, MaxSamples: l.MaxResponseSamples})
	} else {
		res, err = converter.ReadResponse(body)
	}
	var be *converter.BudgetError
	if errors.As(err, &be) {
		fmt.Printf("stopped after %d bytes in %s: %v\n", body.N, time.Since(start).Round(time.Millisecond), be)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	converted := time.Since(start)
	rows := 0
	for _, f := range res.Frames {
		rows += f.Rows()
	}
	var arrowBytes int
	if *arrow {
		for _, f := range res.Frames {
			b, err := f.MarshalArrow()
			if err != nil {
				log.Fatal(err)
			}
			arrowBytes += len(b)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("converted %d bytes into %d frames, %d rows, in %s (total %s)\n",
		body.N, len(res.Frames), rows, converted.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	if *arrow {
		fmt.Printf("arrow: %d bytes\n", arrowBytes)
	}
	fmt.Printf("heap in use %d MiB, total allocated %d MiB, GC cycles %d\n",
		ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.NumGC)
	runtime.KeepAlive(res)
}
