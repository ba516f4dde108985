import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { dateTime, TimeRange } from '@grafana/data';
import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';
import { newCompleteStrategy, PromQLExtension } from '@prometheus-io/codemirror-promql';

import { fakeCaller, fetchError } from '../testing/fake_caller';

import { cacheTtlMs, ResourcePromClient } from './promql_client';
import { ResourceClient } from './resource_client';
import { seriesSelector } from './selectors';

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };
const ok = (data: unknown) => ({ status: 'success', data });

describe('seriesSelector', () => {
  it.each<[string | undefined, Array<{ type: number; name: string; value: string }>, string | undefined, string | undefined]>([
    [undefined, [], undefined, undefined],
    ['up', [], undefined, '{__name__="up"}'],
    [
      'up',
      [
        { type: EqlSingle, name: 'job', value: 'a"b' },
        { type: Neq, name: 'x', value: '1' },
        { type: EqlRegex, name: 'y', value: 'a.*' },
        { type: NeqRegex, name: 'z', value: '\\d' },
      ],
      undefined,
      '{__name__="up",job="a\\"b",x!="1",y=~"a.*",z!~"\\\\d"}',
    ],
    // The label being completed does not narrow its own values.
    ['up', [{ type: EqlSingle, name: 'job', value: 'ap' }], 'job', '{__name__="up"}'],
  ])('%s %j skip=%s -> %s', (metric, matchers, skip, want) => {
    expect(seriesSelector(metric, matchers, skip)).toBe(want);
  });
});

describe('ResourcePromClient', () => {
  function setup(respond: Parameters<typeof fakeCaller>[0]) {
    const caller = fakeCaller(respond);
    let now = 1_000_000;
    const client = new ResourcePromClient(new ResourceClient(caller, 'POST'), () => range, () => now);
    return { caller, client, advance: (ms: number) => (now += ms) };
  }

  it('lists metric names from __name__ values for the editor time range', async () => {
    const { caller, client } = setup(() => ok(['fixture_up', 'fixture_http_requests_total']));
    expect(await client.metricNames()).toEqual(['fixture_up', 'fixture_http_requests_total']);
    expect(caller.calls[0].path).toBe('api/v1/label/__name__/values');
    expect(caller.calls[0].params.get('start')).toBe('1767225600');
    expect(caller.calls[0].params.get('end')).toBe('1767247200');
  });

  it('asks for the label names of one metric and the values filtered by the other matchers', async () => {
    const { caller, client } = setup(() => ok(['x']));
    await client.labelNames('fixture_up');
    await client.labelValues('instance', 'fixture_up', [{ type: EqlSingle, name: 'job', value: 'api' }] as never);
    expect(caller.calls.map((c) => [c.method, c.path, c.params.get('match[]')])).toEqual([
      ['POST', 'api/v1/labels', '{__name__="fixture_up"}'],
      ['GET', 'api/v1/label/instance/values', '{__name__="fixture_up",job="api"}'],
    ]);
  });

  it('answers repeated questions from a cache for a minute', async () => {
    const { caller, client, advance } = setup(() => ok(['a']));
    await client.metricNames();
    await client.metricNames();
    expect(caller.calls).toHaveLength(1);
    advance(61_000);
    await client.metricNames();
    expect(caller.calls).toHaveLength(2);
  });

  it('does not cache failures', async () => {
    let fail = true;
    const { caller, client } = setup(() => (fail ? fetchError(502, { message: 'boom' }) : ok(['a'])));
    await expect(client.metricNames()).rejects.toThrow('boom');
    fail = false;
    expect(await client.metricNames()).toEqual(['a']);
    expect(caller.calls).toHaveLength(2);
  });

  it('returns series as maps and reads metadata', async () => {
    const { client } = setup((call) =>
      call.path === 'api/v1/series' ? ok([{ __name__: 'up', job: 'a' }]) : ok({ up: [{ type: 'gauge', help: 'Up.' }] })
    );
    expect(await client.series('up')).toEqual([new Map([['__name__', 'up'], ['job', 'a']])]);
    expect(await client.metricMetadata()).toEqual({ up: [{ type: 'gauge', help: 'Up.' }] });
  });

  it('feeds the PromQL completion: metric names with HELP, label names and label values', async () => {
    const { client } = setup((call) => {
      if (call.path === 'api/v1/label/__name__/values') {
        return ok(['fixture_http_requests_total', 'fixture_up', 'other_metric']);
      }
      if (call.path === 'api/v1/metadata') {
        return ok({ fixture_http_requests: [{ type: 'counter', help: 'HTTP requests served.' }] });
      }
      if (call.path === 'api/v1/labels') {
        return ok(['__name__', 'job', 'method']);
      }
      return ok(['api', 'worker']);
    });
    const strategy = newCompleteStrategy({ remote: client });
    // `|` marks the cursor; without one it is at the end.
    const complete = async (text: string) => {
      const pos = text.includes('|') ? text.indexOf('|') : text.length;
      const doc = text.replace('|', '');
      const state = EditorState.create({ doc, extensions: new PromQLExtension().asExtension() });
      const result = await strategy.promQL(new CompletionContext(state, pos, true));
      return result?.options ?? [];
    };

    const metrics = await complete('fixture_ht');
    const metric = metrics.find((o) => o.label === 'fixture_http_requests_total');
    expect(metric).toMatchObject({ detail: 'counter', info: 'HTTP requests served.' });
    // Functions complete too, without any request.
    expect((await complete('histogram_q')).map((o) => o.label)).toContain('histogram_quantile');

    expect((await complete('fixture_up{|}')).map((o) => o.label)).toEqual(expect.arrayContaining(['job', 'method']));
    expect((await complete('fixture_up{job="|"}')).map((o) => o.label)).toEqual(expect.arrayContaining(['api', 'worker']));
  });
});

describe('cache level', () => {
  it.each([
    [undefined, 60_000],
    ['Low', 60_000],
    ['Medium', 600_000],
    ['High', 3_600_000],
    ['None', 0],
  ] as const)('%s reuses lookups for %i ms', (level, ms) => {
    expect(cacheTtlMs(level)).toBe(ms);
  });

  it('with level None asks again once a call has finished, but shares a call in flight', async () => {
    const caller = fakeCaller(() => ok(['up']));
    const client = new ResourcePromClient(new ResourceClient(caller, 'POST'), () => range, () => 1, cacheTtlMs('None'));
    await Promise.all([client.metricNames(), client.metricNames()]);
    expect(caller.calls).toHaveLength(1);
    await client.metricNames();
    expect(caller.calls).toHaveLength(2);
  });

  it('with level High reuses a lookup for an hour', async () => {
    let now = 0;
    const caller = fakeCaller(() => ok(['up']));
    const client = new ResourcePromClient(new ResourceClient(caller, 'POST'), () => range, () => now, cacheTtlMs('High'));
    await client.metricNames();
    now += 59 * 60_000;
    await client.metricNames();
    expect(caller.calls).toHaveLength(1);
    now += 2 * 60_000;
    await client.metricNames();
    expect(caller.calls).toHaveLength(2);
  });
});
