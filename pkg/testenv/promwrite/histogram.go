package promwrite

import (
	"time"

	"github.com/prometheus/prometheus/prompb"
)

// IntHistogram describes an integer native histogram by absolute bucket counts, which is how tests think about
// one; Proto turns it into the span-and-delta encoding of the wire format.
type IntHistogram struct {
	// Schema sets the bucket resolution: bucket i's upper bound is 2^(i * 2^-Schema).
	Schema        int32
	ZeroThreshold float64
	ZeroCount     uint64
	Sum           float64
	// PositiveOffset is the index of the first positive bucket; Positive holds the counts of consecutive buckets
	// from there. Negative buckets work the same way, mirrored around zero.
	PositiveOffset int32
	Positive       []uint64
	NegativeOffset int32
	Negative       []uint64
}

// Count is the total observation count: zero bucket plus every positive and negative bucket.
func (h IntHistogram) Count() uint64 {
	n := h.ZeroCount
	for _, c := range h.Positive {
		n += c
	}
	for _, c := range h.Negative {
		n += c
	}
	return n
}

// Proto encodes h as a prompb.Histogram sampled at ts (millisecond precision).
func (h IntHistogram) Proto(ts time.Time) prompb.Histogram {
	posSpans, posDeltas := spanDeltas(h.PositiveOffset, h.Positive)
	negSpans, negDeltas := spanDeltas(h.NegativeOffset, h.Negative)
	return prompb.Histogram{
		Count:          &prompb.Histogram_CountInt{CountInt: h.Count()},
		Sum:            h.Sum,
		Schema:         h.Schema,
		ZeroThreshold:  h.ZeroThreshold,
		ZeroCount:      &prompb.Histogram_ZeroCountInt{ZeroCountInt: h.ZeroCount},
		PositiveSpans:  posSpans,
		PositiveDeltas: posDeltas,
		NegativeSpans:  negSpans,
		NegativeDeltas: negDeltas,
		Timestamp:      ts.UnixMilli(),
	}
}

// spanDeltas encodes consecutive buckets as one span; each delta is the difference to the previous bucket's count
// (the first one to zero), as the remote-write format requires for integer histograms.
func spanDeltas(offset int32, counts []uint64) ([]prompb.BucketSpan, []int64) {
	if len(counts) == 0 {
		return nil, nil
	}
	deltas := make([]int64, len(counts))
	var prev int64
	for i, c := range counts {
		deltas[i] = int64(c) - prev
		prev = int64(c)
	}
	return []prompb.BucketSpan{{Offset: offset, Length: uint32(len(counts))}}, deltas
}
