package converter

// maxStatsLen bounds the body bytes of data.stats, the only member decoded generically.
const maxStatsLen = 16 << 20

// readGeneric decodes any JSON value the way encoding/json decodes into an interface (objects as map[string]any,
// numbers as float64). start is the offset where the bounded value began.
func (d *decoder) readGeneric(start int64) (any, error) {
	s := &d.s
	if s.offset()-start > maxStatsLen {
		return nil, s.errorf("stats longer than %d bytes", maxStatsLen)
	}
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	switch {
	case c == '"':
		b, err := s.readString()
		return string(b), err
	case c == '{':
		if err := s.enterObject("value"); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for i := 0; ; i++ {
			key, ok, err := s.nextKey(i)
			if err != nil || !ok {
				return m, err
			}
			name := string(key)
			if m[name], err = d.readGeneric(start); err != nil {
				return nil, err
			}
		}
	case c == '[':
		if err := s.enterArray("value"); err != nil {
			return nil, err
		}
		list := []any{}
		for i := 0; ; i++ {
			ok, err := s.next(i, ']')
			if err != nil || !ok {
				return list, err
			}
			v, err := d.readGeneric(start)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case c == 't' || c == 'f' || c == 'n':
		if err := s.skipLiteral(); err != nil {
			return nil, err
		}
		switch c {
		case 't':
			return true, nil
		case 'f':
			return false, nil
		}
		return nil, nil
	case c == '-' || isDigit(c):
		num, err := s.readNumber()
		if err != nil {
			return nil, err
		}
		f, err := parseFloat(num)
		if err != nil {
			return nil, s.errorf("number %s out of range", num)
		}
		return f, nil
	}
	return nil, s.errorf("unexpected character %q", c)
}
