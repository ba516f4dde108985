import { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { interpolateKeepingMacros } from './macros';
import { AmpOptions, PromQuery } from './types';

/**
 * The Amazon Managed Service for Prometheus data source. Queries, health checks and resources all go through
 * the Go backend, which signs every request with SigV4; the browser never talks to AMP.
 */
export class DataSource extends DataSourceWithBackend<PromQuery, AmpOptions> {
  // Exactly one required parameter: Grafana inspects the constructor's arity when it loads a plugin class.
  constructor(instanceSettings: DataSourceInstanceSettings<AmpOptions>) {
    super(instanceSettings);
  }

  /** Interpolates dashboard variables in the fields the backend reads, leaving backend macros literal. */
  applyTemplateVariables(query: PromQuery, scopedVars: ScopedVars): PromQuery {
    const templateSrv = getTemplateSrv();
    const interpolate = (text: string | undefined): string | undefined =>
      text === undefined ? undefined : interpolateKeepingMacros(text, (t) => templateSrv.replace(t, scopedVars));

    return {
      ...query,
      expr: interpolate(query.expr) ?? '',
      legendFormat: interpolate(query.legendFormat),
      interval: interpolate(query.interval),
    };
  }

  /** Hidden queries and queries without PromQL are not sent to the backend. */
  filterQuery(query: PromQuery): boolean {
    return !query.hide && (query.expr ?? '').trim() !== '';
  }

  /** New queries are range queries, which is what dashboards panels expect. */
  getDefaultQuery(): Partial<PromQuery> {
    return { expr: '', range: true, instant: false };
  }
}
