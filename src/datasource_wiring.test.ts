import { lastValueFrom, of } from 'rxjs';

import { CoreApp, DataQueryRequest, dateTime, dateTimeForTimeZone } from '@grafana/data';
import { BackendSrv, setBackendSrv } from '@grafana/runtime';

import { DataSource, withRequestContext } from './datasource';
import { ampInstanceSettings } from './testing/instance_settings';
import { AmpOptions, PromQuery } from './types';

const mockFetch = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace: (text: string) => text.replace(/\$job\b/g, 'api'), getVariables: () => [] }),
}));

beforeAll(() => setBackendSrv({ fetch: mockFetch } as unknown as BackendSrv));
beforeEach(() => mockFetch.mockReset());

function newDataSource(jsonData: AmpOptions = {}): DataSource {
  return new DataSource(ampInstanceSettings(jsonData));
}

const range = { from: dateTime(1767225600000), to: dateTime(1767229200000), raw: { from: 'a', to: 'b' } };

/** The resource calls the data source made, as URL path and parameters. */
function calls(): Array<{ path: string; params: Record<string, string[]> }> {
  return mockFetch.mock.calls.map(([req]) => {
    const [path, qs = ''] = String(req.url).split('?');
    const search = new URLSearchParams(typeof req.data === 'string' && req.data ? req.data : qs);
    const params: Record<string, string[]> = {};
    for (const [k, v] of search) {
      params[k] = [...(params[k] ?? []), v];
    }
    return { path, params };
  });
}

describe('ad-hoc filters', () => {
  it('lists keys from the labels resource, narrowed by the current filters, without __name__', async () => {
    mockFetch.mockReturnValue(of({ data: { status: 'success', data: ['__name__', 'instance', 'job'] } }));
    const keys = await newDataSource().getTagKeys({
      timeRange: range,
      filters: [
        { key: 'job', operator: '=', value: 'api' },
        { key: 'status', operator: '=|', value: '500', values: ['500', '503'] },
      ],
    });
    expect(keys).toEqual([{ text: 'instance' }, { text: 'job' }]);
    const [call] = calls();
    expect(call.path).toBe('/api/datasources/uid/amp/resources/api/v1/labels');
    expect(call.params['match[]']).toEqual(['{job="api",status=~"500|503"}']);
    expect(call.params.start).toEqual(['1767225600']);
  });

  it('escapes one-of values once, so a value with regex characters matches itself', async () => {
    mockFetch.mockReturnValue(of({ data: { status: 'success', data: ['instance'] } }));
    await newDataSource().getTagKeys({
      timeRange: range,
      filters: [{ key: 'instance', operator: '=|', value: 'a.b:9100', values: ['a.b:9100', 'c\\d'] }],
    });
    expect(calls()[0].params['match[]']).toEqual(['{instance=~"a\\\\.b:9100|c\\\\\\\\d"}']);
  });

  it('lists values of a key from the label values resource, bounded, with the other filters only', async () => {
    mockFetch.mockReturnValue(of({ data: { status: 'success', data: ['api', 'worker'] } }));
    const values = await newDataSource().getTagValues({
      key: 'job',
      timeRange: range,
      filters: [
        { key: 'job', operator: '=', value: 'old' },
        { key: 'instance', operator: '!~', value: 'api-.*' },
      ],
    });
    expect(values).toEqual([{ text: 'api' }, { text: 'worker' }]);
    const [call] = calls();
    expect(call.path).toBe('/api/datasources/uid/amp/resources/api/v1/label/job/values');
    expect(call.params['match[]']).toEqual(['{instance!~"api-.*"}']);
    expect(Number(call.params.limit[0])).toBeGreaterThan(0);
  });

  it('asks without a selector when there are no filters', async () => {
    mockFetch.mockReturnValue(of({ data: { status: 'success', data: ['job'] } }));
    await newDataSource().getTagKeys({ timeRange: range, filters: [] });
    expect(calls()[0].params['match[]']).toBeUndefined();
  });
});

describe('query context', () => {
  const request = (over: Partial<DataQueryRequest<PromQuery>>) =>
    ({
      requestId: 'r',
      app: CoreApp.Dashboard,
      range,
      interval: '15s',
      intervalMs: 15000,
      scopedVars: {},
      targets: [{ refId: 'A', expr: 'sum(rate(x[5m]))' }],
      timezone: 'utc',
      startTime: 0,
      ...over,
    }) as DataQueryRequest<PromQuery>;

  it('copies group-by keys and scopes into every query, as Grafana does', () => {
    const out = withRequestContext(
      request({
        groupByKeys: ['job', 'instance'],
        scopes: [
          {
            metadata: { name: 'prod' },
            spec: { title: 'Prod', filters: [{ key: 'env', operator: 'equals', value: 'prod' }] },
          },
        ] as never,
        targets: [
          { refId: 'A', expr: 'a' },
          { refId: 'B', expr: 'b' },
        ],
      })
    );
    for (const t of out.targets) {
      expect(t.groupByKeys).toEqual(['job', 'instance']);
      expect(t.scopes).toEqual([{ name: 'prod', title: 'Prod', filters: [{ key: 'env', operator: 'equals', value: 'prod' }] }]);
    }
  });

  it('adds nothing without group-by keys or scopes', () => {
    const [t] = withRequestContext(request({ groupByKeys: [], scopes: [] })).targets;
    expect(t).not.toHaveProperty('groupByKeys');
    expect(t).not.toHaveProperty('scopes');
  });

  it('sends the time zone offset of the dashboard range in seconds', () => {
    const tz = { from: dateTimeForTimeZone('Asia/Kolkata', 1767225600000), to: dateTimeForTimeZone('Asia/Kolkata', 1767229200000), raw: { from: 'a', to: 'b' } };
    expect(withRequestContext(request({ range: tz })).targets[0].utcOffsetSec).toBe(19800);
    const utc = { from: dateTimeForTimeZone('utc', 0), to: dateTimeForTimeZone('utc', 1), raw: { from: 'a', to: 'b' } };
    expect(withRequestContext(request({ range: utc })).targets[0].utcOffsetSec).toBe(0);
  });

  it('reaches /api/ds/query through query()', async () => {
    mockFetch.mockReturnValue(of({ data: { results: { A: { status: 200, frames: [] } } }, status: 200 }));
    await lastValueFrom(newDataSource().query(request({ groupByKeys: ['job'] })));
    const sent = mockFetch.mock.calls[0][0].data.queries[0];
    expect(sent.groupByKeys).toEqual(['job']);
    expect(typeof sent.utcOffsetSec).toBe('number');
  });
});

describe('modifyQuery', () => {
  const ds = newDataSource();
  const modify = (expr: string, type: string, options?: Record<string, string>) =>
    ds.modifyQuery({ refId: 'A', expr }, { type, options }).expr;

  it.each([
    ['up', 'up{job="api"}'],
    ['up{}', 'up{job="api"}'],
    ['up{instance="a"}', 'up{instance="a", job="api"}'],
    ['up{job="api"}', 'up{job="api"}'],
    [
      'sum by (status) (rate(x{method="GET"}[$__rate_interval])) / sum(rate(y[5m]))',
      'sum by (status) (rate(x{method="GET", job="api"}[$__rate_interval])) / sum(rate(y{job="api"}[5m]))',
    ],
  ])('ADD_FILTER adds the matcher to every selector: %s', (expr, want) => {
    expect(modify(expr, 'ADD_FILTER', { key: 'job', value: 'api' })).toBe(want);
  });

  it('ADD_FILTER_OUT adds a negative matcher and quotes the value', () => {
    expect(modify('rate(x[5m])', 'ADD_FILTER_OUT', { key: 'path', value: '/a"b' })).toBe('rate(x{path!="/a\\"b"}[5m])');
  });

  it('leaves text that does not parse, and unknown actions, alone', () => {
    expect(modify('sum(x', 'ADD_FILTER', { key: 'job', value: 'api' })).toBe('sum(x');
    expect(modify('up', 'SOMETHING_ELSE')).toBe('up');
  });

  it('applies the hint fixes', () => {
    expect(modify('sum by (job) (x_total{a="b"})', 'ADD_RATE')).toBe('sum by (job) (rate(x_total{a="b"}[$__rate_interval]))');
    expect(modify('x_bucket', 'ADD_HISTOGRAM_QUANTILE')).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket[$__rate_interval])))'
    );
  });
});

describe('getQueryHints', () => {
  const ds = newDataSource();
  const hints = (expr: string) => ds.getQueryHints({ refId: 'A', expr }, []);

  it('suggests rate() for a counter and applies it through modifyQuery', () => {
    const [hint] = hints('fixture_http_requests_total{job="$job"}');
    expect(hint.type).toBe('APPLY_RATE');
    expect(hint.label).toBe('Selected metric fixture_http_requests_total looks like a counter.');
    const fixed = ds.modifyQuery({ refId: 'A', expr: hint.fix!.action!.query! }, hint.fix!.action!);
    expect(fixed.expr).toBe('rate(fixture_http_requests_total{job="$job"}[$__rate_interval])');
  });

  it('suggests histogram_quantile() for buckets', () => {
    expect(hints('x_bucket').map((h) => h.type)).toEqual(['HISTOGRAM_QUANTILE']);
  });

  it('has nothing to say when the counter is already rated, or for gauges', () => {
    expect(hints('rate(x_total[5m])')).toEqual([]);
    expect(hints('sum(increase(x_total[$__range]))')).toEqual([]);
    expect(hints('fixture_up')).toEqual([]);
    expect(hints('')).toEqual([]);
  });
});

describe('interpolateVariablesInQueries', () => {
  it('interpolates dashboard variables, keeps backend macros, and points at this data source', () => {
    const [q] = newDataSource().interpolateVariablesInQueries(
      [{ refId: 'A', expr: 'rate(x{job="$job"}[$__rate_interval])', interval: '$__interval' }],
      {},
      [{ key: 'instance', operator: '=', value: 'a' }]
    );
    expect(q).toEqual({
      refId: 'A',
      expr: 'rate(x{job="api"}[$__rate_interval])',
      interval: '$__interval',
      adhocFilters: [{ key: 'instance', operator: 'equals', value: 'a' }],
      datasource: { type: 'grafana-amazonprometheus-datasource', uid: 'amp' },
    });
  });
});
