/** Label matcher operators the builder offers. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export const MATCH_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];

/** One label filter of the metric selector; the value is unquoted text. */
export interface LabelFilter {
  label: string;
  op: MatchOp;
  value: string;
}

/** The metric selector every builder query starts from. An empty metric selects by labels only. */
export interface Selector {
  metric: string;
  labels: LabelFilter[];
}

/** `by (...)` or `without (...)` on an aggregation. */
export interface Grouping {
  mode: 'by' | 'without';
  labels: string[];
}

/** Binary operators between a query and a scalar or another query. */
export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** `on`/`ignoring` label matching and `group_left`/`group_right` between two queries. */
export interface VectorMatching {
  card?: 'on' | 'ignoring';
  labels: string[];
  group?: 'left' | 'right';
  include: string[];
}

/**
 * One step of the operation chain, applied to the result of the steps before it. Numbers and durations are kept
 * as the text the user wrote (`0.99`, `5m`, `$quantile`), so a query round-trips character for character.
 */
export type Operation =
  | { kind: 'range'; fn: string; range: string; args: string[] }
  | { kind: 'function'; fn: string; args: string[] }
  | { kind: 'aggregation'; op: string; param?: string; grouping?: Grouping }
  | { kind: 'scalar'; operator: BinaryOperator; value: string; bool?: boolean; scalarFirst?: boolean }
  | { kind: 'binary'; operator: BinaryOperator; bool?: boolean; matching?: VectorMatching; query: BuilderQuery };

/** What the visual builder edits: a selector and the operations applied to it, innermost first. */
export interface BuilderQuery {
  selector: Selector;
  operations: Operation[];
}

/** The outcome of reading PromQL into the builder: the model, or why the builder cannot show the query. */
export type ParseResult = { ok: true; query: BuilderQuery } | { ok: false; reason: string };

/** An empty builder query. */
export function emptyQuery(): BuilderQuery {
  return { selector: { metric: '', labels: [] }, operations: [] };
}
