import { SelectableValue } from '@grafana/data';

import { PromQuery, PromQueryFormat } from '../types';

/** How the query is evaluated; "both" sets both flags and the backend runs the two requests. */
export type QueryType = 'range' | 'instant' | 'both';

export const QUERY_TYPE_OPTIONS: Array<SelectableValue<QueryType>> = [
  { label: 'Range', value: 'range' },
  { label: 'Instant', value: 'instant' },
  { label: 'Both', value: 'both' },
];

/** Alert rules evaluate one query: no "Both". */
export const ALERTING_QUERY_TYPE_OPTIONS = QUERY_TYPE_OPTIONS.filter((o) => o.value !== 'both');

export const FORMAT_OPTIONS: Array<SelectableValue<PromQueryFormat>> = [
  { label: 'Time series', value: 'time_series' },
  { label: 'Table', value: 'table' },
  { label: 'Heatmap', value: 'heatmap' },
];

/** Legend modes of Grafana's Prometheus editor: `__auto`, an empty template, or a `{{label}}` template. */
export type LegendMode = 'auto' | 'verbatim' | 'custom';

export const LEGEND_OPTIONS: Array<SelectableValue<LegendMode>> = [
  { label: 'Auto', value: 'auto', description: 'Only the labels that differ between series' },
  { label: 'Verbatim', value: 'verbatim', description: 'The series name with all labels' },
  { label: 'Custom', value: 'custom', description: 'A template such as {{instance}}' },
];

/** The value `legendFormat` takes in Auto mode. */
export const AUTO_LEGEND = '__auto';

/** Reads the legend mode from a saved legendFormat. */
export function legendModeOf(legendFormat: string | undefined): LegendMode {
  if (legendFormat === AUTO_LEGEND) {
    return 'auto';
  }
  return legendFormat ? 'custom' : 'verbatim';
}

/** Reads the query type from the saved flags; neither flag set means range, as the backend treats it. */
export function queryTypeOf(query: PromQuery): QueryType {
  if (query.range && query.instant) {
    return 'both';
  }
  return query.instant ? 'instant' : 'range';
}

export function flagsOf(type: QueryType): Pick<PromQuery, 'range' | 'instant'> {
  return { range: type !== 'instant', instant: type !== 'range' };
}

// A duration (`30s`, `1m30s`, `<10s>`, a bare number of seconds) or a dashboard variable.
export const MIN_STEP = /^(<?(\d+(\.\d+)?(ms|s|m|h|d|w|y)?)+>?|\$\w+|\$\{\w+\})$/;

const label = <T>(options: Array<SelectableValue<T>>, value: T) => options.find((o) => o.value === value)?.label;

/**
 * The one-line summary Grafana's Prometheus editor shows next to the collapsed "Options":
 * `Legend: Auto, Min step: 1m, Format: Table, Type: Instant, Exemplars: false`. Min step only when set; in alert
 * rules no exemplars and no format.
 */
export function optionsSummary(query: PromQuery, alerting = false): string {
  const legend = legendModeOf(query.legendFormat);
  const parts = [`Legend: ${legend === 'custom' ? query.legendFormat : label(LEGEND_OPTIONS, legend)}`];
  if (query.interval) {
    parts.push(`Min step: ${query.interval}`);
  }
  if (!alerting) {
    parts.push(`Format: ${label(FORMAT_OPTIONS, query.format ?? 'time_series')}`);
  }
  parts.push(`Type: ${label(QUERY_TYPE_OPTIONS, alerting ? alertingTypeOf(query) : queryTypeOf(query))}`);
  if (!alerting) {
    parts.push(`Exemplars: ${Boolean(query.exemplar)}`);
  }
  if ((query.intervalFactor ?? 1) > 1) {
    parts.push(`Resolution: 1/${query.intervalFactor}`);
  }
  return parts.join(', ');
}

/** An alert rule runs one query: a saved pair of flags reads as the range query it was first. */
export function alertingTypeOf(query: PromQuery): 'range' | 'instant' {
  return query.range ? 'range' : 'instant';
}
