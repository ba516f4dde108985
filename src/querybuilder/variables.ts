/**
 * Grafana variables are not PromQL: `rate(x[$__rate_interval])` or `topk($n, x)` do not parse. Before parsing,
 * each variable outside a string literal is replaced by a placeholder that is valid where it stands (a duration
 * inside brackets and after `offset`, an identifier elsewhere); after parsing, `restore` puts the variable text
 * back into every name, number and duration read from the tree. Variables inside strings need nothing.
 */

/** `$var`, `${var}`, `${var:fmt}`, `${var.field}` and `[[var]]` / `[[var:fmt]]`. */
const VARIABLE = /\$\{[^}\s]+\}|\[\[[\w.:]+\]\]|\$\w+/y;

export interface MaskedQuery {
  /** The query with placeholders, ready to parse. */
  text: string;
  /** Replaces placeholders in a fragment of the masked text with the original variables. */
  restore: (fragment: string) => string;
  /** Whether the fragment is exactly one placeholder (a bare variable). */
  isVariable: (fragment: string) => boolean;
}

function durationPlaceholderBase(query: string): number {
  let base = 7919;
  while (query.includes(String(base))) {
    base += 7919;
  }
  return base;
}

/** Replaces Grafana variables outside string literals with parseable placeholders. */
export function maskVariables(query: string): MaskedQuery {
  const originals = new Map<string, string>();
  const base = durationPlaceholderBase(query);
  let out = '';
  let brackets = 0;
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(query, i);
      out += query.slice(i, end);
      i = end;
      continue;
    }
    if (c === '#') {
      const nl = query.indexOf('\n', i);
      const end = nl < 0 ? query.length : nl;
      out += query.slice(i, end);
      i = end;
      continue;
    }
    VARIABLE.lastIndex = i;
    const m = c === '$' || (c === '[' && query[i + 1] === '[') ? VARIABLE.exec(query) : null;
    if (m) {
      const n = originals.size;
      const inDuration = brackets > 0 || /\boffset\s*$/i.test(out);
      const placeholder = inDuration ? `${base}${n}ms` : `__grafana_var_${n}__`;
      originals.set(placeholder, m[0]);
      out += placeholder;
      i += m[0].length;
      continue;
    }
    if (c === '[') {
      brackets++;
    } else if (c === ']') {
      brackets = Math.max(0, brackets - 1);
    }
    out += c;
    i++;
  }
  const pattern = originals.size
    ? new RegExp([...originals.keys()].map((k) => k.replace(/[$]/g, '\\$&')).join('|'), 'g')
    : undefined;
  return {
    text: out,
    restore: (fragment) => (pattern ? fragment.replace(pattern, (p) => originals.get(p) ?? p) : fragment),
    isVariable: (fragment) => originals.has(fragment),
  };
}

/** Index just past the string literal that starts at `start` (or the end of the text when it is not closed). */
export function stringEnd(s: string, start: number): number {
  const quote = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\' && quote !== '`') {
      i++;
    } else if (s[i] === quote) {
      return i + 1;
    }
  }
  return s.length;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Reads a PromQL string literal (double, single or back quotes, with Go escapes) into its value. */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') {
    return body;
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const e = body[++i];
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
    } else if (e === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + len), 16));
      i += len;
    } else if (e >= '0' && e <= '7') {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      out += `\\${e}`;
    }
  }
  return out;
}

/** Writes a value as a double-quoted PromQL string. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
