package models

import (
	"fmt"
)

// maxExprOperators bounds the binary operators of an expression the plugin parses. Each operator of a chain such
// as "a + b + c ..." is one more level of the syntax tree, and the PromQL parser and printer take time quadratic
// in that depth: 1,000 levels cost tens of milliseconds, 20,000 several seconds.
const maxExprOperators = 1000

// ExprTooLargeError is an expression over AMP's request size limit. Its usual cause is a multi-value variable
// with thousands of selected values.
type ExprTooLargeError struct{ Size int }

func (e *ExprTooLargeError) Error() string {
	return fmt.Sprintf("the query expression is %d bytes, over the 1 MB request size limit of Amazon Managed Service for Prometheus "+
		"(%d bytes): %s", e.Size, MaxRequestBytes, RequestSizeAdvice)
}

// RequestSizeAdvice is the usual cause of a request over AMP's size limit, and what to do about it.
const RequestSizeAdvice = "this usually comes from a multi-value or \"All\" variable with thousands of values; " +
	"select fewer values, use a regex matcher such as =~\"prefix.*\" instead of listing them, or add a custom \"All\" value such as .*"

// checkExprSize refuses an expression that cannot fit in one request.
func checkExprSize(expr string) error {
	if len(expr) > MaxRequestBytes {
		return &ExprTooLargeError{Size: len(expr)}
	}
	return nil
}

// checkExprComplexity bounds the depth of the syntax tree before the expression is parsed, in one pass that
// skips string literals and comments: nested brackets, and binary operators outside selectors' braces.
func checkExprComplexity(expr string) error {
	depth, maxDepth, braces, operators := 0, 0, 0, 0
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; c {
		case '"', '\'', '`':
			i = skipString(expr, i)
		case '#':
			for i < len(expr) && expr[i] != '\n' {
				i++
			}
		case '(', '[', '{':
			depth++
			maxDepth = max(maxDepth, depth)
			if c == '{' {
				braces++
			}
		case ')', ']', '}':
			depth--
			if c == '}' && braces > 0 {
				braces--
			}
		case '+', '-', '*', '/', '%', '^', '<', '>':
			if braces == 0 {
				operators++
			}
		case '=', '!':
			// == and != are operators; =, =~ and !~ only occur inside braces.
			if braces == 0 && i+1 < len(expr) && expr[i+1] == '=' {
				operators++
				i++
			}
		default:
			if braces == 0 && isWordStart(expr, i) {
				n := wordLen(expr, i)
				switch expr[i : i+n] {
				case "and", "or", "unless", "atan2":
					operators++
				}
				i += n - 1
			}
		}
		if maxDepth > MaxExprNesting || operators > maxExprOperators {
			return fmt.Errorf("the query is too complex to apply ad-hoc filters, scopes or group-by keys to: "+
				"it nests more than %d brackets or has more than %d operators; simplify it or split it into several queries",
				MaxExprNesting, maxExprOperators)
		}
	}
	return nil
}

// skipString returns the index of the closing quote of the literal that starts at i, or the end of expr.
func skipString(expr string, i int) int {
	quote := expr[i]
	for i++; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			if quote != '`' {
				i++
			}
		case quote:
			return i
		}
	}
	return len(expr)
}

func isWordByte(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isWordStart(expr string, i int) bool {
	return isWordByte(expr[i]) && (i == 0 || !isWordByte(expr[i-1]))
}

func wordLen(expr string, i int) int {
	n := 0
	for i+n < len(expr) && isWordByte(expr[i+n]) {
		n++
	}
	return n
}
