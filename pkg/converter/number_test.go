package converter

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFloatMatchesStrconv(t *testing.T) {
	inputs := []string{"0", "-0", "1", "1.5", "-2.25", "1.", ".5", "00.1", "1e5", "1E-3", "NaN", "+Inf", "-Inf", "inf",
		"9007199254740992", "9007199254740993", "0.30000000000000004", "123456789012345678901234", "0.1000000000000000000001",
		"1767225615.479", "4.9e-324", "1e400", "", "-", "abc", "1_000", "0x1p-2", "12345678901234567890"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		digits := strconv.FormatUint(rng.Uint64()>>rng.IntN(64), 10)
		if dot := rng.IntN(len(digits) + 1); dot < len(digits) {
			digits = digits[:dot] + "." + digits[dot:]
		}
		if rng.IntN(4) == 0 {
			digits = "-" + digits
		}
		inputs = append(inputs, digits, strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(30)-15)), 'f', -1, 64))
	}
	fast := 0
	for _, in := range inputs {
		want, wantErr := strconv.ParseFloat(in, 64)
		got, err := parseFloat([]byte(in))
		require.Equal(t, wantErr == nil, err == nil, in)
		require.Equal(t, math.Float64bits(want), math.Float64bits(got), in)
		if _, ok := fastDecimal([]byte(in)); ok {
			fast++
		}
	}
	assert.Greater(t, fast, len(inputs)/2, "most plain decimals take the fast path")
}

func TestSecondsToTime(t *testing.T) {
	tests := []struct {
		sec  string
		want int64 // ms
	}{
		{"1767225600", 1767225600000},
		{"1767225615.5", 1767225615500},
		{"1.0009", 1000}, // truncated, not rounded
		{"1767225615.9999", 1767225615999},
		{"-1.5", -1500},
		{"0.001", 1},
	}
	for _, tc := range tests {
		sec, err := parseFloat([]byte(tc.sec))
		require.NoError(t, err)
		got := secondsToTime(sec)
		assert.Equal(t, time.UnixMilli(tc.want).UTC(), got, tc.sec)
		assert.Equal(t, time.UTC, got.Location())
	}
}

// TestLongDecimalsMatchStrconv covers divideRounded: mantissas above 2^53, including exact halfway cases.
func TestLongDecimalsMatchStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := []string{"9007199254740993", "9007199254740995", "18014398509481985", "0.9007199254740993",
		"9999999999999999999", "1000000000000000001", "0.30000000000000004", "1.4142135623730951", "-2.718281828459045"}
	for range 200000 {
		m := 1<<53 + rng.Uint64N(10_000_000_000_000_000_000-1<<53)
		digits := strconv.FormatUint(m, 10)
		if dot := rng.IntN(len(digits)); dot > 0 {
			digits = digits[:dot] + "." + digits[dot:]
		}
		if rng.IntN(8) == 0 { // an integer exactly halfway between two float64s: 53 bits, then 1, then zeros
			k := rng.IntN(10)
			digits = strconv.FormatUint((1<<52+rng.Uint64N(1<<52))<<(k+1)|1<<k, 10)
		}
		inputs = append(inputs, digits)
	}
	for _, in := range inputs {
		want, err := strconv.ParseFloat(in, 64)
		require.NoError(t, err)
		got, ok := fastDecimal([]byte(in))
		require.True(t, ok, in)
		require.Equal(t, math.Float64bits(want), math.Float64bits(got), in)
	}
}

// TestFastSampleMatchesGeneralPath checks that fastSample either declines or agrees with readSample.
func TestFastSampleMatchesGeneralPath(t *testing.T) {
	samples := []string{`[1767225600,"1"]`, `[1767225615.5,"NaN"]`, `[0,"-0"]`, `[-1.5,"1e3"]`, `[01,"1"]`, `[1,"1" ]`,
		`[1, "1"]`, `[1e3,"2"]`, `[1767225600.123456789,"0.30000000000000004"]`, `[1,"\u0031"]`, `[1,"x"]`, `[1,2]`,
		`[1,"1","2"]`, `[1]`, `[-0,"+Inf"]`, `[1767225600.001,"-Inf"]`, `[9007199254740993,"1"]`}
	rng := rand.New(rand.NewPCG(5, 6))
	values := []string{"NaN", "+Inf", "-Inf", "1e3", "-2.5E-3", "0"}
	for range 20000 {
		sec := strconv.FormatFloat(float64(rng.Int64N(2e12))/float64(1+rng.IntN(1000)), 'f', rng.IntN(5)-1, 64)
		value := strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(24)-8)), 'f', rng.IntN(20)-1, 64)
		if rng.IntN(10) == 0 {
			value = values[rng.IntN(len(values))]
		}
		samples = append(samples, `[`+sec+`,"`+value+`"]`)
	}
	fastCount := 0
	for _, sample := range samples {
		t.Run(sample, func(t *testing.T) {
			d := getDecoder(strings.NewReader(sample), 16)
			defer d.release()
			wantT, wantV, err := d.readSample()
			n, gotT, gotV, ok := fastSample([]byte(sample), false)
			if !ok {
				return
			}
			fastCount++
			require.NoError(t, err, "the fast path accepted what the general path rejects")
			assert.Equal(t, len(sample), n)
			assert.Equal(t, wantT, gotT)
			assert.Equal(t, math.Float64bits(wantV), math.Float64bits(gotV))
		})
	}
	assert.Greater(t, fastCount, 19000)
}
