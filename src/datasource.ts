import {
  AbstractLabelMatcher,
  AbstractLabelOperator,
  AdHocVariableFilter,
  CoreApp,
  DataFrame,
  DataQuery,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  DataSourceApi,
  DataSourceInstanceSettings,
  hasQueryExportSupport,
  LegacyMetricFindQueryOptions,
  MetricFindValue,
  QueryFixAction,
  QueryHint,
  ScopedVars,
  TimeRange,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { tagKeys, tagValues } from './adhoc';
import { createAnnotationSupport } from './annotations/annotation_support';
import { interpolateKeepingMacros, promqlFormatter } from './macros';
import { queryHints } from './promql/hints';
import { addHistogramQuantileToQuery, addLabelToQuery, addRateToQuery } from './promql/modify';
import { cacheTtlMs, ResourcePromClient } from './resources/promql_client';
import { ResourceClient } from './resources/resource_client';
import { quotePromQLString } from './resources/selectors';
import { defaultTimeRange } from './time_range';
import {
  AmpOptions,
  PromEditorMode,
  PromFilter,
  PromFilterOperator,
  PromQuery,
  PromScopeSpec,
  PromVariableQuery,
} from './types';
import { runVariableQuery } from './variables/metric_find_query';
import { AmpVariableSupport } from './variables/variable_support';

/** Data source types whose queries are PromQL with Grafana's Prometheus query model. */
export const PROMQL_DATASOURCE_TYPES: readonly string[] = [
  'prometheus',
  'grafana-amazonprometheus-datasource',
  'grafana-azureprometheus-datasource',
];

const OPERATORS: Record<AbstractLabelOperator, string> = {
  [AbstractLabelOperator.Equal]: '=',
  [AbstractLabelOperator.NotEqual]: '!=',
  [AbstractLabelOperator.EqualRegEx]: '=~',
  [AbstractLabelOperator.NotEqualRegEx]: '!~',
};

const FILTER_OPERATORS: Record<string, PromFilterOperator> = {
  '=': 'equals',
  '!=': 'not-equals',
  '=~': 'regex-match',
  '!~': 'regex-not-match',
  '=|': 'one-of',
  '!=|': 'not-one-of',
};

/**
 * Converts a dashboard ad-hoc filter to the backend's filter model. An operator PromQL has no matcher for is passed
 * through unchanged, so the backend rejects the query with a message naming it instead of silently dropping it.
 */
export function toPromFilter(f: AdHocVariableFilter): PromFilter {
  const operator = FILTER_OPERATORS[f.operator] ?? (f.operator as PromFilterOperator);
  const filter: PromFilter = { key: f.key, operator, value: f.value };
  if (f.values?.length) {
    filter.values = f.values;
  }
  return filter;
}

/** Builds a PromQL selector from another data source's label matchers (for example Loki's stream selector). */
export function selectorFromMatchers(matchers: AbstractLabelMatcher[]): string {
  const name = matchers.find((m) => m.name === '__name__' && m.operator === AbstractLabelOperator.Equal);
  const rest = matchers
    .filter((m) => m !== name)
    .map((m) => `${m.name}${OPERATORS[m.operator]}${quotePromQLString(m.value)}`);
  return `${name?.value ?? ''}{${rest.join(', ')}}`;
}

/** Time-range variables Grafana's Prometheus data source provides to variable queries. */
function rangeVariables(range: TimeRange): ScopedVars {
  const ms = range.to.valueOf() - range.from.valueOf();
  const s = Math.round(ms / 1000);
  return {
    __range_ms: { text: String(ms), value: ms },
    __range_s: { text: String(s), value: s },
    __range: { text: `${s}s`, value: `${s}s` },
  };
}

/**
 * Copies what Grafana's Prometheus data source puts into every query of a request: the dashboard's group-by keys
 * and scopes (the backend rewrites the PromQL for them) and the time zone offset the backend aligns steps with.
 */
export function withRequestContext(request: DataQueryRequest<PromQuery>): DataQueryRequest<PromQuery> {
  const offsetMinutes = request.range?.to?.utcOffset?.();
  const groupByKeys = request.groupByKeys?.length ? [...request.groupByKeys] : undefined;
  const scopes = request.scopes?.length
    ? request.scopes.map((s) => ({ name: s.metadata.name, ...s.spec }) as PromScopeSpec)
    : undefined;
  return {
    ...request,
    targets: request.targets.map((t) => ({
      ...t,
      ...(typeof offsetMinutes === 'number' && Number.isFinite(offsetMinutes)
        ? { utcOffsetSec: Math.round(offsetMinutes) * 60 }
        : {}),
      ...(groupByKeys ? { groupByKeys } : {}),
      ...(scopes ? { scopes } : {}),
    })),
  };
}

/**
 * The Amazon Managed Service for Prometheus data source. Queries, health checks and resources all go through
 * the Go backend, which signs every request with SigV4; the browser never talks to AMP.
 */
export class DataSource extends DataSourceWithBackend<PromQuery, AmpOptions> {
  readonly resources: ResourceClient;
  /** jsonData.disableMetricsLookup: the editors complete PromQL functions and keywords only. */
  private readonly lookupsDisabled: boolean;
  /** jsonData.cacheLevel as the time the editors reuse a lookup. */
  private readonly lookupTtlMs: number;
  /** jsonData.defaultEditor: the mode a new query opens in, saved with it as Grafana's Prometheus data source does. */
  readonly defaultEditor?: PromEditorMode;

  // Exactly one required parameter: Grafana inspects the constructor's arity when it loads a plugin class.
  constructor(instanceSettings: DataSourceInstanceSettings<AmpOptions>) {
    super(instanceSettings);
    const jsonData = instanceSettings.jsonData ?? {};
    const method = jsonData.httpMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST';
    this.resources = new ResourceClient(this, method, { seriesLimit: jsonData.seriesLimit, seriesEndpoint: jsonData.seriesEndpoint });
    this.lookupsDisabled = Boolean(jsonData.disableMetricsLookup);
    this.lookupTtlMs = cacheTtlMs(jsonData.cacheLevel);
    this.defaultEditor = jsonData.defaultEditor;
    this.variables = new AmpVariableSupport(this);
    this.annotations = createAnnotationSupport();
  }

  /** Interpolates dashboard variables in the fields the backend reads, leaving backend macros literal. */
  applyTemplateVariables(query: PromQuery, scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): PromQuery {
    const templateSrv = getTemplateSrv();
    const interpolate = (text: string | undefined, format?: typeof promqlFormatter): string | undefined =>
      text === undefined
        ? undefined
        : interpolateKeepingMacros(text, (t) => templateSrv.replace(t, scopedVars, format));

    const out: PromQuery = { ...query, expr: interpolate(query.expr, promqlFormatter) ?? '' };
    // Only fields that are present are written, so the query JSON keeps its shape.
    if (query.legendFormat !== undefined) {
      out.legendFormat = interpolate(query.legendFormat);
    }
    if (query.interval !== undefined) {
      out.interval = interpolate(query.interval);
    }
    // The backend applies ad-hoc filters by rewriting the PromQL syntax tree, so they travel as data, not text.
    if (filters?.length) {
      out.adhocFilters = [...(query.adhocFilters ?? []), ...filters.map(toPromFilter)];
    }
    return out;
  }

  query(request: DataQueryRequest<PromQuery>): Observable<DataQueryResponse> {
    return super.query(withRequestContext(request));
  }

  /** Ad-hoc filter keys: label names of the range, narrowed by the other filters (labels resource, bounded). */
  getTagKeys(options?: DataSourceGetTagKeysOptions<PromQuery>): Promise<MetricFindValue[]> {
    return tagKeys(this.resources, options?.timeRange ?? defaultTimeRange(), options?.filters ?? []);
  }

  /** Ad-hoc filter values of a key, narrowed by the other filters (label values resource, bounded). */
  getTagValues(options: DataSourceGetTagValuesOptions<PromQuery>): Promise<MetricFindValue[]> {
    return tagValues(this.resources, options.timeRange ?? defaultTimeRange(), options.key, options.filters ?? []);
  }

  /** Explore's "filter for value" / "filter out value", and the fixes of query hints. */
  modifyQuery(query: PromQuery, action: QueryFixAction): PromQuery {
    const expr = query.expr ?? '';
    const { key, value } = action.options ?? {};
    switch (action.type) {
      case 'ADD_FILTER':
        return key && value !== undefined ? { ...query, expr: addLabelToQuery(expr, key, value, '=') } : query;
      case 'ADD_FILTER_OUT':
        return key && value !== undefined ? { ...query, expr: addLabelToQuery(expr, key, value, '!=') } : query;
      case 'ADD_RATE':
        return { ...query, expr: addRateToQuery(expr) };
      case 'ADD_HISTOGRAM_QUANTILE':
        return { ...query, expr: addHistogramQuantileToQuery(expr) };
      default:
        return query;
    }
  }

  /** Hints under the editor: a counter without rate(), histogram buckets without histogram_quantile(). */
  getQueryHints(query: PromQuery, result: DataFrame[]): QueryHint[] {
    return queryHints(query.expr ?? '', result);
  }

  /**
   * What Grafana calls when queries leave the dashboard (Explore from a panel, query library, inspector): the same
   * interpolation as a run, with backend macros kept, and the query pointing at this data source.
   */
  interpolateVariablesInQueries(queries: PromQuery[], scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): PromQuery[] {
    const ref = this.getRef();
    return queries.map((q) => ({ ...this.applyTemplateVariables(q, scopedVars, filters), datasource: ref }));
  }

  /** Hidden queries and queries without PromQL are not sent to the backend. */
  filterQuery(query: PromQuery): boolean {
    return !query.hide && (query.expr ?? '').trim() !== '';
  }

  /** Like Grafana's Prometheus: panels run range queries, Explore both, alert rules instant ones. */
  getDefaultQuery(app: CoreApp): Partial<PromQuery> {
    const editor = this.defaultEditor ? { editorMode: this.defaultEditor } : {};
    switch (app) {
      case CoreApp.Explore:
        return { expr: '', range: true, instant: true, ...editor };
      case CoreApp.UnifiedAlerting:
      case CoreApp.CloudAlerting:
        return { expr: '', range: false, instant: true, ...editor };
      default:
        return { expr: '', range: true, instant: false, ...editor };
    }
  }

  /** Query history and the inspector show the PromQL. */
  getQueryDisplayText(query: PromQuery): string {
    return query.expr ?? '';
  }

  /**
   * Called by Grafana when a panel switches to this data source. Queries from Prometheus-type data sources are
   * PromQL with the same model and are kept verbatim; from other data sources only label matchers can be carried
   * over. There is deliberately no importFromAbstractQueries: Grafana prefers it whenever the previous data source
   * exports abstract queries, and core Prometheus does, which would reduce its PromQL to bare label matchers.
   */
  async importQueries(queries: DataQuery[], originDataSource: DataSourceApi<DataQuery>): Promise<PromQuery[]> {
    const ref = this.getRef();
    if (PROMQL_DATASOURCE_TYPES.includes(originDataSource.meta?.id ?? originDataSource.type ?? '')) {
      return queries.map((q) => ({ ...(q as PromQuery), datasource: ref }));
    }
    if (!hasQueryExportSupport(originDataSource)) {
      return queries.map((q) => ({ refId: q.refId, expr: '', range: true, instant: false, datasource: ref }));
    }
    const abstract = await originDataSource.exportToAbstractQueries(queries);
    return abstract.map((q) => ({
      refId: q.refId,
      expr: selectorFromMatchers(q.labelMatchers),
      range: true,
      instant: false,
      datasource: ref,
    }));
  }

  /**
   * A completion source for the PromQL editor over the plugin's resources, for the given time range; none when
   * the data source turns metric lookups off.
   */
  completionClient(range: () => TimeRange): ResourcePromClient | undefined {
    if (this.lookupsDisabled) {
      return undefined;
    }
    return new ResourcePromClient(this.resources, range, Date.now, this.lookupTtlMs);
  }

  /**
   * Resolves a variable query (`label_names()`, `label_values(...)`, `metrics(...)`, `query_result(...)` or a
   * series selector) for the dashboard's time range. `$__range`, `$__range_s` and `$__range_ms` are filled in
   * here because resource calls do not go through the backend's macro expansion.
   */
  async metricFindQuery(
    query: string | PromVariableQuery,
    options?: LegacyMetricFindQueryOptions
  ): Promise<MetricFindValue[]> {
    const text = typeof query === 'string' ? query : (query?.query ?? '');
    const range = options?.range ?? defaultTimeRange();
    const scopedVars = { ...options?.scopedVars, ...rangeVariables(range) };
    const interpolated = getTemplateSrv().replace(text, scopedVars, promqlFormatter);
    return runVariableQuery(this.resources, interpolated, range);
  }
}
