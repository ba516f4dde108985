package converter

// skipLiteral consumes true, false or null.
func (s *scanner) skipLiteral() error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	var lit string
	switch c {
	case 't':
		lit = "true"
	case 'f':
		lit = "false"
	default:
		lit = "null"
	}
	if !s.fill(len(lit)) {
		if s.end-s.pos < len(lit) && string(s.buf[s.pos:s.end]) == lit[:s.end-s.pos] {
			return s.eofError()
		}
	}
	if s.end-s.pos < len(lit) || string(s.buf[s.pos:s.pos+len(lit)]) != lit {
		return s.errorf("invalid literal, expected %s", lit)
	}
	s.pos += len(lit)
	return nil
}

// skipValue consumes any JSON value, checking its syntax.
func (s *scanner) skipValue() error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	switch {
	case c == '"':
		return s.skipString()
	case c == '{':
		if err := s.enterObject("value"); err != nil {
			return err
		}
		for i := 0; ; i++ {
			_, ok, err := s.nextKey(i)
			if err != nil || !ok {
				return err
			}
			if err := s.skipValue(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := s.enterArray("value"); err != nil {
			return err
		}
		for i := 0; ; i++ {
			ok, err := s.next(i, ']')
			if err != nil || !ok {
				return err
			}
			if err := s.skipValue(); err != nil {
				return err
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		return s.skipLiteral()
	case c == '-' || isDigit(c):
		_, err := s.readNumber()
		return err
	}
	return s.errorf("unexpected character %q", c)
}

// skipToDepth abandons the value being read: it consumes tokens, without checking the grammar, until the nesting
// is back to depth. Only used on a path that ends in an error anyway.
func (s *scanner) skipToDepth(depth int) error {
	for s.depth > depth {
		c, err := s.peek()
		if err != nil {
			return err
		}
		switch c {
		case '[', '{':
			if s.depth >= maxDepth {
				return s.errorf("nesting deeper than %d levels", maxDepth)
			}
			s.pos++
			s.depth++
		case ']', '}':
			s.pos++
			s.depth--
		case ',', ':':
			s.pos++
		default:
			if err := s.skipValue(); err != nil {
				return err
			}
		}
	}
	return nil
}
