package converter

import (
	"errors"
	"fmt"
	"io"
)

// Bounds on what the decoder holds at once. A body that needs more is rejected with an error, so a hostile or
// broken server cannot make the converter buffer without limit: the read buffer never grows past about
// 2×maxStringLen, whatever the body size.
const (
	defaultBufferSize = 64 << 10
	// maxStringLen bounds one string token (label value, warning, error text) that is kept. Skipped strings
	// stream through the buffer and have no bound.
	maxStringLen = 4 << 20
	// maxNumberLen bounds one number token, kept or skipped; Prometheus never writes more than about 25 bytes.
	maxNumberLen = 512
	// maxDepth bounds nesting; Prometheus responses nest at most 7 levels deep.
	maxDepth = 128
	// maxZeroReads mirrors bufio: a reader that keeps returning nothing is broken.
	maxZeroReads = 100
)

// parseError is an error in the body. shape marks valid JSON that does not have the expected structure, which is
// recoverable while a result is read before its resultType.
type parseError struct {
	msg   string
	off   int64
	shape bool
	cause error
}

func (e *parseError) Error() string {
	return fmt.Sprintf("response from prometheus couldn't be parsed: %s (at byte %d)", e.msg, e.off)
}

func (e *parseError) Unwrap() error { return e.cause }

func isShapeError(err error) bool {
	var pe *parseError
	return errors.As(err, &pe) && pe.shape
}

// scanner is a JSON tokenizer over an io.Reader. Token bytes it returns point into its buffer and stay valid only
// until the next call, so callers convert or parse them at once; that is what keeps the hot paths allocation-free.
type scanner struct {
	rd    io.Reader
	buf   []byte
	pos   int   // next unread byte in buf
	end   int   // end of the valid bytes in buf
	base  int64 // stream offset of buf[0]
	eof   bool  // no more bytes will come; rerr says why if not io.EOF
	rerr  error
	depth int
	// keyBuf holds the last object key, so it survives the buffer refills done while reading its value.
	keyBuf []byte
	// strBuf holds the last decoded string that contained escapes.
	strBuf []byte
}

func (s *scanner) reset(r io.Reader, bufSize int) {
	if cap(s.buf) < bufSize || cap(s.buf) > 2*bufSize {
		s.buf = make([]byte, bufSize)
	}
	s.buf = s.buf[:cap(s.buf)]
	*s = scanner{rd: r, buf: s.buf, keyBuf: s.keyBuf[:0], strBuf: s.strBuf[:0]}
}

func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

func (s *scanner) errorf(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...), off: s.offset()}
}

func (s *scanner) shapef(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...), off: s.offset(), shape: true}
}

// eofError is the error for a token cut short by the end of the body or by a read error.
func (s *scanner) eofError() error {
	if s.rerr != nil {
		return &parseError{msg: "reading the body: " + s.rerr.Error(), off: s.offset(), cause: s.rerr}
	}
	return &parseError{msg: "unexpected end of JSON input", off: s.offset(), cause: io.ErrUnexpectedEOF}
}

// fill makes at least n unread bytes available unless the body ends first, and reports whether it did. The unread
// bytes move to the front of the buffer, which grows when n exceeds it.
func (s *scanner) fill(n int) bool {
	if s.end-s.pos >= n {
		return true
	}
	if s.eof {
		return false
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end -= s.pos
		s.pos = 0
	}
	if n > len(s.buf) {
		grown := make([]byte, max(n, 2*len(s.buf)))
		copy(grown, s.buf[:s.end])
		s.buf = grown
	}
	zeroReads := 0
	for s.end < n {
		m, err := s.rd.Read(s.buf[s.end:])
		s.end += m
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
			break
		}
		if m > 0 {
			zeroReads = 0
		} else if zeroReads++; zeroReads >= maxZeroReads {
			s.eof, s.rerr = true, io.ErrNoProgress
			break
		}
	}
	return s.end-s.pos >= n
}

// peek skips whitespace and returns the next byte without consuming it.
func (s *scanner) peek() (byte, error) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\n', '\r', '\t':
				s.pos++
			default:
				return c, nil
			}
		}
		if !s.fill(1) {
			return 0, s.eofError()
		}
	}
}

func (s *scanner) enter(open byte, what string) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c != open {
		return s.shapef("%s is not %s but %s", what, describe(open), describe(c))
	}
	if s.depth >= maxDepth {
		return s.errorf("nesting deeper than %d levels", maxDepth)
	}
	s.pos++
	s.depth++
	return nil
}

// enterArray consumes '['; what names the value in the error when it is something else.
func (s *scanner) enterArray(what string) error { return s.enter('[', what) }

// enterObject consumes '{'.
func (s *scanner) enterObject(what string) error { return s.enter('{', what) }

// skipNull consumes a null and reports whether there was one; the readers treat null like an absent value.
func (s *scanner) skipNull() (bool, error) {
	c, err := s.peek()
	if err != nil || c != 'n' {
		return false, err
	}
	return true, s.skipLiteral()
}

// describe names the kind of value that starts with c.
func describe(c byte) string {
	switch {
	case c == '[':
		return "an array"
	case c == '{':
		return "an object"
	case c == '"':
		return "a string"
	case c == 'n':
		return "null"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == '-' || isDigit(c):
		return "a number"
	}
	return fmt.Sprintf("%q", c)
}

// next is called before element i of the current array or member i of the current object (close is ']' or '}').
// It consumes the separator, or the closing bracket and then reports false.
func (s *scanner) next(i int, close byte) (bool, error) {
	c, err := s.peek()
	if err != nil {
		return false, err
	}
	if c == close {
		s.pos++
		s.depth--
		return false, nil
	}
	if i == 0 {
		return true, nil
	}
	if c != ',' {
		return false, s.errorf("expected ',' or '%c', found %q", close, c)
	}
	s.pos++
	return true, nil
}

// nextKey reads the key of member i of the current object and the colon after it. The key stays valid until the
// next nextKey call.
func (s *scanner) nextKey(i int) ([]byte, bool, error) {
	ok, err := s.next(i, '}')
	if !ok || err != nil {
		return nil, false, err
	}
	c, err := s.peek()
	if err != nil {
		return nil, false, err
	}
	if c != '"' {
		return nil, false, s.errorf("expected an object key, found %q", c)
	}
	key, err := s.readString()
	if err != nil {
		return nil, false, err
	}
	s.keyBuf = append(s.keyBuf[:0], key...)
	if c, err = s.peek(); err != nil {
		return nil, false, err
	}
	if c != ':' {
		return nil, false, s.errorf("expected ':' after object key, found %q", c)
	}
	s.pos++
	return s.keyBuf, true, nil
}
