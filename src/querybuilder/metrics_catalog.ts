import { TimeRange } from '@grafana/data';

import { escapeRegex } from '../macros';
import { MetricMetadata, ResourceClient } from '../resources/resource_client';

import { LabelFilter } from './model';
import { renderSelector } from './render';

/** Metric names shown per search; a workspace can hold 100k+ names, so the server filters and cuts the list. */
export const METRIC_PAGE = 200;
/** Values read per label for counting and picking. */
export const VALUE_LIMIT = 1000;
/** Label-value requests in flight at once when counting the values of every label of a metric. */
const CONCURRENCY = 4;

/** A label of the selected series with the number of its values (`truncated` when there are more than counted). */
export interface LabelCount {
  name: string;
  count: number;
  truncated: boolean;
  values: string[];
}

/** A page of metric names matching a search. */
export interface MetricPage {
  names: string[];
  /** More names match than were fetched: refine the search. */
  truncated: boolean;
}

/** The `match[]` selector of a search: case-insensitive substring of the metric name. */
export function searchSelector(search: string): string | undefined {
  const words = search.trim();
  return words ? `{__name__=~${JSON.stringify(`(?i).*${escapeRegex(words)}.*`)}}` : undefined;
}

/** Metadata of a metric name: its own entry, or its family's for `_total`, `_bucket`, `_sum`, `_count` and `_created`. */
export function metadataFor(name: string, all: Record<string, MetricMetadata[]>): MetricMetadata | undefined {
  const own = all[name]?.[0];
  if (own) {
    return own;
  }
  const family = name.replace(/_(total|bucket|sum|count|created|info)$/, '');
  return family !== name ? all[family]?.[0] : undefined;
}

/** The selector of a builder query's metric and filters, for `match[]`; undefined when it selects everything. */
export function matchSelector(metric: string, labels: LabelFilter[] = []): string | undefined {
  const usable = labels.filter((f) => f.label && f.value !== '' && !f.value.includes('$'));
  // A variable stands for some metric; it narrows nothing the workspace can be asked about.
  const name = metric.startsWith('$') ? '' : metric;
  if (!name && !usable.length) {
    return undefined;
  }
  return renderSelector({ metric: name, labels: usable });
}

/**
 * What the builder and the metrics browser read from the workspace, through the plugin's resources: metric
 * names filtered and limited on the server, metadata once, label names and value counts for a selection.
 * Answers are kept per argument for the life of the catalog (one editor), so reopening a list costs nothing.
 */
export class MetricsCatalog {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly resources: ResourceClient,
    private readonly range: () => TimeRange
  ) {}

  /** Metric names containing `search` (case-insensitive), at most `limit`. */
  metrics(search: string, limit = METRIC_PAGE): Promise<MetricPage> {
    return this.cached(['metrics', search, limit], async () => {
      const names = await this.resources.labelValues('__name__', this.range(), searchSelector(search), limit + 1);
      return { names: names.slice(0, limit), truncated: names.length > limit };
    });
  }

  /** HELP and TYPE of every metric, one entry per metric. */
  metadata(): Promise<Record<string, MetricMetadata[]>> {
    return this.cached(['metadata'], () => this.resources.metadata(1));
  }

  /** Label names of the series a selector picks (all series without one). */
  labelNames(selector?: string): Promise<string[]> {
    return this.cached(['labels', selector], async () =>
      (await this.resources.labelNames(this.range(), selector)).filter((n) => n !== '__name__').sort()
    );
  }

  /** Values of one label among the series a selector picks. */
  labelValues(label: string, selector?: string): Promise<string[]> {
    return this.cached(['values', label, selector], () =>
      this.resources.labelValues(label, this.range(), selector, VALUE_LIMIT)
    );
  }

  /** Every label of the selection with its number of values, a few requests at a time. */
  async labelCounts(selector?: string): Promise<LabelCount[]> {
    const names = await this.labelNames(selector);
    const out: LabelCount[] = new Array(names.length);
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const i = next++;
        const values = await this.labelValues(names[i], selector);
        out[i] = { name: names[i], count: values.length, truncated: values.length >= VALUE_LIMIT, values };
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, names.length) }, worker));
    return out;
  }

  private cached<T>(key: unknown[], load: () => Promise<T>): Promise<T> {
    const id = JSON.stringify(key);
    const hit = this.cache.get(id);
    if (hit) {
      return hit as Promise<T>;
    }
    const value = load();
    this.cache.set(id, value);
    // A failure is not kept, so the next attempt asks again.
    value.catch(() => this.cache.delete(id));
    return value;
  }
}
