import React, { useMemo, useState } from 'react';

import { TimeRange } from '@grafana/data';
import { DataSourceRef } from '@grafana/schema';
import { Button, Stack, Text, useTheme2 } from '@grafana/ui';

import { DataSource } from '../../datasource';
import { SavedDashboard, SavedPanel } from '../../testing/dashboard_migration';

import { dataSourceFor, runPanel } from './MigratedDashboard';
import { PanelResults, PanelRun } from './PanelResults';
import { HarnessTemplateSrv } from './services';

/** A saved dashboard as /api/dashboards/uid/<uid> returns it; collapsed rows nest their panels. */
interface Saved extends Omit<SavedDashboard, 'panels'> {
  uid: string;
  panels: Array<SavedPanel & { panels?: SavedPanel[] }>;
}

interface Opened {
  dashboard: Saved;
  panels: SavedPanel[];
}

async function getJSON<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/** Panels as Grafana lays them out: collapsed rows carry theirs inside; row panels themselves run nothing. */
function flatten(panels: Saved['panels']): SavedPanel[] {
  return panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

/** A variable's saved selection, as the Prometheus data source interpolates it: All matches everything. */
function currentValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : [value ?? ''];
  return values.includes('$__all') ? '.*' : values.join('|');
}

/** Resolves a reference through the dashboard's data source variable, as Grafana does before it looks it up. */
function resolve(ref: DataSourceRef | string | null | undefined, templateSrv: HarnessTemplateSrv): DataSourceRef {
  const uid = typeof ref === 'string' ? ref : (ref?.uid ?? '');
  return { ...(typeof ref === 'object' ? ref : {}), uid: templateSrv.replace(uid) };
}

/**
 * Dashboards that `ampmigrate dashboard retarget` saved into the page server's Grafana API, opened the way
 * Grafana opens them: read from /api/dashboards/uid/<uid>, variables set to their saved selection, each panel's
 * data source reference resolved (through the data source variable where there is one) and its queries run
 * through the real DataSource class.
 */
export function RetargetedDashboards({ range, templateSrv }: { range: TimeRange; templateSrv: HarnessTemplateSrv }) {
  const theme = useTheme2();
  const cache = useMemo(() => new Map<string, DataSource>(), []);
  const [opened, setOpened] = useState<Opened[]>([]);
  const [runs, setRuns] = useState<Record<string, PanelRun>>({});
  const [status, setStatus] = useState('');

  const open = async () => {
    try {
      setStatus('Opening');
      const hits = await getJSON<Array<{ uid: string }>>('/api/search?type=dash-db');
      const all: Opened[] = [];
      for (const hit of hits) {
        const { dashboard } = await getJSON<{ dashboard: Saved }>(`/api/dashboards/uid/${encodeURIComponent(hit.uid)}`);
        all.push({ dashboard, panels: flatten(dashboard.panels) });
      }
      setOpened(all);
      let ran = 0;
      for (const { dashboard, panels } of all) {
        for (const v of dashboard.templating.list) {
          templateSrv.setVariable(v.name, currentValue(v.current?.value));
        }
        const results = await Promise.all(
          panels.map(async (panel) => {
            const ds = dataSourceFor(resolve(panel.datasource, templateSrv), cache);
            const targets = panel.targets.map((t) => ({
              ...t,
              datasource: resolve(t.datasource ?? panel.datasource, templateSrv),
            }));
            const run = await runPanel({ ...dashboard, panels }, panel, targets, ds, range);
            return [`${dashboard.uid}/${panel.id}`, run] as const;
          })
        );
        setRuns((prev) => ({ ...prev, ...Object.fromEntries(results) }));
        ran += panels.length;
      }
      setStatus(`Ran ${ran} panels of ${all.length} dashboards`);
    } catch (err) {
      setStatus(`Failed: ${(err as Error).message ?? String(err)}`);
    }
  };

  return (
    <section aria-label="Retargeted dashboards">
      <h2>Dashboards retargeted by ampmigrate</h2>
      <Text color="secondary" element="p">
        Every dashboard saved through this page&apos;s Grafana API, for example by{' '}
        <code>ampmigrate dashboard retarget --file</code>. Panels whose metrics the local Prometheus does not hold
        run and return no rows.
      </Text>
      <Stack direction="row" gap={2} alignItems="center">
        <Button onClick={open}>Open retargeted dashboards</Button>
        <p role="status" aria-label="Retargeted status">
          {status}
        </p>
      </Stack>
      {opened.map(({ dashboard, panels }) => (
        <section key={dashboard.uid} aria-label={`Dashboard ${dashboard.title}`} style={{ marginTop: 16 }}>
          <h3>{dashboard.title}</h3>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(360px, 1fr))', gap: 8 }}>
            {panels.map((panel) => {
              const ref = resolve(panel.datasource, templateSrv);
              return (
                <section
                  key={panel.id}
                  aria-label={`Panel ${panel.title}`}
                  style={{
                    border: `1px solid ${theme.colors.border.weak}`,
                    borderRadius: theme.shape.radius.default,
                    padding: 8,
                    minWidth: 0,
                  }}
                >
                  <h4 style={{ margin: 0 }}>{panel.title}</h4>
                  <Text color="secondary" variant="bodySmall" element="p">
                    <span aria-label="Panel data source">{`${ref.type} / ${ref.uid}`}</span>
                  </Text>
                  <PanelResults run={runs[`${dashboard.uid}/${panel.id}`]} />
                </section>
              );
            })}
          </div>
        </section>
      ))}
    </section>
  );
}
