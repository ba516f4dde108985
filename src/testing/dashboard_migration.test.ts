import { AMP_PLUGIN_TYPE, migrateDashboard, SavedDashboard } from './dashboard_migration';
import dashboard from './prometheus_dashboard.json';

describe('migrateDashboard', () => {
  it('switches the type of every reference to a migrated data source and nothing else', () => {
    const { dashboard: out, switched } = migrateDashboard(dashboard, ['amp']);

    // One annotation, four panels with one target each, one variable.
    expect(switched).toBe(10);
    const ref = { type: AMP_PLUGIN_TYPE, uid: 'amp' };
    expect(out.annotations.list[0].datasource).toEqual(ref);
    expect(out.templating.list[0].datasource).toEqual(ref);
    out.panels.forEach((panel, i) => {
      expect(panel.datasource).toEqual(ref);
      panel.targets.forEach((target, j) => {
        const { datasource, ...query } = target;
        const { datasource: saved, ...savedQuery } = dashboard.panels[i].targets[j];
        expect(datasource).toEqual({ ...saved, type: AMP_PLUGIN_TYPE });
        expect(query).toEqual(savedQuery);
      });
    });
    const strip = (text: string) => text.split(AMP_PLUGIN_TYPE).join('prometheus');
    expect(strip(JSON.stringify(out))).toBe(JSON.stringify(dashboard));
  });

  it('leaves the input, other data sources and legacy name references alone', () => {
    const saved = {
      title: 'Mixed',
      panels: [
        { id: 1, datasource: { type: 'prometheus', uid: 'other' }, targets: [{ refId: 'A', expr: 'up' }] },
        {
          id: 2,
          datasource: 'Prometheus',
          targets: [{ refId: 'A', expr: 'up', datasource: { type: 'loki', uid: 'amp' } }],
        },
        { id: 3, datasource: { type: 'prometheus', uid: 'amp' }, targets: [] },
      ],
      templating: { list: [] },
    };
    const before = JSON.stringify(saved);

    const { dashboard: out, switched } = migrateDashboard(saved as unknown as SavedDashboard, ['amp']);

    expect(switched).toBe(1);
    expect(JSON.stringify(saved)).toBe(before);
    expect(out.panels[0].datasource).toEqual({ type: 'prometheus', uid: 'other' });
    expect(out.panels[1].datasource).toBe('Prometheus');
    expect(out.panels[1].targets[0].datasource).toEqual({ type: 'loki', uid: 'amp' });
    expect(out.panels[2].datasource).toEqual({ type: AMP_PLUGIN_TYPE, uid: 'amp' });
  });
});
