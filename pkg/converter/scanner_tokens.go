package converter

import (
	"bytes"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// readString reads a string token (the next byte is '"') and returns its decoded bytes, valid until the next
// scanner call. Strings longer than maxStringLen are an error.
func (s *scanner) readString() ([]byte, error) { return s.scanString(true) }

// skipString consumes a string token without keeping it, so its length is not bounded.
func (s *scanner) skipString() error {
	_, err := s.scanString(false)
	return err
}

// scanString validates a string token. When keep is set the raw token stays contiguous in the buffer (which grows
// up to the bound); otherwise the bytes already checked are dropped at every refill.
func (s *scanner) scanString(keep bool) ([]byte, error) {
	s.pos++
	off := 0 // bytes of the token checked so far, from s.pos
	hasEscape := false
	for {
		b := s.buf[s.pos+off : s.end]
		j := 0
	scan:
		for j < len(b) {
			switch c := b[j]; {
			case c == '"':
				raw := s.buf[s.pos : s.pos+off+j]
				s.pos += off + j + 1
				if !keep || !hasEscape {
					return raw, nil
				}
				s.strBuf = unescape(s.strBuf[:0], raw)
				return s.strBuf, nil
			case c == '\\':
				if j+1 >= len(b) {
					break scan
				}
				switch b[j+1] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					j += 2
				case 'u':
					if j+6 > len(b) {
						break scan
					}
					if !isHex4(b[j+2 : j+6]) {
						s.pos += off + j
						return nil, s.errorf("invalid \\u escape in string")
					}
					j += 6
				default:
					s.pos += off + j
					return nil, s.errorf("invalid escape %q in string", b[j+1])
				}
				hasEscape = true
			case c < 0x20:
				s.pos += off + j
				return nil, s.errorf("control character %q in string", c)
			default:
				j++
			}
		}
		off += j
		if keep && off > maxStringLen {
			return nil, s.errorf("string longer than %d bytes", maxStringLen)
		}
		if !keep {
			s.pos += off
			off = 0
		}
		if !s.fill(s.end - s.pos + 1) {
			s.pos += off
			return nil, s.eofError()
		}
	}
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'f') {
			return false
		}
	}
	return true
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case isDigit(c):
			r = r<<4 | rune(c-'0')
		default:
			r = r<<4 | rune(c|0x20-'a'+10)
		}
	}
	return r
}

// unescape decodes a raw string token already checked by scanString. Invalid surrogates become U+FFFD, as in
// encoding/json; other bytes are kept as they are.
func unescape(out, raw []byte) []byte {
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			n := bytes.IndexByte(raw[i:], '\\')
			if n < 0 {
				n = len(raw) - i
			}
			out = append(out, raw[i:i+n]...)
			i += n
			continue
		}
		c := raw[i+1]
		i += 2
		switch c {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i : i+4])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := unicode.ReplacementChar
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					r2 = hex4(raw[i+2 : i+6])
				}
				if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
					r = dec
					i += 6
				} else {
					r = unicode.ReplacementChar
				}
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, c)
		}
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isNumberByte(c byte) bool {
	return isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'
}

// readNumber reads a number token and returns its bytes, valid until the next scanner call.
func (s *scanner) readNumber() ([]byte, error) {
	n := 0
	for {
		for s.pos+n < s.end && isNumberByte(s.buf[s.pos+n]) {
			n++
		}
		if n > maxNumberLen {
			return nil, s.errorf("number longer than %d bytes", maxNumberLen)
		}
		if s.pos+n < s.end || !s.fill(n+1) {
			break
		}
	}
	num := s.buf[s.pos : s.pos+n]
	if !validNumber(num) {
		return nil, s.errorf("invalid number %q", num)
	}
	s.pos += n
	return num, nil
}

// validNumber checks the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && isDigit(b[i]):
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return i == len(b)
}
