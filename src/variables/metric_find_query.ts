import { MetricFindValue, TimeRange } from '@grafana/data';

import { InstantQueryData, ResourceClient } from '../resources/resource_client';

/** The kinds of variable query Grafana's Prometheus data source understands. */
export type VariableQueryKind =
  | { kind: 'label_names'; match?: string }
  | { kind: 'label_values'; label: string; match?: string }
  | { kind: 'metrics'; regex: string }
  | { kind: 'query_result'; expr: string }
  | { kind: 'series'; selector: string };

const LABEL_NAMES = /^label_names\(\s*(.*?)\s*\)\s*$/s;
const LABEL_VALUES = /^label_values\((?:(.+),\s*)?([^,)]+?)\s*\)\s*$/s;
const METRICS = /^metrics\((.*)\)\s*$/s;
const QUERY_RESULT = /^query_result\((.+)\)\s*$/s;

/** Parses a variable query. Anything that is not a function call is a series selector. */
export function parseVariableQuery(text: string): VariableQueryKind {
  const query = text.trim();
  let m = LABEL_NAMES.exec(query);
  if (m) {
    return m[1] ? { kind: 'label_names', match: m[1] } : { kind: 'label_names' };
  }
  m = LABEL_VALUES.exec(query);
  if (m) {
    const match = m[1]?.trim();
    return match ? { kind: 'label_values', label: m[2].trim(), match } : { kind: 'label_values', label: m[2].trim() };
  }
  m = METRICS.exec(query);
  if (m) {
    return { kind: 'metrics', regex: m[1].trim() };
  }
  m = QUERY_RESULT.exec(query);
  if (m) {
    return { kind: 'query_result', expr: m[1].trim() };
  }
  return { kind: 'series', selector: query };
}

/** Writes a parsed query back as text, the inverse of parseVariableQuery. */
export function formatVariableQuery(q: VariableQueryKind): string {
  switch (q.kind) {
    case 'label_names':
      return `label_names(${q.match ?? ''})`;
    case 'label_values':
      return q.match ? `label_values(${q.match}, ${q.label})` : `label_values(${q.label})`;
    case 'metrics':
      return `metrics(${q.regex})`;
    case 'query_result':
      return `query_result(${q.expr})`;
    case 'series':
      return q.selector;
  }
}

/** Renders a label set the way Prometheus prints a series: `name{a="1",b="2"}`. */
export function formatSeries(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return `${name}{${pairs.join(',')}}`;
}

function queryResultTexts(data: InstantQueryData): string[] {
  switch (data.resultType) {
    case 'vector':
      return data.result.map((s) => `${formatSeries(s.metric)} ${s.value[1]} ${Math.round(s.value[0] * 1000)}`);
    case 'matrix':
      return data.result.map((s) => formatSeries(s.metric));
    case 'scalar':
    case 'string':
      return [`${data.result[1]} ${Math.round(data.result[0] * 1000)}`];
  }
  return [];
}

/**
 * Runs an (already interpolated) variable query against the resources for the dashboard's time range. Names and
 * values come back sorted as the API returns them; Grafana applies the variable's own sort and regex afterwards.
 */
export async function runVariableQuery(
  resources: ResourceClient,
  text: string,
  range: TimeRange
): Promise<MetricFindValue[]> {
  const q = parseVariableQuery(text);
  let texts: string[];
  switch (q.kind) {
    case 'label_names':
      texts = await resources.labelNames(range, q.match);
      break;
    case 'label_values':
      texts = await resources.labelValues(q.label, range, q.match);
      break;
    case 'metrics': {
      // Grafana's Prometheus data source matches the pattern anywhere in the name, unanchored.
      const pattern = new RegExp(q.regex);
      texts = (await resources.labelValues('__name__', range)).filter((name) => pattern.test(name));
      break;
    }
    case 'query_result':
      texts = queryResultTexts(await resources.instantQuery(q.expr, Math.ceil(range.to.valueOf() / 1000)));
      break;
    case 'series':
      texts = [...new Set((await resources.series(range, q.selector)).map(formatSeries))];
      break;
  }
  return texts.map((text) => ({ text, value: text }));
}
