package converter

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStringEscapes(t *testing.T) {
	valid := []string{`plain`, `a\"b\\c\/d`, `\b\f\n\r\t`, `\u00e9\u6771`, `\ud83d\ude00`, `\ud83d`, `\ude00x`, `\ud83d\u0041`,
		`\ud83dx\ude00`, `\uD83D\uDE00`, "raw \xff bytes \xe2\x82", `Zürich`}
	for _, lit := range valid {
		t.Run(lit, func(t *testing.T) {
			res := read(t, `{"data":{"resultType":"vector","result":[{"metric":{"v":"`+lit+`"},"value":[1,"1"]}]}}`)
			var want string
			require.NoError(t, json.Unmarshal([]byte(`"`+lit+`"`), &want))
			got := res.Frames[0].Fields[1].Labels["v"]
			if strings.Contains(lit, "\xff") {
				// encoding/json replaces invalid UTF-8; the converter passes the bytes through.
				assert.Equal(t, "raw \xff bytes \xe2\x82", got)
				return
			}
			assert.Equal(t, want, got)
		})
	}
	invalid := map[string]string{
		`\x`:           `invalid escape 'x'`,
		`\u12g4`:       `invalid \u escape`,
		"tab\there":    `control character '\t'`,
		`unterminated`: "unexpected end of JSON input",
	}
	for lit, want := range invalid {
		t.Run(lit, func(t *testing.T) {
			body := `{"data":{"resultType":"vector","result":[{"metric":{"v":"` + lit + `"},"value":[1,"1"]}]}}`
			if lit == "unterminated" {
				body = `{"warnings":["abc`
			}
			_, err := ReadResponse(strings.NewReader(body))
			require.ErrorContains(t, err, want)
		})
	}
}

// TestGeneralPathAndChunking decodes every corpus entry through a 16-byte buffer fed one byte per Read, so every
// token crosses refills, without the fast paths, and requires the same result as the default path.
func TestGeneralPathAndChunking(t *testing.T) {
	for _, file := range corpusFiles(t, "") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			body := corpusEntry(t, file)
			want, wantErr := ReadResponse(bytes.NewReader(body))
			got, err := readResponse(iotest.OneByteReader(bytes.NewReader(body)), 16, false)
			if wantErr != nil {
				require.EqualError(t, err, wantErr.Error())
				return
			}
			require.NoError(t, err)
			requireSameResult(t, want, got)
		})
	}
}

// TestTruncatedBodies cuts valid bodies at every byte: each prefix is an error, never a panic or a partial result.
func TestTruncatedBodies(t *testing.T) {
	for _, name := range []string{"recorded_matrix_special_values", "recorded_vector_stats", "handmade_histogram_matrix",
		"handmade_exemplars_unknown_key", "handmade_pretty_warnings", "handmade_mixed_data_array"} {
		t.Run(name, func(t *testing.T) {
			body := corpusEntry(t, filepath.Join(corpusDir, name))
			for i := range len(body) {
				res, err := ReadResponse(bytes.NewReader(body[:i]))
				require.Error(t, err, "prefix of %d bytes", i)
				require.Nil(t, res)
			}
		})
	}
}

// repeatReader yields prefix, then n copies of fill, then suffix, without holding them.
type repeatReader struct {
	prefix, suffix string
	fill           byte
	n              int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	switch {
	case r.prefix != "":
		n := copy(p, r.prefix)
		r.prefix = r.prefix[n:]
		return n, nil
	case r.n > 0:
		n := int(min(int64(len(p)), r.n))
		for i := range n {
			p[i] = r.fill
		}
		r.n -= int64(n)
		return n, nil
	case r.suffix != "":
		n := copy(p, r.suffix)
		r.suffix = r.suffix[n:]
		return n, nil
	}
	return 0, io.EOF
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHostileBodiesAreBounded(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name     string
		body     io.Reader
		want     string // error text, "" for success
		maxAlloc uint64
	}{
		{"2 GB kept string", &repeatReader{prefix: `{"status":"`, fill: 'a', n: 2 << 30, suffix: `"}`},
			"string longer than 4194304 bytes", 24 * mib},
		{"64 MiB skipped string", &repeatReader{prefix: `{"extra":"`, fill: 'a', n: 64 * mib, suffix: `","status":"success"}`},
			"", 2 * mib},
		{"million-digit number", &repeatReader{prefix: `{"extra":1`, fill: '0', n: mib, suffix: `}`},
			"number longer than 512 bytes", mib},
		{"million-digit sample time", &repeatReader{prefix: `{"data":{"resultType":"matrix","result":[{"values":[[1`, fill: '0', n: mib},
			"number longer than 512 bytes", mib},
		{"deep nesting", &repeatReader{prefix: `{"extra":`, fill: '[', n: 1 << 30},
			"nesting deeper than 128 levels", mib},
		{"deep nesting in stats", &repeatReader{prefix: `{"data":{"stats":`, fill: '[', n: 1 << 30},
			"nesting deeper than 128 levels", mib},
		{"label table blow-up", strings.NewReader(uniqueKeyRows(5000)),
			"label table too large for the size of the body", 64 * mib},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = ReadResponse(tc.body) })
			if tc.want == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, tc.want)
			}
			assert.Less(t, alloc, tc.maxAlloc)
		})
	}
}

// uniqueKeyRows is a series list where each row adds a label name, so the dense table grows quadratically.
func uniqueKeyRows(n int) string {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"k` + strconv.Itoa(i) + `":""}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

func TestReaderFailures(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := ReadResponse(io.MultiReader(strings.NewReader(`{"status":"succ`), iotest.ErrReader(boom)))
	require.ErrorIs(t, err, boom)
	require.ErrorContains(t, err, "reading the body: connection reset")

	_, err = ReadResponse(io.MultiReader(strings.NewReader(`{"status":`), zeroReader{}))
	require.ErrorIs(t, err, io.ErrNoProgress)

	_, err = ReadResponse(strings.NewReader(`{"data":{"resultType":"matrix","result":[{"values":[[1,"1"],[2,"2"]`))
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestLongTokensGrowTheBuffer(t *testing.T) {
	value := strings.Repeat("x", 300_000) + `\u00e9` + strings.Repeat("y", 700_000)
	number := "0." + strings.Repeat("0", 300) + "123" // longer than the fast-path window
	body := `{"data":{"resultType":"vector","result":[{"metric":{"v":"` + value + `"},"value":[1,"` + number + `"]}]}}`
	for _, bufSize := range []int{16, defaultBufferSize} {
		res, err := readResponse(strings.NewReader(body), bufSize, true)
		require.NoError(t, err)
		assert.Equal(t, strings.Repeat("x", 300_000)+"é"+strings.Repeat("y", 700_000), res.Frames[0].Fields[1].Labels["v"])
		assert.Equal(t, 1.23e-301, res.Frames[0].Fields[1].At(0))
	}
}

// TestConcurrentReads shares the decoder pool between goroutines; run with -race.
func TestConcurrentReads(t *testing.T) {
	files := corpusFiles(t, "recorded_", "handmade_")
	want := make([]string, len(files))
	bodies := make([][]byte, len(files))
	for i, f := range files {
		bodies[i] = corpusEntry(t, f)
		res, err := ReadResponse(bytes.NewReader(bodies[i]))
		require.NoError(t, err)
		want[i], err = resultText(res)
		require.NoError(t, err)
	}
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := range files {
				k := (i + g) % len(files)
				res, err := ReadResponse(bytes.NewReader(bodies[k]))
				var got string
				if err == nil {
					got, err = resultText(res)
				}
				if err == nil && got != want[k] {
					err = errors.New("different result for " + files[k])
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}
}

// resultText renders a result, frame by frame, for comparisons off the test goroutine.
func resultText(res *Result) (string, error) {
	var b strings.Builder
	for _, f := range res.Frames {
		j, err := json.Marshal(f)
		if err != nil {
			return "", err
		}
		b.Write(j)
	}
	rest, err := json.Marshal([]any{res.Warnings, res.Infos, res.Notices, res.Stats, res.Error, res.ErrorType})
	b.Write(rest)
	return b.String(), err
}
