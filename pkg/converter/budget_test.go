package converter

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter/internal/benchgen"
)

func TestBudgetStopsReading(t *testing.T) {
	tests := []struct {
		name    string
		budget  Budget
		limit   string
		message string
	}{
		{"bytes", Budget{MaxBytes: 1 << 20}, "bytes", "the response exceeded 1 MB"},
		{"a MB and a half", Budget{MaxBytes: 3 << 19}, "bytes", "the response exceeded 1.5 MB"},
		{"half a MB", Budget{MaxBytes: 1 << 19}, "bytes", "the response exceeded 512 KB"},
		{"series", Budget{MaxSeries: 10}, "series", "the response exceeded 10 series"},
		{"samples", Budget{MaxSamples: 5000}, "samples", "the response exceeded 5000 samples"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := &benchgen.CountingReader{R: benchgen.Matrix(1000, 1000)}
			res, err := ReadResponseWithin(body, tc.budget)
			require.Nil(t, res)
			var be *BudgetError
			require.True(t, errors.As(err, &be), "got %v", err)
			assert.Equal(t, tc.limit, be.Limit)
			assert.Contains(t, err.Error(), tc.message)
			assert.Less(t, body.N, int64(4<<20), "reading must stop at the budget, not at the end of the body")
		})
	}
}

func TestBudgetAllowsWhatFits(t *testing.T) {
	res, err := ReadResponseWithin(benchgen.Matrix(10, 100), Budget{MaxBytes: 1 << 20, MaxSeries: 10, MaxSamples: 1000})
	require.NoError(t, err)
	assert.Len(t, res.Frames, 10)

	// A pooled decoder must not carry a budget over to a call without one.
	_, err = ReadResponseWithin(benchgen.Matrix(10, 100), Budget{MaxSeries: 1})
	require.Error(t, err)
	res, err = ReadResponse(benchgen.Matrix(20, 100))
	require.NoError(t, err)
	assert.Len(t, res.Frames, 20)
}

func TestBudgetCountsVectorSeries(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"vector","result":[` +
		strings.Repeat(`{"metric":{"a":"b"},"value":[1,"1"]},`, 5) + `{"metric":{},"value":[1,"1"]}]}}`
	_, err := ReadResponseWithin(strings.NewReader(body), Budget{MaxSeries: 5})
	var be *BudgetError
	require.ErrorAs(t, err, &be)
	res, err := ReadResponseWithin(strings.NewReader(body), Budget{MaxSeries: 6})
	require.NoError(t, err)
	assert.Len(t, res.Frames, 6)
}
