import { lastValueFrom, of } from 'rxjs';

import {
  AbstractLabelOperator,
  CoreApp,
  DataQueryRequest,
  DataSourceApi,
  dateTime,
  ScopedVars,
} from '@grafana/data';

import { BackendSrv, DataSourceSrv, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';

import { DataSource, selectorFromMatchers } from './datasource';
import { defaultTimeRange } from './time_range';
import { PROMETHEUS_PANEL_TARGET } from './testing/dashboard_fixture';
import { ampInstanceSettings } from './testing/instance_settings';
import { AmpVariableSupport } from './variables/variable_support';
import { AmpOptions, PromQuery } from './types';

// A stand-in for Grafana's template service with the same substitution rules for `$name` and `${name}`:
// scoped variables first (that is how the panel's $__interval arrives), then dashboard variables, whose values go
// through the caller's formatter like Grafana does.
const mockDashboardVariables: Record<string, { value: string | string[]; multi?: boolean }> = {
  job: { value: 'node' },
  instance: { value: 'host:9100' },
  step: { value: '30s' },
  pods: { value: ['a.1', 'b'], multi: true },
};

function mockReplace(text: string, scopedVars?: ScopedVars, format?: unknown): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced, bare) => {
    const name = braced ?? bare;
    const scoped = scopedVars?.[name];
    if (scoped) {
      return String(scoped.value);
    }
    const variable = mockDashboardVariables[name];
    if (!variable) {
      return match;
    }
    if (typeof format === 'function') {
      return format(variable.value, { multi: variable.multi, includeAll: false });
    }
    return Array.isArray(variable.value) ? `{${variable.value.join(',')}}` : variable.value;
  });
}

const mockFetch = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace: mockReplace }),
}));

beforeAll(() => {
  setBackendSrv({ fetch: mockFetch } as unknown as BackendSrv);
  // The migrated dashboard still names the data source by its uid; Grafana resolves it to this one.
  setDataSourceSrv({ getInstanceSettings: () => ampInstanceSettings({ sigV4Auth: true }) } as unknown as DataSourceSrv);
});

const MACROS = [
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__rate_interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
];

// What a dashboard panel passes: every macro has a value the template service would substitute.
const scopedVars: ScopedVars = Object.fromEntries(MACROS.map((name) => [name, { text: 'X', value: 'SCOPED' }]));

function newDataSource(jsonData: AmpOptions = { sigV4Auth: true }): DataSource {
  return new DataSource(ampInstanceSettings(jsonData));
}

const query = (over: Partial<PromQuery>): PromQuery => ({ refId: 'A', expr: 'up', ...over });

describe('DataSource', () => {
  it('takes exactly one constructor argument', () => {
    expect(DataSource.length).toBe(1);
  });

  describe('applyTemplateVariables', () => {
    it('substitutes dashboard variables in expr, legendFormat and interval', () => {
      const out = newDataSource().applyTemplateVariables(
        query({ expr: 'up{job="$job"}', legendFormat: '{{pod}} ${instance}', interval: '$step', format: 'table' }),
        scopedVars
      );
      expect(out).toEqual({
        refId: 'A',
        expr: 'up{job="node"}',
        legendFormat: '{{pod}} host:9100',
        interval: '30s',
        format: 'table',
      });
    });

    it('the fake template service would substitute the macros if they were not protected', () => {
      expect(mockReplace('$__interval ${__range_ms}', scopedVars)).toBe('SCOPED SCOPED');
    });

    it.each(MACROS.flatMap((name) => [`$${name}`, `\${${name}}`]))('keeps %s literal in every field', (macro) => {
      const out = newDataSource().applyTemplateVariables(
        query({ expr: `rate(x{job="$job"}[${macro}])`, legendFormat: `${macro} $job`, interval: macro }),
        scopedVars
      );
      expect(out.expr).toBe(`rate(x{job="node"}[${macro}])`);
      expect(out.legendFormat).toBe(`${macro} node`);
      expect(out.interval).toBe(macro);
    });

    it('sends dashboard ad-hoc filters as data for the backend to apply', () => {
      const out = newDataSource().applyTemplateVariables(
        query({ expr: 'sum(rate(x[5m]))', adhocFilters: [{ key: 'team', operator: 'equals', value: 'a' }] }),
        {},
        [
          { key: 'job', operator: '=', value: 'api' },
          { key: 'code', operator: '!~', value: '5..' },
          { key: 'pod', operator: '=|', value: 'a', values: ['a', 'b'] },
          { key: 'le', operator: '<', value: '1' },
        ]
      );
      expect(out.expr).toBe('sum(rate(x[5m]))');
      expect(out.adhocFilters).toEqual([
        { key: 'team', operator: 'equals', value: 'a' },
        { key: 'job', operator: 'equals', value: 'api' },
        { key: 'code', operator: 'regex-not-match', value: '5..' },
        { key: 'pod', operator: 'one-of', value: 'a', values: ['a', 'b'] },
        { key: 'le', operator: '<', value: '1' },
      ]);
    });

    it('adds no adhocFilters key without filters', () => {
      expect(newDataSource().applyTemplateVariables(query({ expr: 'up' }), {}, [])).not.toHaveProperty('adhocFilters');
    });

    it('leaves absent optional fields absent', () => {
      const out = newDataSource().applyTemplateVariables(query({ expr: '$job' }), {});
      expect(out.expr).toBe('node');
      expect(out.legendFormat).toBeUndefined();
      expect(out.interval).toBeUndefined();
    });
  });

  describe('filterQuery', () => {
    it.each<{ name: string; over: Partial<PromQuery>; kept: boolean }>([
      { name: 'a visible query with PromQL', over: { expr: 'up' }, kept: true },
      { name: 'a hidden query', over: { expr: 'up', hide: true }, kept: false },
      { name: 'an empty expr', over: { expr: '' }, kept: false },
      { name: 'a whitespace-only expr', over: { expr: '  \n' }, kept: false },
      { name: 'a missing expr', over: { expr: undefined as unknown as string }, kept: false },
    ])('$name is kept: $kept', ({ over, kept }) => {
      expect(newDataSource().filterQuery(query(over))).toBe(kept);
    });
  });

  it.each<[CoreApp, boolean, boolean]>([
    [CoreApp.Dashboard, true, false],
    [CoreApp.PanelEditor, true, false],
    [CoreApp.Explore, true, true],
    [CoreApp.UnifiedAlerting, false, true],
  ])('new queries in %s: range=%s instant=%s', (app, range, instant) => {
    expect(newDataSource().getDefaultQuery(app)).toEqual({ expr: '', range, instant });
  });

  it('saves the default editor of the data source with new queries', () => {
    expect(newDataSource({ defaultEditor: 'code' }).getDefaultQuery(CoreApp.Dashboard)).toEqual({
      expr: '',
      range: true,
      instant: false,
      editorMode: 'code',
    });
  });

  describe('editor lookups follow the data source settings', () => {
    it('turns completion lookups off with disableMetricsLookup', () => {
      expect(newDataSource({ disableMetricsLookup: true }).completionClient(() => defaultTimeRange())).toBeUndefined();
      expect(newDataSource().completionClient(() => defaultTimeRange())).toBeDefined();
    });

    it('sends seriesLimit with the completion lookups', async () => {
      mockFetch.mockReset();
      mockFetch.mockReturnValue(of({ data: { status: 'success', data: ['up'] } }));
      await newDataSource({ seriesLimit: 123 }).completionClient(() => defaultTimeRange())!.metricNames();
      expect(mockFetch).toHaveBeenCalledTimes(1);
      expect(mockFetch.mock.calls[0][0].url).toContain('limit=123');
    });
  });

  describe('template variables in PromQL', () => {
    it('joins a multi-value variable as an escaped regex alternation in expr', () => {
      const out = newDataSource().applyTemplateVariables(query({ expr: 'up{pod=~"$pods"}' }), {});
      expect(out.expr).toBe('up{pod=~"(a\\\\.1|b)"}');
    });
  });

  describe('switching a panel to this data source', () => {
    const origin = (id: string, extra: object = {}) =>
      ({ type: id, meta: { id }, ...extra }) as unknown as DataSourceApi;

    it('has no importFromAbstractQueries, so Grafana calls importQueries instead of reducing PromQL to matchers', () => {
      expect('importFromAbstractQueries' in newDataSource()).toBe(false);
    });

    it.each(['prometheus', 'grafana-amazonprometheus-datasource', 'grafana-azureprometheus-datasource'])(
      'keeps queries from %s verbatim',
      async (id) => {
        const imported = await newDataSource().importQueries([PROMETHEUS_PANEL_TARGET], origin(id));
        const { datasource, ...rest } = imported[0];
        const { datasource: _old, ...original } = PROMETHEUS_PANEL_TARGET;
        expect(rest).toEqual(original);
        expect(datasource).toEqual({ type: 'grafana-amazonprometheus-datasource', uid: 'amp' });
      }
    );

    it('turns label matchers exported by another data source into a selector', async () => {
      const loki = origin('loki', {
        exportToAbstractQueries: async () => [
          {
            refId: 'A',
            labelMatchers: [
              { name: 'job', operator: AbstractLabelOperator.Equal, value: 'api' },
              { name: 'path', operator: AbstractLabelOperator.NotEqualRegEx, value: '/health.*' },
            ],
          },
        ],
      });
      const imported = await newDataSource().importQueries([{ refId: 'A' }], loki);
      expect(imported).toEqual([
        {
          refId: 'A',
          expr: '{job="api", path!~"/health.*"}',
          range: true,
          instant: false,
          datasource: { type: 'grafana-amazonprometheus-datasource', uid: 'amp' },
        },
      ]);
    });

    it('starts empty queries for data sources without label matchers', async () => {
      const imported = await newDataSource().importQueries([{ refId: 'B' }], origin('testdata'));
      expect(imported[0]).toMatchObject({ refId: 'B', expr: '' });
    });

    it('puts an equality __name__ matcher in front as the metric name', () => {
      expect(
        selectorFromMatchers([
          { name: 'job', operator: AbstractLabelOperator.EqualRegEx, value: 'a|b' },
          { name: '__name__', operator: AbstractLabelOperator.Equal, value: 'up' },
        ])
      ).toBe('up{job=~"a|b"}');
    });
  });

  describe('a panel target saved by the core Prometheus data source', () => {
    it('is sent to the backend unchanged apart from variable interpolation', async () => {
      mockFetch.mockReturnValue(of({ data: { results: { A: { status: 200, frames: [] } } }, status: 200 }));
      const ds = newDataSource();
      const range = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };
      const request = {
        requestId: 'r1',
        interval: '15s',
        intervalMs: 15000,
        maxDataPoints: 1200,
        range,
        scopedVars: {},
        targets: [PROMETHEUS_PANEL_TARGET],
        timezone: 'browser',
        app: CoreApp.Dashboard,
        startTime: 0,
      } as unknown as DataQueryRequest<PromQuery>;
      await lastValueFrom(ds.query(request));

      expect(mockFetch).toHaveBeenCalledTimes(1);
      const sent = mockFetch.mock.calls[0][0].data.queries[0];
      expect(sent).toEqual({
        ...PROMETHEUS_PANEL_TARGET,
        expr: PROMETHEUS_PANEL_TARGET.expr.replace('$job', 'node'),
        datasource: { type: 'grafana-amazonprometheus-datasource', uid: 'amp' },
        datasourceId: 1,
        intervalMs: 15000,
        maxDataPoints: 1200,
        // Grafana's Prometheus data source sends the dashboard time zone's offset with every query.
        utcOffsetSec: range.to.utcOffset() * 60,
      });
    });
  });

  describe('metricFindQuery', () => {
    it('interpolates variables and $__range before asking the resources for the dashboard range', async () => {
      mockFetch.mockReturnValue(of({ data: { status: 'success', data: { resultType: 'vector', result: [] } } }));
      const range = { from: dateTime(1767225600000), to: dateTime(1767229200000), raw: { from: 'a', to: 'b' } };
      await newDataSource().metricFindQuery('query_result(max_over_time(up{job="$job"}[$__range]))', { range });
      const request = mockFetch.mock.calls[0][0];
      expect(request.url).toBe('/api/datasources/uid/amp/resources/api/v1/query');
      expect(request.method).toBe('POST');
      expect(Object.fromEntries(new URLSearchParams(request.data))).toEqual({
        query: 'max_over_time(up{job="node"}[3600s])',
        time: '1767229200',
      });
    });

    it('resolves variables through the custom variable support, also for queries saved as bare strings', async () => {
      mockFetch.mockReturnValue(of({ data: { status: 'success', data: ['api', 'worker'] } }));
      const ds = newDataSource();
      const range = { from: dateTime(1767225600000), to: dateTime(1767229200000), raw: { from: 'a', to: 'b' } };
      for (const target of ['label_values(job)', { refId: 'V', query: 'label_values(job)' }]) {
        const variables = ds.variables as AmpVariableSupport;
        const response = await lastValueFrom(variables.query({ targets: [target], range, scopedVars: {} } as never));
        expect(response).toEqual({ data: [{ text: 'api', value: 'api' }, { text: 'worker', value: 'worker' }] });
      }
      const url: string = mockFetch.mock.calls[0][0].url;
      expect(url.startsWith('/api/datasources/uid/amp/resources/api/v1/label/job/values?')).toBe(true);
      expect(new URLSearchParams(url.split('?')[1]).get('start')).toBe('1767225600');
    });
  });
});
