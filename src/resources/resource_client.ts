import { TimeRange } from '@grafana/data';
import { BackendSrvRequest, isFetchError } from '@grafana/runtime';

/** The two calls of DataSourceWithBackend this client needs; tests pass a fake. */
export interface ResourceCaller {
  getResource<T>(path: string, params?: undefined, options?: Partial<BackendSrvRequest>): Promise<T>;
  postResource<T>(path: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T>;
}

/** Metric metadata as `api/v1/metadata` returns it. */
export interface MetricMetadata {
  type: string;
  help: string;
  unit?: string;
}

/** One element of an instant query result. */
export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The `data` of an `api/v1/query` answer. */
export type InstantQueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'matrix'; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };

/** One AMP workspace as the `workspaces` resource lists it. */
export interface WorkspaceSummary {
  id: string;
  alias?: string;
  status: string;
  arn?: string;
  createdAt?: string | number;
  selectable: boolean;
}

/** The `workspace` resource: one workspace with its query endpoint. */
export interface WorkspaceDetails {
  id: string;
  alias?: string;
  status: string;
  prometheusEndpoint: string;
}

/**
 * Default cap for label values, metric names and series (jsonData.seriesLimit, as in Grafana's Prometheus data
 * source). AMP workspaces can hold millions of series; a larger list would only make the browser slow, and the
 * editors filter client-side anyway.
 */
export const RESULT_LIMIT = 40000;

/** The data source settings that shape the editors' lookups. */
export interface LookupOptions {
  /** jsonData.seriesLimit: the most results one lookup asks for; 0 means no limit. */
  seriesLimit?: number;
  /** jsonData.seriesEndpoint: label values filtered by a selector come from api/v1/series. */
  seriesEndpoint?: boolean;
}

/**
 * Past this length a GET label-values URL risks a 414 from proxies; the values are then read from a POST
 * `api/v1/series` answer instead (AMP accepts label values by GET only).
 */
export const MAX_GET_URL_LENGTH = 2000;

const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** The Unix-second window of a time range: start rounded down, end rounded up, so no sample is cut off. */
export function timeWindow(range: TimeRange): { start: string; end: string } {
  return {
    start: String(Math.floor(range.from.valueOf() / 1000)),
    end: String(Math.ceil(range.to.valueOf() / 1000)),
  };
}

/**
 * Label names outside the legacy character set go into the label-values path in Prometheus's `U__` escaping:
 * `_` doubles and any other character outside [A-Za-z0-9] becomes `_<hex code point>_`.
 */
export function escapeLabelNameForPath(name: string): string {
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
    return name;
  }
  let out = 'U__';
  for (const ch of name) {
    if (ch === '_') {
      out += '__';
    } else if (/[a-zA-Z0-9]/.test(ch)) {
      out += ch;
    } else {
      out += `_${ch.codePointAt(0)!.toString(16)}_`;
    }
  }
  return out;
}

/** A failed resource call: the plugin's message, plus the HTTP status, AWS error type and details when known. */
export type ResourceError = Error & { status?: number; errorType?: string; details?: string };

/** Turns a failed resource call into an Error carrying the plugin's or Prometheus's message. */
export function resourceError(err: unknown): Error {
  if (isFetchError(err)) {
    const data = err.data as { message?: string; error?: string; errorType?: string; details?: string } | undefined;
    const message = data?.message || data?.error || err.statusText || `HTTP ${err.status}`;
    const out: ResourceError = new Error(message);
    out.status = err.status;
    out.errorType = data?.errorType;
    out.details = data?.details;
    return out;
  }
  return err instanceof Error ? err : new Error(String(err));
}

function statusOf(err: unknown): number | undefined {
  return (err as { status?: number } | undefined)?.status;
}

function unwrapEnvelope<T>(body: unknown): T {
  const envelope = body as { status?: string; data?: T; error?: string } | undefined;
  if (envelope?.status === 'error') {
    throw new Error(envelope.error || 'the Prometheus API answered with an error');
  }
  return envelope?.data as T;
}

/**
 * Prometheus API and workspace discovery through the plugin's resource endpoints. Nothing here talks to AMP
 * directly: the backend signs and relays every call. Parameters are form-encoded in the body for POST and in
 * the query string for GET, never both, because AMP rejects a form POST that also has a query string.
 */
export class ResourceClient {
  private readonly limit: number;
  private readonly seriesEndpoint: boolean;

  constructor(
    private readonly caller: ResourceCaller,
    private readonly httpMethod: 'GET' | 'POST' = 'POST',
    lookups: LookupOptions = {}
  ) {
    const limit = lookups.seriesLimit;
    this.limit = typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 ? limit : RESULT_LIMIT;
    this.seriesEndpoint = Boolean(lookups.seriesEndpoint);
  }

  /** Label names, optionally only those of series matching `match`. */
  async labelNames(range: TimeRange, match?: string): Promise<string[]> {
    const params = this.params(range, match);
    return this.prometheus<string[]>('api/v1/labels', params, this.httpMethod).then((l) => this.cap(l));
  }

  /**
   * Values of one label, optionally only from series matching `match`: at most `limit` of them when given, and never
   * more than the data source's series limit.
   */
  async labelValues(label: string, range: TimeRange, match?: string, limit?: number): Promise<string[]> {
    const params = this.params(range, match, limit);
    const path = `api/v1/label/${encodeURIComponent(escapeLabelNameForPath(label))}/values`;
    if (match && (this.seriesEndpoint || path.length + params.toString().length + 1 > MAX_GET_URL_LENGTH)) {
      const series = await this.series(range, match);
      const values = [...new Set(series.map((s) => s[label]).filter((v): v is string => v !== undefined))].sort();
      return this.cap(values, limit);
    }
    return this.prometheus<string[]>(path, params, 'GET').then((l) => this.cap(l, limit));
  }

  /** Series matching a selector, as label sets. */
  async series(range: TimeRange, match: string): Promise<Array<Record<string, string>>> {
    const params = this.params(range, match);
    return this.prometheus<Array<Record<string, string>>>('api/v1/series', params, this.httpMethod).then((l) => this.cap(l));
  }

  /** HELP and TYPE per metric name; `limitPerMetric` keeps only that many entries per metric (Prometheus >= 2.31). */
  async metadata(limitPerMetric?: number): Promise<Record<string, MetricMetadata[]>> {
    const params = new URLSearchParams(limitPerMetric ? { limit_per_metric: String(limitPerMetric) } : {});
    const data = await this.prometheus<Record<string, MetricMetadata[]>>('api/v1/metadata', params, 'GET');
    return data ?? {};
  }

  /** An instant query evaluated at `time` (Unix seconds). */
  async instantQuery(expr: string, time: number): Promise<InstantQueryData> {
    const params = new URLSearchParams({ query: expr, time: String(time) });
    return this.prometheus<InstantQueryData>('api/v1/query', params, this.httpMethod);
  }

  /** AWS regions the workspace picker offers. */
  async regions(): Promise<string[]> {
    return this.json<string[]>(`regions`);
  }

  /** The workspaces of a region, with the data source's saved credentials. */
  async workspaces(region: string): Promise<WorkspaceSummary[]> {
    return this.json<WorkspaceSummary[]>(`workspaces?${new URLSearchParams({ region })}`);
  }

  /** One workspace with its query endpoint. */
  async workspace(region: string, id: string): Promise<WorkspaceDetails> {
    return this.json<WorkspaceDetails>(`workspace?${new URLSearchParams({ region, id })}`);
  }

  /** The time window, the selector and the limit; Prometheus ignores limit=0 as "no limit", so it is left out. */
  private params(range: TimeRange, match?: string, limit?: number): URLSearchParams {
    const params = new URLSearchParams(timeWindow(range));
    if (match) {
      params.set('match[]', match);
    }
    const max = this.max(limit);
    if (max > 0) {
      params.set('limit', String(max));
    }
    return params;
  }

  /** The smaller of the data source's series limit and a caller's limit; 0 means no limit. */
  private max(limit?: number): number {
    if (limit === undefined || limit <= 0) {
      return this.limit;
    }
    return this.limit > 0 ? Math.min(this.limit, limit) : limit;
  }

  /** Servers that ignore the limit parameter (Prometheus before 2.51) still give the editors at most the limit. */
  private cap<T>(values: T[] | null | undefined, limit?: number): T[] {
    const list = values ?? [];
    const max = this.max(limit);
    return max > 0 && list.length > max ? list.slice(0, max) : list;
  }

  private async json<T>(path: string): Promise<T> {
    try {
      return await this.caller.getResource<T>(path, undefined, { showErrorAlert: false, hideFromInspector: true });
    } catch (err) {
      throw resourceError(err);
    }
  }

  private async prometheus<T>(path: string, params: URLSearchParams, method: 'GET' | 'POST'): Promise<T> {
    const options: Partial<BackendSrvRequest> = { showErrorAlert: false, hideFromInspector: true };
    const get = () => this.caller.getResource<unknown>(`${path}?${params}`, undefined, options);
    try {
      if (method === 'GET') {
        return unwrapEnvelope<T>(await get());
      }
      try {
        const body = await this.caller.postResource<unknown>(path, params.toString(), { ...options, headers: FORM_HEADERS });
        return unwrapEnvelope<T>(body);
      } catch (err) {
        // A proxy in front of the workspace may accept only GET; Grafana's Prometheus frontend retries the same way.
        if (statusOf(resourceError(err)) === 405) {
          return unwrapEnvelope<T>(await get());
        }
        throw err;
      }
    } catch (err) {
      throw resourceError(err);
    }
  }
}
