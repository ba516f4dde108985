import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';

/** A label matcher as the PromQL completion library passes it: `type` is a lezer-promql token id. */
export interface LabelMatcher {
  type: number;
  name: string;
  value: string;
}

/** Matcher operators, keyed by lezer-promql token id. */
const OPERATORS = new Map<number, string>([
  [EqlSingle, '='],
  [Neq, '!='],
  [EqlRegex, '=~'],
  [NeqRegex, '!~'],
]);

/** Quotes a label value as a PromQL double-quoted string. */
export function quotePromQLString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Builds a series selector for `match[]`: the metric name (if any) and the matchers, except those on
 * `skipLabel`, the label whose values are being completed (its partial value must not narrow the answer).
 * Returns undefined when nothing would be selected.
 */
export function seriesSelector(metricName?: string, matchers: LabelMatcher[] = [], skipLabel?: string): string | undefined {
  const parts: string[] = [];
  if (metricName) {
    parts.push(`__name__=${quotePromQLString(metricName)}`);
  }
  for (const m of matchers) {
    const op = OPERATORS.get(m.type);
    if (!op || m.name === skipLabel || (m.name === '__name__' && metricName)) {
      continue;
    }
    parts.push(`${m.name}${op}${quotePromQLString(m.value)}`);
  }
  return parts.length ? `{${parts.join(',')}}` : undefined;
}
