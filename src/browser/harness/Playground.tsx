import React, { useEffect, useMemo, useState } from 'react';

import { dateTime, GrafanaTheme2, TimeRange } from '@grafana/data';
import { Icon, IconName, useTheme2 } from '@grafana/ui';

import { DataSource } from '../../datasource';

import { MigratedDashboard } from './MigratedDashboard';
import { AnnotationsPage } from './pages/AnnotationsPage';
import { ConfigPage } from './pages/ConfigPage';
import { ExplorePage } from './pages/ExplorePage';
import { VariablesPage } from './pages/VariablesPage';
import { RetargetedDashboards } from './RetargetedDashboards';
import { HarnessTemplateSrv } from './services';
import { HarnessConfig, instanceSettings } from './settings';

/** The playground's pages, addressed as #/<path>. */
export const ROUTES: Array<{ path: string; title: string; icon: IconName }> = [
  { path: 'explore', title: 'Explore', icon: 'compass' },
  { path: 'variables', title: 'Variables', icon: 'brackets-curly' },
  { path: 'annotations', title: 'Annotations', icon: 'comment-alt' },
  { path: 'config', title: 'Data source settings', icon: 'cog' },
  { path: 'dashboard', title: 'Migrated dashboard', icon: 'apps' },
  { path: 'retargeted', title: 'Retargeted dashboards', icon: 'exchange-alt' },
];

const DEFAULT_ROUTE = 'explore';

function routeOf(hash: string): string {
  const path = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.some((r) => r.path === path) ? path : DEFAULT_ROUTE;
}

function useRoute(): string {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function styles(theme: GrafanaTheme2): Record<string, React.CSSProperties> {
  return {
    shell: { display: 'flex', minHeight: '100vh', background: theme.colors.background.canvas },
    nav: {
      width: 220,
      flexShrink: 0,
      borderRight: `1px solid ${theme.colors.border.weak}`,
      background: theme.colors.background.primary,
      padding: theme.spacing(2, 1),
    },
    brand: { fontSize: theme.typography.h5.fontSize, padding: theme.spacing(0, 1, 2), margin: 0 },
    link: {
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(0.75, 1),
      borderRadius: theme.shape.radius.default,
      color: theme.colors.text.secondary,
    },
    active: { background: theme.colors.action.selected, color: theme.colors.text.primary },
    main: { flexGrow: 1, padding: theme.spacing(2, 3), minWidth: 0 },
    page: {
      background: theme.colors.background.primary,
      padding: theme.spacing(2),
      borderRadius: theme.shape.radius.default,
      border: `1px solid ${theme.colors.border.weak}`,
    },
    range: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
  };
}

/**
 * The playground: the plugin's real editors in a Grafana-like page against the local stack. The page server
 * (pkg/testenv/harness) stands in for Grafana's HTTP API and runs the built plugin over gRPC.
 */
export function Playground({ config, templateSrv }: { config: HarnessConfig; templateSrv: HarnessTemplateSrv }) {
  const s = styles(useTheme2());
  const route = useRoute();
  const datasource = useMemo(() => new DataSource(instanceSettings(config.queryDataSource)), [config]);
  const range: TimeRange = useMemo(() => {
    const from = dateTime(config.range.from);
    const to = dateTime(config.range.to);
    return { from, to, raw: { from, to } };
  }, [config]);

  let page: React.ReactNode;
  switch (route) {
    case 'variables':
      page = <VariablesPage datasource={datasource} range={range} />;
      break;
    case 'annotations':
      page = <AnnotationsPage datasource={datasource} range={range} />;
      break;
    case 'config':
      page = <ConfigPage initial={config.configDataSource} />;
      break;
    case 'dashboard':
      page = <MigratedDashboard range={range} templateSrv={templateSrv} migratedUids={[config.migratedDataSource.uid]} />;
      break;
    case 'retargeted':
      page = <RetargetedDashboards range={range} templateSrv={templateSrv} />;
      break;
    default:
      page = <ExplorePage datasource={datasource} range={range} />;
  }

  return (
    <div style={s.shell}>
      <nav style={s.nav} aria-label="Playground pages">
        <h1 style={s.brand}>
          <Icon name="grafana" size="lg" /> AMP playground
        </h1>
        {ROUTES.map((r) => (
          <a
            key={r.path}
            href={`#/${r.path}`}
            style={r.path === route ? { ...s.link, ...s.active } : s.link}
            aria-current={r.path === route ? 'page' : undefined}
          >
            <Icon name={r.icon} /> {r.title}
          </a>
        ))}
      </nav>
      <main style={s.main}>
        <p style={s.range} aria-label="Time range">
          <Icon name="clock-nine" /> {range.from.toISOString()} to {range.to.toISOString()} (UTC) · data source{' '}
          {config.queryDataSource.name}
        </p>
        <div style={s.page}>{page}</div>
      </main>
    </div>
  );
}
