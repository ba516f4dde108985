import { from, lastValueFrom, Observable } from 'rxjs';

import { ScopedVars, TimeRange } from '@grafana/data';
import {
  BackendSrv,
  BackendSrvRequest,
  DataSourceSrv,
  FetchResponse,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  TemplateSrv,
} from '@grafana/runtime';

/** Dashboard variables the harness's template service knows. */
export type Variables = Record<string, string | string[]>;

function queryString(params: BackendSrvRequest['params']): string {
  if (!params) {
    return '';
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null) {
        search.append(key, String(v));
      }
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Grafana's backend service, reduced to what the plugin uses: requests go to the harness server, which answers
 * the data source API paths the way Grafana does. Failures reject with Grafana's FetchError shape.
 */
async function send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
  let body: BodyInit | undefined;
  if (typeof options.data === 'string') {
    body = options.data;
  } else if (options.data !== undefined) {
    body = JSON.stringify(options.data);
    headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
  }
  const url = options.url + queryString(options.params);
  const response = await window.fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  if (!response.ok) {
    throw { status: response.status, statusText: response.statusText, data, config: options, isHandled: false };
  }
  return {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    url: response.url,
    type: response.type,
    redirected: response.redirected,
    config: options,
  };
}

const backendSrv = {
  fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(send<T>(options)),
  request: <T>(options: BackendSrvRequest): Promise<T> => send<T>(options).then((r) => r.data),
  datasourceRequest: <T>(options: BackendSrvRequest) => send<T>(options),
  get: <T>(url: string, params?: BackendSrvRequest['params']) =>
    lastValueFrom(from(send<T>({ url, params, method: 'GET' }))).then((r) => r.data),
  post: <T>(url: string, data?: unknown) => send<T>({ url, data, method: 'POST' }).then((r) => r.data),
  put: <T>(url: string, data?: unknown) => send<T>({ url, data, method: 'PUT' }).then((r) => r.data),
  delete: <T>(url: string) => send<T>({ url, method: 'DELETE' }).then((r) => r.data),
};

/** Grafana's template service for `$name` and `${name}`: scoped variables first, then dashboard variables. */
export class HarnessTemplateSrv implements TemplateSrv {
  private readonly variables: Variables;

  constructor(variables: Variables) {
    this.variables = { ...variables };
  }

  /** Sets a dashboard variable's current value, as Grafana does once the variable is resolved. */
  setVariable(name: string, value: string | string[]): void {
    this.variables[name] = value;
  }

  /** The dashboard variables, in the shape of Grafana's variable models (the parts editors read). */
  getVariables() {
    return Object.entries(this.variables).map(([name, value]) => ({
      name,
      label: name,
      type: 'query',
      current: { text: value, value },
    })) as unknown as ReturnType<TemplateSrv['getVariables']>;
  }

  containsTemplate(target?: string): boolean {
    return /\$\w+|\$\{\w+\}/.test(target ?? '');
  }

  updateTimeRange(_timeRange: TimeRange): void {}

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    return (target ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string, bare: string) => {
      const name = braced ?? bare;
      const scoped = scopedVars?.[name];
      const value = scoped ? scoped.value : this.variables[name];
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        return format(value, { multi: Array.isArray(value), includeAll: false });
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : String(value);
    });
  }
}

/** Installs the stand-in services before any editor renders; returns the template service. */
export function installRuntimeServices(
  variables: Variables,
  dataSourceSrv: Partial<DataSourceSrv>
): HarnessTemplateSrv {
  const templateSrv = new HarnessTemplateSrv(variables);
  setBackendSrv(backendSrv as unknown as BackendSrv);
  setTemplateSrv(templateSrv);
  setDataSourceSrv(dataSourceSrv as DataSourceSrv);
  return templateSrv;
}
