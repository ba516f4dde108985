import type { LabelFilter } from '../querybuilder/model';
import { quotePromQLString } from '../resources/selectors';

/** A label filter row of the variable editor (`job="api"`), the same as the query builder's. */
export type { LabelFilter };

/** A series selector split into the metric picker and the label filter rows. */
export interface SelectorParts {
  metric: string;
  filters: LabelFilter[];
}

const SELECTOR = /^([A-Za-z_:][\w:]*)?\s*(?:\{(.*)\})?$/s;
const MATCHER = /^\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/s;

/**
 * Splits `metric{a="1", b=~"x"}` into its metric and filters. Returns undefined for anything the pickers cannot
 * show exactly (quoted metric names, `or`, functions), which the editor keeps as a classic query instead.
 */
export function parseSelector(text: string): SelectorParts | undefined {
  const m = SELECTOR.exec(text.trim());
  if (!m || (!m[1] && m[2] === undefined)) {
    return text.trim() === '' ? { metric: '', filters: [] } : undefined;
  }
  const filters: LabelFilter[] = [];
  let rest = m[2] ?? '';
  while (rest.trim() !== '') {
    const f = MATCHER.exec(rest);
    if (!f) {
      return undefined;
    }
    filters.push({ label: f[1], op: f[2] as LabelFilter['op'], value: JSON.parse(`"${f[3]}"`) });
    rest = rest.slice(f[0].length);
  }
  return { metric: m[1] ?? '', filters };
}

/** Writes the metric and the complete filters back as a selector; empty when there is nothing to match. */
export function formatSelector({ metric, filters }: SelectorParts): string {
  const matchers = filters.filter((f) => f.label && f.value !== '').map((f) => `${f.label}${f.op}${quotePromQLString(f.value)}`);
  if (matchers.length === 0) {
    return metric;
  }
  return `${metric}{${matchers.join(', ')}}`;
}
