import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** Result shaping requested by a query; the backend always returns time series, the frontend reshapes. */
export type PromQueryFormat = 'time_series' | 'table' | 'heatmap';

/** Which editor last edited the query. Kept so queries saved by the core Prometheus editor round-trip. */
export type PromEditorMode = 'code' | 'builder';

/** Operators of a scope or ad-hoc filter, as sent by Grafana. */
export type PromFilterOperator =
  | 'equals'
  | 'not-equals'
  | 'regex-match'
  | 'regex-not-match'
  | 'one-of'
  | 'not-one-of';

/** One label filter from a scope or an ad-hoc filter variable. */
export interface PromFilter {
  key: string;
  operator: PromFilterOperator;
  value: string;
  values?: string[];
}

/** The part of a Grafana scope the backend reads. */
export interface PromScopeSpec {
  /** The scope's name, as Grafana's Prometheus data source sends it; the backend reads only the filters. */
  name?: string;
  filters?: PromFilter[];
}

/**
 * A PromQL query. The field names and types are the ones Grafana's core Prometheus data source saves, so
 * dashboards and alert rules migrated from it keep working unchanged. The backend decodes them strictly by
 * type: booleans must stay booleans and `intervalFactor`/`utcOffsetSec` integers.
 */
export interface PromQuery extends DataQuery {
  expr: string;
  /** Run a range query (`query_range`). */
  range?: boolean;
  /** Run an instant query (`query`). */
  instant?: boolean;
  /** Also fetch exemplars (`query_exemplars`). */
  exemplar?: boolean;
  format?: PromQueryFormat;
  /** Display-name template; `__auto` lets the backend choose. */
  legendFormat?: string;
  /** Minimum step ("Min step"), a duration such as `30s` or a variable. */
  interval?: string;
  /** Deprecated "Resolution" multiplier of the step. */
  intervalFactor?: number;
  /** Time-zone offset used to align range boundaries to the step. */
  utcOffsetSec?: number;
  editorMode?: PromEditorMode;
  requestId?: string;
  scopes?: PromScopeSpec[];
  adhocFilters?: PromFilter[];
  groupByKeys?: string[];
}

/** SigV4 credential providers accepted by the backend's signer. */
export type SigV4AuthType = 'default' | 'keys' | 'credentials' | 'ec2_iam_role' | 'grafana_assume_role';

/** Non-secret data source settings (`jsonData`). */
export interface AmpOptions extends DataSourceJsonData {
  httpMethod?: 'GET' | 'POST';
  /** Must be the JSON boolean true: AMP accepts only SigV4-signed requests. */
  sigV4Auth?: boolean;
  sigV4AuthType?: SigV4AuthType;
  sigV4Region?: string;
  sigV4Profile?: string;
  sigV4AssumeRoleArn?: string;
  sigV4ExternalId?: string;
  /** Signing service name; spelled with a lower-case `v`, unlike the other keys. Defaults to `aps`. */
  sigv4Service?: string;
  /** Minimum scrape interval, e.g. `15s`. */
  timeInterval?: string;
  /** Prometheus `timeout=` query parameter, e.g. `60s`. */
  queryTimeout?: string;
  /** HTTP client timeout in seconds. */
  timeout?: number;
  /** Extra URL parameters, `key=value&key2=value2`. */
  customQueryParameters?: string;
  queryStatsEnabled?: boolean;
  maxSamplesProcessedWarningThreshold?: number;
  maxSamplesProcessedErrorThreshold?: number;
  /** Basic auth switched on through jsonData (provisioning); the editor uses the top-level `basicAuth` field. */
  basicAuth?: boolean;
  /** Names of custom headers; the values are secret (`httpHeaderValue<N>`). */
  [httpHeaderName: `httpHeaderName${number}`]: string | undefined;
  /** Forward the `X-Grafana-User` header (after signing). */
  forwardGrafanaUserHeader?: boolean;
  /** Grafana Alerting lists the data source's rules and lets users manage them (default on). */
  manageAlerts?: boolean;
  /** Grafana Alerting offers the data source as a target for recording rules (default on). */
  allowAsRecordingRulesTarget?: boolean;
  /** Cap on the results of the editors' metric and label lookups (default 40000). */
  seriesLimit?: number;
  /** Label value lookups use `api/v1/series` instead of `api/v1/label/<name>/values`. */
  seriesEndpoint?: boolean;
  /** Turns off metric and label lookups in the query editor's completion. */
  disableMetricsLookup?: boolean;
  /** The editor mode of a new query, `builder` (Grafana's default) or `code`; saved with new queries as Grafana does. */
  defaultEditor?: PromEditorMode;
  /** How long the editors reuse lookups: None, Low (1 min, default), Medium (10 min), High (60 min). */
  cacheLevel?: CacheLevel;
  /** Read by the backend's query cache (see its documentation); the editor only shows them. */
  incrementalQuerying?: boolean;
  incrementalQueryOverlapWindow?: string;
  /** Names of the Grafana user's cookies forwarded to the endpoint. */
  keepCookies?: string[];
  /** Trace links on exemplars; AMP stores no exemplars, so these only matter for other Prometheus servers. */
  exemplarTraceIdDestinations?: ExemplarTraceIdDestination[];
  /** TLS options of the connection. */
  tlsSkipVerify?: boolean;
  tlsAuthWithCACert?: boolean;
  tlsAuth?: boolean;
  serverName?: string;
  /** Set by Grafana's Prometheus-to-AMP migration; only drives a notice in the config editor. */
  'prometheus-type-migration'?: boolean;
}

/** Cache levels of Grafana's Prometheus data source. */
export type CacheLevel = 'None' | 'Low' | 'Medium' | 'High';

/** An exemplar trace link as Grafana's Prometheus data source saves it. */
export interface ExemplarTraceIdDestination {
  /** The exemplar label holding the trace id. */
  name: string;
  /** An external URL with `${__value.raw}`, or ... */
  url?: string;
  /** ... the UID of a tracing data source. */
  datasourceUid?: string;
  urlDisplayLabel?: string;
}

/** Secret settings (`secureJsonData`); Grafana never sends them back to the browser. */
export interface AmpSecureOptions {
  sigV4AccessKey?: string;
  sigV4SecretKey?: string;
  /** Temporary (`ASIA...`) keys need it; only used with the `keys` provider. */
  sigV4SessionToken?: string;
  /** Basic auth password, for Prometheus-compatible services that are not AMP. */
  basicAuthPassword?: string;
  /** PEM blocks for the TLS options. */
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
  /** Values of the custom headers named by `jsonData.httpHeaderName<N>`. */
  [httpHeaderValue: `httpHeaderValue${number}`]: string | undefined;
}

/**
 * A template variable query. Grafana's Prometheus data source stores the query text in `query`
 * (`label_values(up, job)`); dashboards from older versions store the bare string instead.
 */
export interface PromVariableQuery extends DataQuery {
  query: string;
}

/**
 * An annotation as Grafana's Prometheus data source saves it in the dashboard JSON: the PromQL and the label
 * templates sit on the annotation itself, next to Grafana's own fields (name, enable, iconColor, ...).
 */
export interface PromAnnotationFields {
  expr?: string;
  /** Minimum step, e.g. `60s`; samples closer than the step are merged into one region. */
  step?: string;
  /** Templates with `{{label}}` placeholders. */
  titleFormat?: string;
  textFormat?: string;
  /** Comma-separated label names whose values become tags. */
  tagKeys?: string;
  /** Take the sample value as the event time in milliseconds instead of the sample timestamp. */
  useValueForTime?: boolean;
}
