import { TimeRange } from '@grafana/data';
import type { PrometheusClient } from '@prometheus-io/codemirror-promql';

import { CacheLevel } from '../types';

import { MetricMetadata, ResourceClient } from './resource_client';
import { LabelMatcher, seriesSelector } from './selectors';

/** How long completion answers are reused by default (cache level Low); typing re-asks on every keystroke. */
const CACHE_TTL_MS = 60_000;

/** jsonData.cacheLevel as a reuse time, with the durations of Grafana's Prometheus data source. */
export function cacheTtlMs(level: CacheLevel | undefined): number {
  switch (level) {
    case 'None':
      return 0;
    case 'Medium':
      return 10 * 60_000;
    case 'High':
      return 60 * 60_000;
    default:
      return CACHE_TTL_MS;
  }
}

/**
 * The completion library's PrometheusClient over the plugin's resources, for the time range the editor shows.
 * Answers are cached per request for the cache level's time (a minute by default) and concurrent identical
 * requests share one call, so typing a metric name costs one labels call, not one per keystroke.
 */
export class ResourcePromClient implements PrometheusClient {
  private readonly cache = new Map<string, { expires: number; value: Promise<unknown>; pending: boolean }>();

  constructor(
    private readonly resources: ResourceClient,
    private readonly range: () => TimeRange,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = CACHE_TTL_MS
  ) {}

  labelNames(metricName?: string): Promise<string[]> {
    const match = seriesSelector(metricName);
    return this.cached(['labels', match], (range) => this.resources.labelNames(range, match));
  }

  labelValues(labelName: string, metricName?: string, matchers?: LabelMatcher[]): Promise<string[]> {
    const match = seriesSelector(metricName, matchers, labelName);
    return this.cached(['values', labelName, match], (range) => this.resources.labelValues(labelName, range, match));
  }

  metricMetadata(): Promise<Record<string, MetricMetadata[]>> {
    return this.cached(['metadata'], () => this.resources.metadata());
  }

  series(metricName: string, matchers?: LabelMatcher[], labelName?: string): Promise<Array<Map<string, string>>> {
    const match = seriesSelector(metricName, matchers, labelName) ?? '{__name__!=""}';
    return this.cached(['series', match], (range) => this.resources.series(range, match)).then((list) =>
      list.map((labels) => new Map(Object.entries(labels)))
    );
  }

  /** All metric names; the editor filters them by what was typed. */
  metricNames(): Promise<string[]> {
    return this.cached(['values', '__name__'], (range) => this.resources.labelValues('__name__', range));
  }

  /** Prometheus flags are not needed for completion and AMP does not serve them. */
  flags(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }

  private cached<T>(key: unknown[], load: (range: TimeRange) => Promise<T>): Promise<T> {
    const range = this.range();
    // Whole minutes: a relative range moves every render, which must not defeat the cache.
    const window = [Math.floor(range.from.valueOf() / 60_000), Math.ceil(range.to.valueOf() / 60_000)];
    const id = JSON.stringify([...key, window]);
    const now = this.now();
    const hit = this.cache.get(id);
    // With cache level None only calls still in flight are shared.
    const fresh = hit && (this.ttlMs > 0 ? hit.expires > now : hit.pending);
    if (hit && fresh) {
      return hit.value as Promise<T>;
    }
    const value = load(range);
    const entry = { expires: now + this.ttlMs, value, pending: true };
    this.cache.set(id, entry);
    // A failed call is not cached, so the next keystroke tries again.
    value.then(
      () => (entry.pending = false),
      () => this.cache.delete(id)
    );
    return value;
  }
}
