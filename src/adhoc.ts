import { AdHocVariableFilter, MetricFindValue, TimeRange } from '@grafana/data';

import { escapeRegex } from './macros';
import { ResourceClient } from './resources/resource_client';
import { quotePromQLString } from './resources/selectors';

/**
 * A PromQL matcher for an ad-hoc filter; the one-of operators become regex alternatives. Values are regex-escaped
 * once and the whole regex is quoted once, so `a.b` matches the value a.b only.
 */
function matcherOf(f: AdHocVariableFilter): string | undefined {
  const values = f.values?.length ? f.values : [f.value];
  switch (f.operator) {
    case '=':
    case '!=':
    case '=~':
    case '!~':
      return `${f.key}${f.operator}${quotePromQLString(f.value)}`;
    case '=|':
      return `${f.key}=~${quotePromQLString(values.map(escapeRegex).join('|'))}`;
    case '!=|':
      return `${f.key}!~${quotePromQLString(values.map(escapeRegex).join('|'))}`;
    default:
      return undefined;
  }
}

/**
 * The series selector of the current ad-hoc filters (except those on `skipKey`), so the dropdowns only offer
 * keys and values that still match something; undefined when there are none.
 */
export function filtersSelector(filters: AdHocVariableFilter[], skipKey?: string): string | undefined {
  const matchers = filters
    .filter((f) => f.key && f.key !== skipKey)
    .map(matcherOf)
    .filter((m): m is string => m !== undefined);
  return matchers.length ? `{${matchers.join(',')}}` : undefined;
}

/** Ad-hoc filter keys: the workspace's label names for the range, narrowed by the other filters. */
export async function tagKeys(resources: ResourceClient, range: TimeRange, filters: AdHocVariableFilter[]): Promise<MetricFindValue[]> {
  const names = await resources.labelNames(range, filtersSelector(filters));
  return names.filter((n) => n !== '__name__').map((text) => ({ text }));
}

/** Ad-hoc filter values of one key, narrowed by the other filters. */
export async function tagValues(
  resources: ResourceClient,
  range: TimeRange,
  key: string,
  filters: AdHocVariableFilter[]
): Promise<MetricFindValue[]> {
  const values = await resources.labelValues(key, range, filtersSelector(filters, key));
  return values.map((text) => ({ text }));
}
