import { PromQuery } from '../types';

import dashboard from './prometheus_dashboard.json';

/**
 * A panel target as Grafana's core Prometheus data source saves it (query builder fields included), from a
 * dashboard whose data source was then migrated to this plugin under the same uid.
 */
export const PROMETHEUS_PANEL_TARGET: PromQuery = dashboard.panels[0].targets[0] as PromQuery;
