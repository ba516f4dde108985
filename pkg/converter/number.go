package converter

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"time"
	"unsafe"
)

// pow10 and pow10u hold the powers of ten a decimal of at most 19 digits needs.
var (
	pow10  = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
	pow10u = [...]uint64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
)

// decimalPrefix reads -?digits(.digits)? at the start of b as an integer mantissa and a count of decimals; n is
// the length read, 0 when b does not start that way. The mantissa is meaningless beyond 19 digits.
func decimalPrefix(b []byte) (mant uint64, neg bool, digits, decimals, n int) {
	i := 0
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	start := i
	mant, i = appendDigits(mant, b, i)
	if i == start {
		return 0, false, 0, 0, 0
	}
	digits = i - start
	if i+1 < len(b) && b[i] == '.' && isDigit(b[i+1]) {
		fraction := i + 1
		mant, i = appendDigits(mant, b, fraction)
		decimals = i - fraction
		digits += decimals
	}
	return mant, neg, digits, decimals, i
}

// appendDigits accumulates the digits of b from i into mant, eight at a time while it can.
func appendDigits(mant uint64, b []byte, i int) (uint64, int) {
	for i+8 <= len(b) {
		v, ok := eightDigits(b[i : i+8])
		if !ok {
			break
		}
		mant = mant*100_000_000 + v
		i += 8
	}
	for i < len(b) {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
		i++
	}
	return mant, i
}

// eightDigits converts eight ASCII digits at once (the SWAR method of Lemire's fast_float), or reports false when
// one of the bytes is not a digit.
func eightDigits(b []byte) (uint64, bool) {
	v := binary.LittleEndian.Uint64(b)
	if v&0xF0F0F0F0F0F0F0F0|(v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0>>4 != 0x3333333333333333 {
		return 0, false
	}
	v -= 0x3030303030303030
	v = v*10 + v>>8
	return (v&0x000000FF000000FF*(100+1_000_000<<32) + v>>16&0x000000FF000000FF*(1+10_000<<32)) >> 32, true
}

// decimalValue converts a decimalPrefix result of at most 19 digits to the correctly rounded float64, the same as
// strconv.ParseFloat; it reports false for longer ones.
func decimalValue(mant uint64, neg bool, digits, decimals int) (float64, bool) {
	if digits > 19 {
		return 0, false
	}
	var f float64
	if mant <= 1<<53 {
		// Both operands are exact, so IEEE division rounds correctly.
		f = float64(mant) / pow10[decimals]
	} else {
		f = divideRounded(mant, pow10u[decimals])
	}
	if neg {
		f = -f
	}
	return f, true
}

// divideRounded returns m/d rounded to nearest even, for m > 2^53 and d a power of ten up to 10^19. It scales m so
// that the 128/64-bit quotient has 63 or 64 significant bits, keeps 53 of them and rounds with the remaining bits
// and the division remainder, which is exact, unlike dividing two rounded float64s.
func divideRounded(m, d uint64) float64 {
	s := 63 + bits.Len64(d) - bits.Len64(m) // m×2^s/d is in [2^62, 2^64)
	var hi, lo uint64
	if s >= 64 {
		hi, lo = m<<(s-64), 0
	} else {
		hi, lo = m>>(64-s), m<<s
	}
	q, r := bits.Div64(hi, lo, d)
	shift := bits.Len64(q) - 53
	mant, rest, half := q>>shift, q&(1<<shift-1), uint64(1)<<(shift-1)
	if rest > half || rest == half && (r != 0 || mant&1 == 1) {
		mant++
		if mant == 1<<53 {
			mant >>= 1
			shift++
		}
	}
	// mant×2^(shift-s) with mant in [2^52, 2^53): the unbiased exponent is 52+shift-s.
	exp := uint64(52 + shift - s + 1023)
	return math.Float64frombits(exp<<52 | mant&(1<<52-1))
}

// fastDecimal parses b when it is exactly a decimal that decimalValue handles.
func fastDecimal(b []byte) (float64, bool) {
	mant, neg, digits, decimals, n := decimalPrefix(b)
	if n == 0 || n != len(b) {
		return 0, false
	}
	return decimalValue(mant, neg, digits, decimals)
}

// parseFloat parses a sample value with strconv.ParseFloat semantics (NaN, +Inf, -Inf included) without
// allocating.
func parseFloat(b []byte) (float64, error) {
	if f, ok := fastDecimal(b); ok {
		return f, nil
	}
	// strconv copies the string into any error it returns, so the unsafe view of the buffer cannot escape.
	return strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
}

// hasLeadingZero reports a number the JSON grammar forbids but fastDecimal would accept.
func hasLeadingZero(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	return len(b) > 1 && b[0] == '0' && isDigit(b[1])
}

// secondsToTime converts Prometheus float seconds to a UTC time, truncating seconds×1000 to whole milliseconds.
func secondsToTime(sec float64) time.Time {
	return time.UnixMilli(int64(sec * 1000)).UTC()
}

// parseInt8 parses a JSON integer in the int8 range.
func parseInt8(b []byte) (int8, bool) {
	v, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(b), len(b)), 10, 8)
	return int8(v), err == nil
}
