import { ensureSyntaxTree } from '@codemirror/language';
import { Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { SyntaxNode, Tree } from '@lezer/common';
import { LanguageType, PromQLExtension, promQLLanguage } from '@prometheus-io/codemirror-promql';

import { MaskKind, maskVariables, MaskedRef, openAt } from './variables';

/** The library's checks (types, arguments, matchers); its parse-error message is replaced by describeError. */
const semanticLint = new PromQLExtension().getLinter().promQL();
const GENERIC_PARSE_ERROR = 'unexpected expression';

const language = promQLLanguage(LanguageType.PromQL);

function parse(text: string): { state: EditorState; tree: Tree } {
  const created = EditorState.create({ doc: text, extensions: [language] });
  const tree = ensureSyntaxTree(created, text.length, 1000);
  if (!tree) {
    throw new Error('PromQL parse did not finish');
  }
  // A new state keeps the tree its first 20 ms of parsing reached, and the library's linter reads that one
  // (syntaxTree(state)); an empty transaction hands the state the tree ensureSyntaxTree finished.
  return { state: created.update({}).state, tree };
}

const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const names: Record<string, string> = {
  '(': 'left parenthesis',
  ')': 'right parenthesis',
  '[': 'left bracket',
  ']': 'right bracket',
  '{': 'left brace',
  '}': 'right brace',
};

/** Prometheus' words for the token at `pos`: `identifier "job"`, `number "5"`, `"}"`, `end of input`. */
function tokenAt(text: string, pos: number): { desc: string; from: number; to: number } {
  const rest = text.slice(pos);
  const from = pos + rest.length - rest.trimStart().length;
  const t = rest.trimStart();
  if (t === '') {
    return { desc: 'end of input', from, to: from };
  }
  const word = /^[A-Za-z_:][\w:]*/.exec(t);
  const number = /^(?:0x[0-9a-f]+|\d[\w.]*)/i.exec(t);
  const string = /^("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)/.exec(t);
  if (word) {
    return { desc: `identifier "${word[0]}"`, from, to: from + word[0].length };
  }
  if (number) {
    return { desc: `number "${number[0]}"`, from, to: from + number[0].length };
  }
  if (string) {
    return { desc: `string ${string[0]}`, from, to: from + string[0].length };
  }
  return { desc: `"${t[0]}"`, from, to: from + 1 };
}

function within(node: SyntaxNode | null, ...types: string[]): SyntaxNode | null {
  for (let n = node; n; n = n.parent) {
    if (types.includes(n.name)) {
      return n;
    }
  }
  return null;
}

/**
 * A parse error in the words of Prometheus' parser (`unexpected identifier "job" in grouping opts, expected
 * "("`), from the error node's position, its parents and the brackets open there.
 */
export function describeError(text: string, error: SyntaxNode): Diagnostic {
  const token = tokenAt(text, error.from);
  const atEnd = token.desc === 'end of input';
  // At the end of input, mark the last character, where the user is typing.
  const start = atEnd ? Math.max(0, text.trimEnd().length - 1) : token.from;
  const end = atEnd ? start + 1 : token.to;
  const diag = (message: string): Diagnostic => ({ from: start, to: end, severity: 'error', message });
  const before = text.slice(0, error.from).trimEnd();
  const open = openAt(text, error.from).brackets;
  const c = token.desc.length === 3 ? token.desc[1] : '';

  if ((c === ')' || c === ']' || c === '}') && (open.length === 0 || closers[open[open.length - 1]] !== c)) {
    return diag(open.length === 0 ? `unexpected ${names[c]} '${c}'` : `unexpected ${names[c]} '${c}', expected "${closers[open[open.length - 1]]}"`);
  }
  const modifier = within(error, 'AggregateModifier');
  if (modifier && /\b(by|without)$/i.test(before)) {
    return diag(`unexpected ${token.desc} in grouping opts, expected "("`);
  }
  if (within(error, 'GroupingLabels') || /\b(by|without)\s*\([^()]*$/i.test(before)) {
    return diag(`unexpected ${token.desc} in grouping opts, expected label or ")"`);
  }
  if (within(error, 'LabelMatchers') || open[open.length - 1] === '{') {
    if (/(=~|!~|!=|=)$/.test(before)) {
      return diag(`unexpected ${token.desc} in label matching, expected string`);
    }
    if (token.desc === 'end of input') {
      return diag('unexpected end of input inside braces');
    }
    return diag(`unexpected ${token.desc} in label matching, expected label matching operator or "}"`);
  }
  if (open[open.length - 1] === '[') {
    return diag(`unexpected ${token.desc} in range selector, expected a duration such as 5m or $__rate_interval`);
  }
  if (/\boffset$/i.test(before)) {
    return diag(`unexpected ${token.desc} in offset, expected a duration`);
  }
  if (token.desc === 'end of input') {
    if (open.length > 0) {
      return diag(`unclosed ${names[open[open.length - 1]]}`);
    }
    return diag('unexpected end of input');
  }
  return diag(`unexpected ${token.desc}`);
}

function parseErrors(text: string, tree: Tree): Diagnostic[] {
  const out: Diagnostic[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        out.push(describeError(text, node.node));
        // One message per error region: the parser reports the first problem.
        return false;
      }
      return undefined;
    },
  });
  return out.slice(0, 1);
}

/** The library says "matrix" and "vector" where Prometheus' parser says "range vector" and "instant vector". */
function prometheusTypeNames(message: string): string {
  return message.replace(/\bmatrix\b/g, 'range vector').replace(/(?<!range |instant )\bvector\b/g, 'instant vector');
}

function lintMasked(text: string): Diagnostic[] {
  const { state, tree } = parse(text);
  // The linter reads only view.state. The cast goes through unknown because the bundler resolves the library's
  // EditorView type to the package's CommonJS declarations, which TypeScript treats as a different class.
  const view = { state } as unknown as Parameters<typeof semanticLint>[0];
  const semantic = (semanticLint(view) as Diagnostic[])
    .filter((d) => d.message !== GENERIC_PARSE_ERROR)
    .map((d) => ({ ...d, message: prometheusTypeNames(d.message) }));
  const errors = parseErrors(text, tree);
  // A query that does not parse gives the parse error only, as Prometheus does.
  return errors.length > 0 ? errors : semantic;
}

const overlaps = (d: Diagnostic, r: MaskedRef) => d.from < r.to && d.to > r.from;
const alternatives: Record<MaskKind, MaskKind[]> = {
  identifier: ['number', 'duration'],
  number: ['identifier', 'duration'],
  duration: ['number', 'identifier'],
};

/**
 * Lints PromQL as Grafana sends it: template variables (`$__rate_interval`, `$job`, `${job:regex}`,
 * `[[job]]`) are masked with same-length stand-ins before parsing, so they are never flagged, and positions
 * stay those of the text. A variable that still draws a diagnostic is tried as a number and as a duration
 * (`histogram_quantile($q, ...)`, `x[$window]`) before a problem is reported; problems confined to a variable
 * are dropped, since a variable can hold anything.
 */
export function lintPromQL(text: string): Diagnostic[] {
  if (text.trim() === '') {
    return [];
  }
  let masked = maskVariables(text);
  let diagnostics = lintMasked(masked.text);
  for (let round = 0; round < 2 && masked.refs.some((r) => diagnostics.some((d) => overlaps(d, r))); round++) {
    const kinds = masked.refs.map((r) => (diagnostics.some((d) => overlaps(d, r)) ? alternatives[r.kind][round] : r.kind));
    const retry = maskVariables(text, kinds);
    const retried = lintMasked(retry.text);
    if (retried.length < diagnostics.length) {
      masked = retry;
      diagnostics = retried;
    }
  }
  return diagnostics.filter((d) => !masked.refs.some((r) => d.from >= r.from && d.to <= r.to));
}
