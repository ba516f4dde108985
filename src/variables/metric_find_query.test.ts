import { dateTime, TimeRange } from '@grafana/data';

import { ResourceClient } from '../resources/resource_client';
import { fakeCaller, RecordedCall } from '../testing/fake_caller';

import { formatSeries, formatVariableQuery, parseVariableQuery, runVariableQuery, VariableQueryKind } from './metric_find_query';

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767236400000), raw: { from: 'a', to: 'b' } };
const ok = (data: unknown) => ({ status: 'success', data });

describe('parseVariableQuery', () => {
  it.each<[string, VariableQueryKind]>([
    ['label_names()', { kind: 'label_names' }],
    ['label_names(up{job="api"})', { kind: 'label_names', match: 'up{job="api"}' }],
    ['label_values(job)', { kind: 'label_values', label: 'job' }],
    [' label_values( job ) ', { kind: 'label_values', label: 'job' }],
    ['label_values(up, instance)', { kind: 'label_values', label: 'instance', match: 'up' }],
    [
      'label_values(fixture_http_requests_total{job="api",method=~"GET|POST"}, status)',
      { kind: 'label_values', label: 'status', match: 'fixture_http_requests_total{job="api",method=~"GET|POST"}' },
    ],
    ['metrics(fixture_.*)', { kind: 'metrics', regex: 'fixture_.*' }],
    ['query_result(topk(3, sum by (job) (up)))', { kind: 'query_result', expr: 'topk(3, sum by (job) (up))' }],
    ['up{job="api"}', { kind: 'series', selector: 'up{job="api"}' }],
  ])('%s', (text, want) => {
    expect(parseVariableQuery(text)).toEqual(want);
    // Writing it back gives a query that parses to the same thing.
    expect(parseVariableQuery(formatVariableQuery(want))).toEqual(want);
  });
});

describe('formatSeries', () => {
  it('prints the name and sorted, quoted labels', () => {
    expect(formatSeries({ job: 'api', __name__: 'up', instance: 'a"1' })).toBe('up{instance="a\\"1",job="api"}');
  });
});

describe('runVariableQuery', () => {
  function run(text: string, respond: (call: RecordedCall) => unknown) {
    const caller = fakeCaller(respond);
    return { caller, result: runVariableQuery(new ResourceClient(caller, 'POST'), text, range) };
  }
  const texts = async (p: Promise<Array<{ text: string }>>) => (await p).map((v) => v.text);

  it('label_names() lists label names for the dashboard range', async () => {
    const { caller, result } = run('label_names()', () => ok(['instance', 'job']));
    expect(await texts(result)).toEqual(['instance', 'job']);
    expect(caller.calls[0].path).toBe('api/v1/labels');
    expect(Object.fromEntries(caller.calls[0].params)).toEqual({ start: '1767225600', end: '1767236400', limit: '40000' });
  });

  it('label_values(label) reads the label-values API', async () => {
    const { caller, result } = run('label_values(city)', () => ok(['Zürich', '東京']));
    expect(await texts(result)).toEqual(['Zürich', '東京']);
    expect(caller.calls[0].path).toBe('api/v1/label/city/values');
    expect(caller.calls[0].params.get('match[]')).toBeNull();
    expect(caller.calls[0].params.get('end')).toBe('1767236400');
  });

  it('label_values(metric, label) narrows with match[], never a whole-workspace series call', async () => {
    const { caller, result } = run('label_values(fixture_up{job="api"}, instance)', () => ok(['api-1:8080']));
    expect(await texts(result)).toEqual(['api-1:8080']);
    expect(caller.calls.map((c) => [c.method, c.path, c.params.get('match[]')])).toEqual([
      ['GET', 'api/v1/label/instance/values', 'fixture_up{job="api"}'],
    ]);
  });

  it('metrics(regex) filters metric names with an unanchored regex', async () => {
    const { result } = run('metrics(requests)', () => ok(['fixture_http_requests_total', 'fixture_up', 'requests_x']));
    expect(await texts(result)).toEqual(['fixture_http_requests_total', 'requests_x']);
  });

  it('query_result(query) evaluates at the end of the range and prints series, value and time', async () => {
    const { caller, result } = run('query_result(sum by (job) (fixture_up))', () =>
      ok({
        resultType: 'vector',
        result: [
          { metric: { job: 'api' }, value: [1767236400, '2'] },
          { metric: { __name__: 'x', job: 'worker' }, value: [1767236400, '0'] },
        ],
      })
    );
    expect(await texts(result)).toEqual(['{job="api"} 2 1767236400000', 'x{job="worker"} 0 1767236400000']);
    expect(caller.calls[0]).toMatchObject({ method: 'POST', path: 'api/v1/query' });
    expect(Object.fromEntries(caller.calls[0].params)).toEqual({ query: 'sum by (job) (fixture_up)', time: '1767236400' });
  });

  it('query_result of a scalar prints value and time', async () => {
    const { result } = run('query_result(1+1)', () => ok({ resultType: 'scalar', result: [1767236400, '2'] }));
    expect(await texts(result)).toEqual(['2 1767236400000']);
  });

  it('a series selector lists distinct series from the series API', async () => {
    const { caller, result } = run('fixture_up{job="api"}', () =>
      ok([
        { __name__: 'fixture_up', job: 'api', instance: 'api-1:8080' },
        { __name__: 'fixture_up', job: 'api', instance: 'api-1:8080' },
        { __name__: 'fixture_up', job: 'api', instance: 'api-2:8080' },
      ])
    );
    expect(await texts(result)).toEqual([
      'fixture_up{instance="api-1:8080",job="api"}',
      'fixture_up{instance="api-2:8080",job="api"}',
    ]);
    expect(caller.calls[0]).toMatchObject({ method: 'POST', path: 'api/v1/series' });
    expect(caller.calls[0].params.get('match[]')).toBe('fixture_up{job="api"}');
  });
});
