import { DataFrame, QueryHint } from '@grafana/data';

import { maskVariables } from './variables';

// Functions that already turn a counter into something meaningful.
const COUNTER_FUNCTIONS = /\b(rate|irate|increase|resets|delta|idelta|deriv|changes|histogram_quantile|count|count_over_time|absent|absent_over_time|present_over_time)\s*\(/;

/** Metric names of a query's selectors (best effort: identifiers not followed by "(" and not keywords). */
function metricNames(expr: string): string[] {
  const masked = maskVariables(expr).text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const names = new Set<string>();
  for (const m of masked.matchAll(/(?<![\w:.])([A-Za-z_:][\w:]*)(?=\s*(?:\{|\[|$|[^\w(]))/g)) {
    if (!/^(by|without|on|ignoring|group_left|group_right|offset|bool|and|or|unless|_.*)$/.test(m[1])) {
      names.add(m[1]);
    }
  }
  return [...names];
}

/**
 * Hints shown under the editor, as in Grafana's Prometheus editor: a counter used without rate(), and histogram
 * buckets used without histogram_quantile(). Each comes with a fix the editor applies through modifyQuery.
 */
export function queryHints(expr: string, _series?: DataFrame[]): QueryHint[] {
  const hints: QueryHint[] = [];
  if (!expr.trim() || COUNTER_FUNCTIONS.test(expr)) {
    return hints;
  }
  const names = metricNames(expr);
  const bucket = names.find((n) => n.endsWith('_bucket'));
  if (bucket) {
    hints.push({
      type: 'HISTOGRAM_QUANTILE',
      label: `Selected metric ${bucket} has a histogram structure.`,
      fix: {
        label: 'Consider calculating aggregated quantile by adding histogram_quantile().',
        action: { type: 'ADD_HISTOGRAM_QUANTILE', query: expr },
      },
    });
    return hints;
  }
  const counter = names.find((n) => /_(total|count|sum)$/.test(n));
  if (counter) {
    hints.push({
      type: 'APPLY_RATE',
      label: `Selected metric ${counter} looks like a counter.`,
      fix: {
        label: 'Consider calculating rate of counter by adding rate().',
        action: { type: 'ADD_RATE', query: expr },
      },
    });
  }
  return hints;
}
