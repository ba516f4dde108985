import { lastValueFrom } from 'rxjs';

import { CoreApp, DataFrame, DataQueryRequest, DataQueryResponse, TimeRange } from '@grafana/data';

import { DataSource } from '../../../datasource';
import { PromQuery } from '../../../types';

/** The width of the playground's graph; Grafana derives maxDataPoints from the panel width the same way. */
export const GRAPH_WIDTH_PX = 860;

/** Runs queries the way a Grafana panel or Explore does: through the data source's query(), so its request
 * handling (variables, filters, time zone) applies before /api/ds/query. */
export async function runQueries(
  datasource: DataSource,
  app: CoreApp,
  range: TimeRange,
  targets: PromQuery[],
  extra: Partial<DataQueryRequest<PromQuery>> = {}
): Promise<{ frames: DataFrame[]; error: string }> {
  const request = {
    requestId: `playground-${app}`,
    app,
    range,
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: GRAPH_WIDTH_PX,
    scopedVars: {},
    targets,
    timezone: 'utc',
    startTime: Date.now(),
    ...extra,
  } as DataQueryRequest<PromQuery>;
  try {
    const response: DataQueryResponse = await lastValueFrom(datasource.query(request));
    return {
      frames: response.data as DataFrame[],
      error: response.errors?.map((e) => e.message).join('; ') ?? response.error?.message ?? '',
    };
  } catch (err) {
    return { frames: [], error: (err as { data?: { message?: string }; message?: string }).data?.message ?? String((err as Error).message ?? err) };
  }
}
