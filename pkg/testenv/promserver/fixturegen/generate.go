package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/promserver"
)

// generate writes the whole fixture. Families are contiguous and every series
// is written in time order, which is what promtool's backfill needs.
func generate(w io.Writer) error {
	om := newOMWriter(w)
	for _, f := range fixtureFamilies() {
		om.header(f.name, f.typ, f.unit, f.help)
		sampleName := f.name
		if f.typ == "counter" {
			sampleName += "_total"
		}
		for _, s := range f.series {
			eachStep(s.step, func(t time.Time, e time.Duration) {
				if v, ok := s.value(e); ok {
					om.sample(sampleName, s.labels, nil, t, v)
				}
			})
		}
		for _, h := range f.histograms {
			if len(h.perSecond) != len(h.bounds)+1 {
				return fmt.Errorf("%s: %d bucket rates for %d bounds", f.name, len(h.perSecond), len(h.bounds))
			}
			eachStep(h.step, func(t time.Time, e time.Duration) {
				writeHistogramPoint(om, f.name, h, t, e.Seconds())
			})
		}
	}
	return om.finish()
}

// writeHistogramPoint writes one OpenMetrics histogram point: all buckets,
// then _count and _sum, at the same timestamp.
func writeHistogramPoint(om *omWriter, name string, h histogram, t time.Time, seconds float64) {
	for i, rate := range h.perSecond {
		le := "+Inf"
		if i < len(h.bounds) {
			le = strconv.FormatFloat(h.bounds[i], 'f', -1, 64)
		}
		om.sample(name+"_bucket", h.labels, []label{{name: "le", value: le}}, t, rate*seconds)
	}
	om.sample(name+"_count", h.labels, nil, t, h.perSecond[len(h.perSecond)-1]*seconds)
	om.sample(name+"_sum", h.labels, nil, t, h.sumPerSecond*seconds)
}

// eachStep calls fn for every step from FixtureStart to FixtureEnd inclusive.
func eachStep(step time.Duration, fn func(t time.Time, elapsed time.Duration)) {
	for e := time.Duration(0); !promserver.FixtureStart.Add(e).After(promserver.FixtureEnd); e += step {
		fn(promserver.FixtureStart.Add(e), e)
	}
}
