import React, { useMemo, useState } from 'react';
import { lastValueFrom } from 'rxjs';

import { CoreApp, DataFrame, DataQueryRequest, rangeUtil, TimeRange } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { DataSourceRef } from '@grafana/schema';
import { Button, Stack, Text, useTheme2 } from '@grafana/ui';

import { QueryEditor } from '../../components/QueryEditor';
import { DataSource } from '../../datasource';
import {
  AMP_PLUGIN_TYPE,
  migrateDashboard,
  Migration,
  PROMETHEUS_TYPE,
  SavedDashboard,
  SavedPanel,
  SavedVariable,
} from '../../testing/dashboard_migration';
import saved from '../../testing/prometheus_dashboard.json';
import { PromQuery, PromVariableQuery } from '../../types';
import { AmpVariableSupport } from '../../variables/variable_support';

import { PanelResults, PanelRun, summarize } from './PanelResults';
import { HarnessTemplateSrv } from './services';

/** The width Grafana would give a full-width (24 column) panel; a panel's maxDataPoints is its share of it. */
const DASHBOARD_WIDTH_PX = 1200;

interface ResolvedVariable {
  name: string;
  values: string[];
  current: string;
}

export function dataSourceFor(ref: DataSourceRef | null | undefined, cache: Map<string, DataSource>): DataSource {
  const settings = getDataSourceSrv().getInstanceSettings(ref);
  if (!settings) {
    throw new Error(`Unknown data source ${JSON.stringify(ref)}`);
  }
  let ds = cache.get(settings.uid);
  if (!ds) {
    ds = new DataSource(settings as never);
    cache.set(settings.uid, ds);
  }
  return ds;
}

/** Resolves a query variable through the data source's variable support and picks its saved value when offered. */
async function resolveVariable(variable: SavedVariable, ds: DataSource, range: TimeRange): Promise<ResolvedVariable> {
  const request = {
    app: CoreApp.Dashboard,
    requestId: `variable-${variable.name}`,
    range,
    interval: '',
    intervalMs: 0,
    scopedVars: {},
    targets: [variable.query as PromVariableQuery],
    timezone: 'utc',
    startTime: Date.now(),
  } as unknown as DataQueryRequest<PromVariableQuery>;
  const response = await lastValueFrom((ds.variables as AmpVariableSupport).query(request));
  const values = (response.data as Array<{ text: string }>).map((v) => String(v.text));
  const wanted = variable.current?.value;
  const current = typeof wanted === 'string' && values.includes(wanted) ? wanted : (values[0] ?? '');
  return { name: variable.name, values, current };
}

/** Runs a panel's queries the way Grafana's panel query runner does: one request per panel, from its width. */
export async function runPanel(
  dashboard: SavedDashboard,
  panel: SavedPanel,
  targets: PromQuery[],
  ds: DataSource,
  range: TimeRange
): Promise<PanelRun> {
  const maxDataPoints = Math.round((panel.gridPos.w / 24) * DASHBOARD_WIDTH_PX);
  // Grafana's lower limit is the panel's min interval, else the data source's `interval` property.
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, maxDataPoints, ds.interval);
  const request = {
    app: CoreApp.Dashboard,
    requestId: `panel-${panel.id}`,
    dashboardUID: dashboard.uid,
    dashboardTitle: dashboard.title,
    panelId: panel.id,
    panelName: panel.title,
    panelPluginId: panel.type,
    range,
    interval,
    intervalMs,
    maxDataPoints,
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    targets: targets.filter((t) => ds.filterQuery(t)),
    timezone: 'utc',
    startTime: Date.now(),
  } as unknown as DataQueryRequest<PromQuery>;
  try {
    const response = await lastValueFrom(ds.query(request));
    const error = response.errors?.map((e) => e.message).join('; ') ?? response.error?.message ?? '';
    return { frames: summarize(response.data as DataFrame[]), error };
  } catch (err) {
    return { frames: [], error: (err as Error).message ?? String(err) };
  }
}

interface PanelProps {
  panel: SavedPanel;
  ds: DataSource;
  range: TimeRange;
  run?: PanelRun;
  onRun: (targets: PromQuery[]) => void;
}

function Panel({ panel, ds, range, run, onRun }: PanelProps) {
  const theme = useTheme2();
  const [targets, setTargets] = useState(panel.targets);
  // The editor reports the new query before asking for a run; keep the latest targets for the run.
  const latest = React.useRef(targets);
  const ref = panel.datasource;
  return (
    <section
      aria-label={`Panel ${panel.title}`}
      style={{
        border: `1px solid ${theme.colors.border.weak}`,
        borderRadius: theme.shape.radius.default,
        background: theme.colors.background.primary,
        padding: 8,
        minWidth: 0,
      }}
    >
      <Stack direction="row" justifyContent="space-between" alignItems="baseline">
        <h3 style={{ margin: 0 }}>{panel.title}</h3>
        <Text color="secondary" variant="bodySmall">
          {panel.type} · <span aria-label="Panel data source">{`${ref?.type} / ${ref?.uid}`}</span>
        </Text>
      </Stack>
      {targets.map((target, i) => (
        <QueryEditor
          key={target.refId}
          datasource={ds}
          query={target}
          range={range}
          onChange={(q) => {
            const next = targets.map((t, j) => (j === i ? q : t));
            latest.current = next;
            setTargets(next);
          }}
          onRunQuery={() => onRun(latest.current)}
        />
      ))}
      <PanelResults run={run} />
    </section>
  );
}

interface DashboardProps {
  range: TimeRange;
  templateSrv: HarnessTemplateSrv;
  /** Data sources Grafana's type migration converted; the dashboard's references to them are switched. */
  migratedUids: string[];
}

/**
 * A dashboard saved by Grafana's core Prometheus data source, migrated to this plugin: its variable is resolved,
 * each panel's query is shown in the real query editor and run through the real DataSource class.
 */
export function MigratedDashboard({ range, templateSrv, migratedUids }: DashboardProps) {
  const cache = useMemo(() => new Map<string, DataSource>(), []);
  const [migration, setMigration] = useState<Migration<SavedDashboard>>();
  const [variables, setVariables] = useState<ResolvedVariable[]>([]);
  const [runs, setRuns] = useState<Record<number, PanelRun>>({});
  const [status, setStatus] = useState('');

  const runOne = async (dashboard: SavedDashboard, panel: SavedPanel, targets: PromQuery[]) => {
    const run = await runPanel(dashboard, panel, targets, dataSourceFor(panel.datasource, cache), range);
    setRuns((all) => ({ ...all, [panel.id]: run }));
  };

  const open = async () => {
    try {
      setStatus('Opening');
      const migrated = migrateDashboard(saved as unknown as SavedDashboard, migratedUids);
      const dashboard = migrated.dashboard;
      setMigration(migrated);
      setRuns({});
      const resolved: ResolvedVariable[] = [];
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
        const v = await resolveVariable(variable, dataSourceFor(variable.datasource, cache), range);
        templateSrv.setVariable(v.name, v.current);
        resolved.push(v);
      }
      setVariables(resolved);
      await Promise.all(dashboard.panels.map((panel) => runOne(dashboard, panel, panel.targets)));
      setStatus(`Ran ${dashboard.panels.length} panels`);
    } catch (err) {
      setStatus(`Failed: ${(err as Error).message ?? String(err)}`);
    }
  };

  const dashboard = migration?.dashboard;
  return (
    <section aria-label="Migrated dashboard" style={{ maxWidth: DASHBOARD_WIDTH_PX + 40 }}>
      <h2>Dashboard migrated from core Prometheus</h2>
      <Stack direction="row" gap={2} alignItems="center">
        <Button onClick={open}>Open migrated dashboard</Button>
        <p role="status" aria-label="Dashboard status">
          {status}
        </p>
      </Stack>
      {migration && dashboard && (
        <>
          <p aria-label="Migration">
            {`${dashboard.title}: ${migration.switched} data source references switched from ${PROMETHEUS_TYPE} to ` +
              `${AMP_PLUGIN_TYPE}, uid kept`}
          </p>
          {variables.map((v) => (
            <Stack key={v.name} direction="row" gap={1} alignItems="baseline">
              <Text weight="medium">{`$${v.name}`}</Text>
              <code aria-label={`Variable ${v.name}`}>{v.current}</code>
              <Text color="secondary" variant="bodySmall">
                of
              </Text>
              <ul
                aria-label={`Variable ${v.name} options`}
                style={{ display: 'flex', gap: 8, listStyle: 'none', padding: 0, margin: 0 }}
              >
                {v.values.map((value) => (
                  <li key={value}>
                    <code>{value}</code>
                  </li>
                ))}
              </ul>
            </Stack>
          ))}
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(24, 1fr)', gap: 8, marginTop: 8 }}>
            {dashboard.panels.map((panel) => (
              <div
                key={panel.id}
                style={{ gridColumn: `${panel.gridPos.x + 1} / span ${panel.gridPos.w}`, display: 'grid' }}
              >
                <Panel
                  panel={panel}
                  ds={dataSourceFor(panel.datasource, cache)}
                  range={range}
                  run={runs[panel.id]}
                  onRun={(targets) => runOne(dashboard, panel, targets)}
                />
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
