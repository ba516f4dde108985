package converter

import (
	"bytes"
	"math"
	"strconv"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzReadResponse checks that no body makes ReadResponse panic or misbehave: on success every frame is
// rectangular and survives Decorate and Arrow encoding; on error there is no result; and decoding the same body one
// byte per Read through a 16-byte initial buffer, without the sample and bucket fast paths (every token crosses
// refills, the buffer must grow, the general path decodes everything), gives exactly the same answer.
//
//	go test -fuzz=FuzzReadResponse ./pkg/converter
func FuzzReadResponse(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := ReadResponse(bytes.NewReader(body))
		slow, slowErr := readResponse(iotest.OneByteReader(bytes.NewReader(body)), 16, false)
		if err != nil {
			require.Nil(t, res, "a result came with error %v", err)
			require.Error(t, slowErr)
			require.Equal(t, err.Error(), slowErr.Error())
			return
		}
		require.NotNil(t, res)
		require.NoError(t, slowErr)
		requireSameResult(t, res, slow)
		for i, frame := range res.Frames {
			require.NotEmpty(t, frame.Fields, "frame %d has no fields", i)
			rows := frame.Fields[0].Len()
			for j, field := range frame.Fields {
				require.NotNil(t, field, "frame %d field %d", i, j)
				require.Equal(t, rows, field.Len(), "frame %d field %d (%s) length", i, j, field.Name)
			}
		}
		frames := Decorate(res, Decoration{Expr: "up", Step: time.Minute, LegendFormat: "{{job}}", KeepEmpty: true})
		require.NotEmpty(t, frames)
	})
}

// FuzzParseFloat checks the decimal fast paths against strconv.ParseFloat, bit for bit.
//
//	go test -fuzz=FuzzParseFloat ./pkg/converter
func FuzzParseFloat(f *testing.F) {
	for _, seed := range []string{"1767225600", "1767225615.479", "0.26666666666666666", "9007199254740993", "-0", "NaN",
		"1e3", "12345678901234567890", "0.000000000000000001"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wantErr := strconv.ParseFloat(s, 64)
		got, err := parseFloat([]byte(s))
		require.Equal(t, wantErr == nil, err == nil)
		require.Equal(t, math.Float64bits(want), math.Float64bits(got))
	})
}
