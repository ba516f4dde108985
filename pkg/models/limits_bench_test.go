package models

import (
	"strings"
	"testing"
	"time"
)

// The hostile expressions of issue 13: before the bounds, each cost tens of seconds to minutes of CPU and up to
// a gigabyte in the filter rewrite. Each must now answer (an error or a result) in well under a second.
func benchmarkParse(b *testing.B, model map[string]any) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = parseWith(b, model, epoch, epoch.Add(time.Hour), 100)
	}
}

func BenchmarkHostileExpr1MiBWithAdhocFilter(b *testing.B) {
	expr := "up" + strings.Repeat(" + up", (1<<20)/5)
	benchmarkParse(b, map[string]any{"expr": expr, "adhocFilters": []ScopeFilter{{Key: "job", Operator: FilterEquals, Value: "x"}}})
}

func BenchmarkHostileExpr1MiBSelectorWithAdhocFilter(b *testing.B) {
	expr := `up{instance=~"` + strings.Repeat("a|", (1<<20)/2-10) + `"}`
	benchmarkParse(b, map[string]any{"expr": expr, "adhocFilters": []ScopeFilter{{Key: "job", Operator: FilterEquals, Value: "x"}}})
}

func BenchmarkHostileExpr500kParensWithFilter(b *testing.B) {
	expr := strings.Repeat("(", 500_000) + "up" + strings.Repeat(")", 500_000)
	benchmarkParse(b, map[string]any{"expr": expr, "adhocFilters": []ScopeFilter{{Key: "job", Operator: FilterEquals, Value: "x"}}})
}

func BenchmarkHostileExpr200kAbsWithGroupBy(b *testing.B) {
	expr := strings.Repeat("abs(", 200_000) + "sum(up)" + strings.Repeat(")", 200_000)
	benchmarkParse(b, map[string]any{"expr": expr, "groupByKeys": []string{"job"}})
}

// BenchmarkFilterAtTheBounds is the most a query within the bounds can cost.
func BenchmarkFilterAtTheBounds(b *testing.B) {
	expr := strings.Repeat("abs(", MaxExprNesting-1) + "up" + strings.Repeat(" + up", maxExprOperators) + strings.Repeat(")", MaxExprNesting-1)
	benchmarkParse(b, map[string]any{"expr": expr, "adhocFilters": []ScopeFilter{{Key: "job", Operator: FilterEquals, Value: "x"}}, "groupByKeys": []string{"job"}})
}
