import { dateTime, TimeRange } from '@grafana/data';

import { ResourceClient } from '../resources/resource_client';
import { fakeCaller } from '../testing/fake_caller';

import { matchSelector, metadataFor, MetricsCatalog, searchSelector, VALUE_LIMIT } from './metrics_catalog';

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };
const ok = (data: unknown) => ({ status: 'success', data });

function catalog(respond: Parameters<typeof fakeCaller>[0]) {
  const caller = fakeCaller(respond);
  return { caller, catalog: new MetricsCatalog(new ResourceClient(caller, 'POST'), () => range) };
}

describe('MetricsCatalog', () => {
  it('searches metric names on the server with a case-insensitive match[] and a limit', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `m_${i}`);
    const { caller, catalog: c } = catalog(() => ok(names));
    const page = await c.metrics('http.req', 10);
    expect(page).toEqual({ names: names.slice(0, 10), truncated: true });
    const call = caller.calls[0];
    expect(call.path).toBe('api/v1/label/__name__/values');
    expect(call.params.get('match[]')).toBe('{__name__=~"(?i).*http\\\\.req.*"}');
    // One more than shown, to know whether the list was cut.
    expect(call.params.get('limit')).toBe('11');
  });

  it('lists all names without a search and caches each answer', async () => {
    const { caller, catalog: c } = catalog(() => ok(['a', 'b']));
    await c.metrics('');
    await c.metrics('');
    expect(caller.calls).toHaveLength(1);
    expect(caller.calls[0].params.has('match[]')).toBe(false);
  });

  it('counts the values of each label of a selection, without __name__', async () => {
    const { caller, catalog: c } = catalog((call) => {
      if (call.path === 'api/v1/labels') {
        return ok(['__name__', 'status', 'job']);
      }
      return ok(call.path.includes('status') ? ['200', '500'] : ['api']);
    });
    const counts = await c.labelCounts('fixture_http_requests_total');
    expect(counts).toEqual([
      { name: 'job', count: 1, truncated: false, values: ['api'] },
      { name: 'status', count: 2, truncated: false, values: ['200', '500'] },
    ]);
    for (const call of caller.calls) {
      expect(call.params.get('match[]')).toBe('fixture_http_requests_total');
    }
    expect(caller.calls.find((x) => x.path.endsWith('/values'))?.params.get('limit')).toBe(String(VALUE_LIMIT));
  });

  it('asks again after a failure', async () => {
    let fail = true;
    const { catalog: c } = catalog(() => (fail ? { status: 'error', error: 'boom' } : ok(['x'])));
    await expect(c.metrics('')).rejects.toThrow('boom');
    fail = false;
    await expect(c.metrics('')).resolves.toEqual({ names: ['x'], truncated: false });
  });
});

describe('helpers', () => {
  it('searchSelector escapes regex characters', () => {
    expect(searchSelector('  ')).toBeUndefined();
    expect(searchSelector('a+b')).toBe('{__name__=~"(?i).*a\\\\+b.*"}');
  });

  it('metadataFor finds the family of counters and histograms', () => {
    const all = { fixture_http_requests: [{ type: 'counter', help: 'Requests.' }], up: [{ type: 'gauge', help: 'Up.' }] };
    expect(metadataFor('fixture_http_requests_total', all)?.type).toBe('counter');
    expect(metadataFor('up', all)?.type).toBe('gauge');
    expect(metadataFor('nope_total', all)).toBeUndefined();
  });

  it('matchSelector leaves out filters that are incomplete or use variables', () => {
    expect(matchSelector('')).toBeUndefined();
    expect(
      matchSelector('up', [
        { label: 'job', op: '=', value: 'api' },
        { label: 'x', op: '=', value: '' },
        { label: 'i', op: '=~', value: '$instance' },
      ])
    ).toBe('up{job="api"}');
  });

  it('matchSelector selects everything for a metric variable without usable filters (Prometheus refuses {})', () => {
    expect(matchSelector('$metric')).toBeUndefined();
    expect(matchSelector('$metric', [{ label: 'job', op: '=', value: '$job' }])).toBeUndefined();
    expect(matchSelector('$metric', [{ label: 'job', op: '=', value: 'api' }])).toBe('{job="api"}');
  });
});
