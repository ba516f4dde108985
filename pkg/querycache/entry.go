package querycache

import (
	"slices"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Part is one upstream range answer, decoded but not decorated: raw series frames, warnings, infos and statistics.
type Part struct {
	Frames   data.Frames
	Warnings []string
	Infos    []string
	Stats    map[string]any
	// Partial marks an incomplete answer: it is served but never cached.
	Partial bool
}

// segment keeps the warnings and infos of one fetched span, so that they travel with its samples.
type segment struct {
	span            span
	warnings, infos []string
}

// entry is what the cache holds for one key: every series' samples over the covered span. Entries are immutable;
// an update builds a new one, so readers need no lock.
type entry struct {
	key     Key
	covered span
	// fetchedAt is when the newest part of covered (everything after the overlap boundary) was fetched, in Unix ms.
	fetchedAt int64
	series    []*series // in Prometheus' order: sorted by labels
	segments  []segment
	size      int64
}

// fetched is one span asked for upstream and its answer.
type fetched struct {
	span   span
	part   *Part
	series []*series
}

func decodePart(sp span, p *Part) (fetched, error) {
	f := fetched{span: sp, part: p}
	for _, fr := range p.Frames {
		s, err := seriesFromFrame(fr)
		if err != nil {
			return f, err
		}
		f.series = append(f.series, s)
	}
	return f, nil
}

// merge builds the entry that results from old (nil when replaced) and the fetched spans, trimmed to start no
// earlier than keepFrom. A fetch that reaches old's newest data becomes the new tail: anything old held beyond it
// is dropped, and fetchedAt moves to now.
func merge(old *entry, key Key, g grid, parts []fetched, keepFrom, now int64) *entry {
	e := &entry{key: key, covered: span{From: 1, To: 0}}
	var cur []*series
	if old != nil {
		e.covered, e.fetchedAt, e.segments = old.covered, old.fetchedAt, slices.Clone(old.segments)
		cur = old.series
	}
	for _, f := range parts {
		cut := f.span
		switch {
		case e.covered.empty():
			e.covered, e.fetchedAt = f.span, now
		case f.span.To < e.covered.From:
			// A head: older data, fetched now but no fresher than the rest.
			e.covered.From = f.span.From
		default:
			// The tail replaces everything from its start on.
			cut.To = max(cut.To, e.covered.To)
			e.covered.To, e.fetchedAt = f.span.To, now
		}
		cur = apply(cur, cut, f.series)
		e.segments = slices.DeleteFunc(e.segments, func(s segment) bool {
			return s.span.From >= cut.From && s.span.To <= cut.To
		})
		if len(f.part.Warnings)+len(f.part.Infos) > 0 {
			e.segments = append(e.segments, segment{span: f.span, warnings: f.part.Warnings, infos: f.part.Infos})
		}
	}
	if keepFrom > e.covered.From {
		e.covered.From = g.floor(keepFrom)
		cur = apply(cur, span{From: minInt64, To: e.covered.From - 1}, nil)
	}
	e.segments = slices.DeleteFunc(e.segments, func(s segment) bool { return s.span.intersect(e.covered).empty() })
	sort.SliceStable(e.segments, func(i, j int) bool { return e.segments[i].span.From < e.segments[j].span.From })
	e.series = cur
	for _, s := range cur {
		e.size += s.bytes()
	}
	for _, s := range e.segments {
		for _, w := range append(slices.Clone(s.warnings), s.infos...) {
			e.size += int64(len(w)) + 16
		}
	}
	e.size += 256
	return e
}

const minInt64 = -1 << 63

// apply replaces the rows inside cut of every series by those of add, dropping series left without rows and
// adding new ones, and keeps the result in Prometheus' order.
func apply(cur []*series, cut span, add []*series) []*series {
	byID := make(map[string]*series, len(add))
	for _, s := range add {
		byID[s.id] = s
	}
	out := make([]*series, 0, len(cur)+len(add))
	for _, s := range cur {
		a := byID[s.id]
		delete(byID, s.id)
		if n := splice(s, cut, a); n != nil {
			out = append(out, n)
		}
	}
	added := false
	for _, s := range add {
		if _, pending := byID[s.id]; pending {
			if n := splice(nil, cut, s); n != nil {
				out = append(out, n)
				added = true
			}
		}
	}
	// cur is in order already; only series that appeared need placing.
	if added {
		sort.SliceStable(out, func(i, j int) bool { return CompareLabels(out[i].labels, out[j].labels) < 0 })
	}
	return out
}

// CompareLabels orders label sets as Prometheus orders the series of a range answer (its labels.Compare): by
// sorted label names and values, pair by pair, names first, a prefix first.
func CompareLabels(a, b data.Labels) int {
	ka, kb := sortedKeys(a), sortedKeys(b)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if c := strings.Compare(ka[i], kb[i]); c != 0 {
			return c
		}
		if c := strings.Compare(a[ka[i]], b[kb[i]]); c != 0 {
			return c
		}
	}
	return len(ka) - len(kb)
}

func sortedKeys(l data.Labels) []string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// answer builds the frames, warnings and infos of req from e.
func (e *entry) answer(req span) *Part {
	p := &Part{}
	for _, s := range e.series {
		if f := s.frame(req); f != nil {
			p.Frames = append(p.Frames, f)
		}
	}
	for _, seg := range e.segments {
		if seg.span.intersect(req).empty() {
			continue
		}
		p.Warnings = appendNew(p.Warnings, seg.warnings)
		p.Infos = appendNew(p.Infos, seg.infos)
	}
	return p
}

func appendNew(list, add []string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
