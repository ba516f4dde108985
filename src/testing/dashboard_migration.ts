import { DataSourceRef } from '@grafana/schema';

import { PromQuery, PromVariableQuery } from '../types';

/** The plugin type Grafana 13 gives Prometheus data sources that used SigV4. */
export const AMP_PLUGIN_TYPE = 'grafana-amazonprometheus-datasource';

/** The core data source type the migration starts from. */
export const PROMETHEUS_TYPE = 'prometheus';

/** A panel of a saved dashboard, reduced to what the harness reads. */
export interface SavedPanel {
  id: number;
  title: string;
  type: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: DataSourceRef | null;
  targets: PromQuery[];
}

/** A query variable of a saved dashboard. */
export interface SavedVariable {
  name: string;
  type: string;
  datasource?: DataSourceRef | null;
  query: PromVariableQuery | string;
  current?: { text: string | string[]; value: string | string[] };
}

/** A saved dashboard, reduced to what the harness reads; everything else is carried along untouched. */
export interface SavedDashboard {
  uid?: string;
  title: string;
  panels: SavedPanel[];
  templating: { list: SavedVariable[] };
}

/** A migrated dashboard and how many data source references were switched. */
export interface Migration<T> {
  dashboard: T;
  switched: number;
}

function isPrometheusRef(value: unknown, uids: ReadonlySet<string>): value is DataSourceRef {
  if (!value || typeof value !== 'object') {
    return false;
  }
  const ref = value as DataSourceRef;
  return ref.type === PROMETHEUS_TYPE && typeof ref.uid === 'string' && uids.has(ref.uid);
}

/**
 * Switches a saved dashboard to this plugin the way Grafana 13's Prometheus type migration does: every `datasource`
 * reference to one of the migrated data sources (panels, targets, variables, annotations) gets this plugin's type
 * and keeps its uid; references to other data sources, legacy name strings and the query JSON stay as they are.
 * The input is not modified.
 */
export function migrateDashboard<T extends object>(dashboard: T, uids: readonly string[]): Migration<T> {
  const migrated = new Set(uids);
  let switched = 0;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (!value || typeof value !== 'object') {
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === 'datasource' && isPrometheusRef(child, migrated)) {
        switched++;
        out[key] = { ...child, type: AMP_PLUGIN_TYPE };
      } else {
        out[key] = walk(child);
      }
    }
    return out;
  };
  return { dashboard: walk(dashboard) as T, switched };
}
