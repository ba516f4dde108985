import { DataSourceSettings } from '@grafana/data';

import { AmpOptions, AmpSecureOptions } from '../../types';

export type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

/** What the page server writes into the page (window.harnessConfig). */
export interface HarnessConfig {
  queryDataSource: Settings;
  configDataSource: Settings;
  /** A core Prometheus data source after Grafana's type migration; the saved dashboard fixture refers to it. */
  migratedDataSource: Settings;
  /** The dashboard time range, Unix milliseconds. */
  range: { from: number; to: number };
}

/** DataSourceInstanceSettings as Grafana builds them from stored settings. */
export function instanceSettings(s: Settings) {
  return {
    id: s.id,
    uid: s.uid,
    type: s.type,
    name: s.name,
    access: s.access,
    url: s.url,
    readOnly: s.readOnly,
    jsonData: s.jsonData,
    meta: { id: s.type, name: s.typeName, type: 'datasource', module: '', baseUrl: '', info: {} },
  } as never;
}
