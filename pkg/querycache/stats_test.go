package querycache

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAddStats(t *testing.T) {
	first := map[string]any{"samples": map[string]any{"totalQueryableSamples": float64(10), "totalQueryableSamplesPerStep": []any{1.0}},
		"timings": map[string]any{"evalTotalTime": 0.5}}
	second := map[string]any{"samples": map[string]any{"totalQueryableSamples": float64(5), "totalQueryableSamplesPerStep": []any{2.0}},
		"timings": map[string]any{"evalTotalTime": 0.25}}
	assert.Equal(t, first, addStats(nil, first), "one answer keeps its stats")
	assert.Equal(t, map[string]any{"samples": map[string]any{"totalQueryableSamples": float64(15)},
		"timings": map[string]any{"evalTotalTime": 0.75}}, addStats(addStats(nil, first), second))
	assert.Equal(t, float64(10), first["samples"].(map[string]any)["totalQueryableSamples"], "inputs are not changed")
	assert.Equal(t, first, addStats(first, nil))
}
