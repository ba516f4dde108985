/**
 * Grafana template variables inside PromQL: finding them, and masking them with same-length PromQL so that the
 * text can be parsed (linted) without moving any position.
 */

/** One variable reference in a query: `$var`, `${var}`, `${var:fmt}`, `${var.path}`, `[[var]]` or `[[var:fmt]]`. */
export interface VariableRef {
  from: number;
  to: number;
  name: string;
}

// Grafana's three spellings. `$__rate_interval` and the other built-ins are ordinary names here.
const variablePattern = /\$\{([\w.]+?)(?:[.:][^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g;

/** The variable references of a text, in order. References inside `#` comments are included. */
export function findVariables(text: string): VariableRef[] {
  const refs: VariableRef[] = [];
  for (const m of text.matchAll(variablePattern)) {
    refs.push({ from: m.index, to: m.index + m[0].length, name: m[1] ?? m[2] ?? m[3] });
  }
  return refs;
}

/** What a masked variable pretends to be, so the parser sees a valid query. */
export type MaskKind = 'identifier' | 'number' | 'duration';

/** A same-length stand-in of a kind: `___rate_interval`, `1111`, `0001s`. */
export function maskText(ref: string, kind: MaskKind): string {
  const n = ref.length;
  switch (kind) {
    case 'number':
      return '1'.repeat(n);
    case 'duration':
      return '0'.repeat(n - 2) + '1s';
    default:
      return ref.replace(/\W/g, '_');
  }
}

// Functions and aggregations whose first argument is a scalar (or a count).
const scalarFirstArgument = /\b(topk|bottomk|limitk|limit_ratio|quantile|histogram_quantile|quantile_over_time)\s*\(\s*$/;
// Functions whose later arguments are scalars: clamp(v, min, max), round(v, to), predict_linear(v, t), ...
const scalarLaterArgument =
  /\b(clamp|clamp_min|clamp_max|round|predict_linear|holt_winters|double_exponential_smoothing|histogram_fraction)\s*\([^()]*,\s*$/;

/**
 * The kind a variable most likely stands for, from the text before it: a duration after `[`, a subquery `:` or
 * `offset`; a number where a function takes a scalar or after `@`; otherwise a name (metric, label or vector).
 */
export function guessKind(before: string): MaskKind {
  const b = before.replace(/\s+$/, '');
  const openBrackets = (before.match(/\[/g)?.length ?? 0) - (before.match(/\]/g)?.length ?? 0);
  if (/\[$/.test(b) || /\boffset$/i.test(b) || (openBrackets > 0 && /:$/.test(b))) {
    return 'duration';
  }
  if (/@$/.test(b) || scalarFirstArgument.test(before) || scalarLaterArgument.test(before)) {
    return 'number';
  }
  return 'identifier';
}

/** The string-literal spans of a PromQL text (double, single and back quotes, with escapes). */
export function stringSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      // A comment runs to the end of the line.
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c !== '"' && c !== "'" && c !== '`') {
      continue;
    }
    const start = i;
    for (i++; i < text.length && text[i] !== c; i++) {
      if (text[i] === '\\' && c !== '`') {
        i++;
      }
    }
    spans.push([start, Math.min(i + 1, text.length)]);
  }
  return spans;
}

/**
 * What is still open at `pos` (the end by default): the brackets outside strings and comments, innermost last, and
 * the quote of an unclosed string literal ('' when there is none).
 */
export function openAt(text: string, pos = text.length): { brackets: string[]; quote: string } {
  const brackets: string[] = [];
  let quote = '';
  for (let i = 0; i < pos; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') {
        i++;
      } else if (c === quote) {
        quote = '';
      }
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '#') {
      // A comment runs to the end of the line.
      const end = text.indexOf('\n', i);
      i = end < 0 ? pos : end;
    } else if (c === '(' || c === '[' || c === '{') {
      brackets.push(c);
    } else if (c === ')' || c === ']' || c === '}') {
      brackets.pop();
    }
  }
  return { brackets, quote };
}

/** A variable the linter masks, with the kind it is currently masked as. */
export interface MaskedRef extends VariableRef {
  kind: MaskKind;
}

/**
 * Replaces every variable outside string literals with a same-length stand-in of its kind. Variables inside
 * strings (`job="$job"`) stay: any text is valid there.
 */
export function maskVariables(text: string, kinds?: MaskKind[]): { text: string; refs: MaskedRef[] } {
  const strings = stringSpans(text);
  const refs = findVariables(text)
    .filter((r) => !strings.some(([from, to]) => r.from > from && r.to < to))
    .map((r, i) => ({ ...r, kind: kinds?.[i] ?? guessKind(text.slice(0, r.from)) }));
  let out = '';
  let at = 0;
  for (const r of refs) {
    out += text.slice(at, r.from) + maskText(text.slice(r.from, r.to), r.kind);
    at = r.to;
  }
  return { text: out + text.slice(at), refs };
}
