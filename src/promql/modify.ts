import { LabelMatchers, parser, VectorSelector } from '@prometheus-io/lezer-promql';

import { quotePromQLString } from '../resources/selectors';

import { maskVariables } from './variables';

/**
 * Adds `key<op>"value"` to every vector selector of a PromQL expression, as Explore's "filter for value" and
 * "filter out value" do. A selector that already has the same matcher is left alone; one with another matcher on
 * the same label keeps it (both must hold). Text that does not parse is returned unchanged.
 */
export function addLabelToQuery(expr: string, key: string, value: string, op: '=' | '!=' = '='): string {
  const matcher = `${key}${op}${quotePromQLString(value)}`;
  // Variables are masked so that `[$__rate_interval]` parses; positions are unchanged.
  const tree = parser.parse(maskVariables(expr).text);
  const inserts: Array<{ at: number; text: string }> = [];
  let broken = false;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        broken = true;
      }
      if (node.type.id !== VectorSelector) {
        return undefined;
      }
      const matchers = node.node.getChild(LabelMatchers);
      if (!matchers) {
        inserts.push({ at: node.to, text: `{${matcher}}` });
        return false;
      }
      const inner = expr.slice(matchers.from + 1, matchers.to - 1);
      const existing = inner.split(',').map((m) => m.replace(/\s+/g, ''));
      if (!existing.includes(matcher)) {
        const empty = inner.trim() === '';
        inserts.push({ at: matchers.to - 1, text: empty ? matcher : `, ${matcher}` });
      }
      return false;
    },
  });
  if (broken) {
    return expr;
  }
  let out = expr;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) {
    out = out.slice(0, at) + text + out.slice(at);
  }
  return out;
}

/** Wraps every vector selector that is not already inside a range selector: `x{a="b"}` → `rate(x{a="b"}[$__rate_interval])`. */
export function addRateToQuery(expr: string): string {
  const tree = parser.parse(maskVariables(expr).text);
  const selectors: Array<[number, number]> = [];
  tree.iterate({
    enter: (node) => {
      if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') {
        return false;
      }
      if (node.type.id === VectorSelector) {
        selectors.push([node.from, node.to]);
        return false;
      }
      return undefined;
    },
  });
  let out = expr;
  for (const [from, to] of selectors.reverse()) {
    out = `${out.slice(0, from)}rate(${out.slice(from, to)}[$__rate_interval])${out.slice(to)}`;
  }
  return out;
}

/** `x_bucket` → `histogram_quantile(0.95, sum by (le) (rate(x_bucket[$__rate_interval])))`. */
export function addHistogramQuantileToQuery(expr: string): string {
  return `histogram_quantile(0.95, sum by (le) (${addRateToQuery(expr)}))`;
}
