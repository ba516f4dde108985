import { dateTime, TimeRange } from '@grafana/data';

/** The range used when Grafana gives none (a query editor outside a panel): the last hour. */
export function defaultTimeRange(now: number = Date.now()): TimeRange {
  const to = dateTime(now);
  const from = dateTime(now - 3600_000);
  return { from, to, raw: { from: 'now-1h', to: 'now' } };
}
