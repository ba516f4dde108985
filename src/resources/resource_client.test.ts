import { dateTime, TimeRange } from '@grafana/data';

import { fakeCaller, fetchError } from '../testing/fake_caller';

import { escapeLabelNameForPath, MAX_GET_URL_LENGTH, RESULT_LIMIT, ResourceClient, timeWindow } from './resource_client';

// 2026-01-01T00:00:00.500Z .. 2026-01-01T06:00:00.200Z: start rounds down, end rounds up.
const range: TimeRange = {
  from: dateTime(1767225600500),
  to: dateTime(1767247200200),
  raw: { from: 'a', to: 'b' },
};

const ok = (data: unknown) => ({ status: 'success', data });

describe('timeWindow', () => {
  it('gives whole Unix seconds covering the range', () => {
    expect(timeWindow(range)).toEqual({ start: '1767225600', end: '1767247201' });
  });
});

describe('escapeLabelNameForPath', () => {
  it.each([
    ['job', 'job'],
    ['__name__', '__name__'],
    ['http.status', 'U__http_2e_status'],
    ['ünit_x', 'U___fc_nit__x'],
  ])('%s -> %s', (name, escaped) => {
    expect(escapeLabelNameForPath(name)).toBe(escaped);
  });
});

describe('ResourceClient', () => {
  it('sends label names as a form POST with the time window and match[] in the body only', async () => {
    const caller = fakeCaller(() => ok(['job', 'instance']));
    const names = await new ResourceClient(caller, 'POST').labelNames(range, '{__name__="up"}');
    expect(names).toEqual(['job', 'instance']);
    expect(caller.calls).toHaveLength(1);
    const call = caller.calls[0];
    expect(call.method).toBe('POST');
    expect(call.path).toBe('api/v1/labels');
    expect(typeof call.body).toBe('string');
    expect(Object.fromEntries(call.params)).toEqual({
      start: '1767225600',
      end: '1767247201',
      'match[]': '{__name__="up"}',
      limit: String(RESULT_LIMIT),
    });
    expect(call.options?.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
    // Completion and variable failures must not pop up Grafana's global error toasts.
    expect(call.options?.showErrorAlert).toBe(false);
  });

  it('uses GET with a query string when the data source is set to GET', async () => {
    const caller = fakeCaller(() => ok([]));
    await new ResourceClient(caller, 'GET').series(range, 'up');
    expect(caller.calls[0]).toMatchObject({ method: 'GET', path: 'api/v1/series' });
    expect(caller.calls[0].params.get('match[]')).toBe('up');
  });

  it('asks for at most the given number of label values and cuts a longer answer', async () => {
    const caller = fakeCaller(() => ok(['a', 'b', 'c']));
    const values = await new ResourceClient(caller, 'POST').labelValues('__name__', range, undefined, 2);
    expect(values).toEqual(['a', 'b']);
    expect(caller.calls[0].params.get('limit')).toBe('2');
  });

  it('passes limit_per_metric to the metadata endpoint', async () => {
    const caller = fakeCaller(() => ok({ up: [{ type: 'gauge', help: 'Up.' }] }));
    await new ResourceClient(caller, 'POST').metadata(1);
    expect(caller.calls[0]).toMatchObject({ method: 'GET', path: 'api/v1/metadata' });
    expect(caller.calls[0].params.get('limit_per_metric')).toBe('1');
  });

  it('always reads label values by GET (AMP accepts nothing else), with a limit', async () => {
    const caller = fakeCaller(() => ok(['a', 'b']));
    const values = await new ResourceClient(caller, 'POST').labelValues('http.status', range, 'up');
    expect(values).toEqual(['a', 'b']);
    expect(caller.calls[0].method).toBe('GET');
    expect(caller.calls[0].path).toBe('api/v1/label/U__http_2e_status/values');
    expect(Object.fromEntries(caller.calls[0].params)).toEqual({
      start: '1767225600',
      end: '1767247201',
      'match[]': 'up',
      limit: String(RESULT_LIMIT),
    });
  });

  it('reads label values from a POST series call when the selector would make the URL too long', async () => {
    const caller = fakeCaller((call) =>
      call.path === 'api/v1/series' ? ok([{ job: 'b' }, { job: 'a' }, { job: 'b' }, { other: 'x' }]) : ok([])
    );
    const longSelector = `{job=~"${'x'.repeat(MAX_GET_URL_LENGTH)}"}`;
    const values = await new ResourceClient(caller, 'POST').labelValues('job', range, longSelector);
    expect(values).toEqual(['a', 'b']);
    expect(caller.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST api/v1/series']);
  });

  it('caps very long answers', async () => {
    const many = Array.from({ length: RESULT_LIMIT + 5 }, (_, i) => `m${i}`);
    const caller = fakeCaller(() => ok(many));
    expect(await new ResourceClient(caller).labelValues('__name__', range)).toHaveLength(RESULT_LIMIT);
  });

  it('retries a POST that the server refuses with 405 as GET', async () => {
    const caller = fakeCaller((call) => (call.method === 'POST' ? fetchError(405, { message: 'no POST' }) : ok(['job'])));
    expect(await new ResourceClient(caller, 'POST').labelNames(range)).toEqual(['job']);
    expect(caller.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
    expect(caller.calls[1].params.get('start')).toBe('1767225600');
  });

  it('does not retry other failures and reports the plugin message', async () => {
    const caller = fakeCaller(() => fetchError(403, { message: 'missing aps:GetLabels' }));
    await expect(new ResourceClient(caller, 'POST').labelNames(range)).rejects.toThrow('missing aps:GetLabels');
    expect(caller.calls).toHaveLength(1);
  });

  it('reports a Prometheus error envelope', async () => {
    const caller = fakeCaller(() => ({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }));
    await expect(new ResourceClient(caller).instantQuery('up{', 1)).rejects.toThrow('parse error at char 3');
  });

  it('sends instant queries with query and time', async () => {
    const caller = fakeCaller(() => ok({ resultType: 'vector', result: [] }));
    await new ResourceClient(caller, 'POST').instantQuery('sum(up)', 1767247201);
    expect(Object.fromEntries(caller.calls[0].params)).toEqual({ query: 'sum(up)', time: '1767247201' });
    expect(caller.calls[0].path).toBe('api/v1/query');
  });

  it('reads metadata by GET and returns an empty map for none', async () => {
    const caller = fakeCaller(() => ok(null));
    expect(await new ResourceClient(caller, 'POST').metadata()).toEqual({});
    expect(caller.calls[0]).toMatchObject({ method: 'GET', path: 'api/v1/metadata' });
  });

  it('calls the workspace discovery routes with their parameters', async () => {
    const caller = fakeCaller((call) => {
      switch (call.path) {
        case 'regions':
          return ['us-east-1', 'eu-west-1'];
        case 'workspaces':
          return [{ id: 'ws-1', status: 'ACTIVE', selectable: true }];
        default:
          return { id: 'ws-1', status: 'ACTIVE', prometheusEndpoint: 'https://x/' };
      }
    });
    const client = new ResourceClient(caller);
    expect(await client.regions()).toEqual(['us-east-1', 'eu-west-1']);
    expect(await client.workspaces('eu-west-1')).toHaveLength(1);
    expect((await client.workspace('eu-west-1', 'ws-1')).prometheusEndpoint).toBe('https://x/');
    expect(caller.calls.map((c) => [c.path, Object.fromEntries(c.params)])).toEqual([
      ['regions', {}],
      ['workspaces', { region: 'eu-west-1' }],
      ['workspace', { region: 'eu-west-1', id: 'ws-1' }],
    ]);
  });

  it('reports discovery errors with the backend message', async () => {
    const caller = fakeCaller(() => fetchError(403, { message: 'missing aps:ListWorkspaces — enter the URL manually' }));
    await expect(new ResourceClient(caller).workspaces('us-east-1')).rejects.toThrow(
      'missing aps:ListWorkspaces — enter the URL manually'
    );
  });
});

describe('ResourceClient lookup settings', () => {
  it('sends the series limit of the data source on every lookup and caps what comes back', async () => {
    const caller = fakeCaller(() => ok(['a', 'b', 'c']));
    const client = new ResourceClient(caller, 'POST', { seriesLimit: 2 });
    expect(await client.labelNames(range)).toEqual(['a', 'b']);
    expect(await client.labelValues('job', range)).toEqual(['a', 'b']);
    await client.series(range, 'up');
    expect(caller.calls.map((c) => c.params.get('limit'))).toEqual(['2', '2', '2']);
  });

  it('asks for everything when the series limit is 0', async () => {
    const many = Array.from({ length: RESULT_LIMIT + 5 }, (_, i) => `m${i}`);
    const caller = fakeCaller(() => ok(many));
    expect(await new ResourceClient(caller, 'POST', { seriesLimit: 0 }).labelValues('__name__', range)).toHaveLength(many.length);
    expect(caller.calls[0].params.has('limit')).toBe(false);
  });

  it('ignores a series limit that is not a whole number', async () => {
    const caller = fakeCaller(() => ok([]));
    await new ResourceClient(caller, 'POST', { seriesLimit: -3 }).labelNames(range);
    expect(caller.calls[0].params.get('limit')).toBe(String(RESULT_LIMIT));
  });

  it('reads filtered label values from api/v1/series when the series endpoint is on', async () => {
    const caller = fakeCaller(() => ok([{ __name__: 'up', job: 'b' }, { __name__: 'up', job: 'a' }]));
    const client = new ResourceClient(caller, 'POST', { seriesEndpoint: true });
    expect(await client.labelValues('job', range, 'up')).toEqual(['a', 'b']);
    expect(caller.calls[0]).toMatchObject({ method: 'POST', path: 'api/v1/series' });
    caller.calls.length = 0;
    await client.labelValues('job', range);
    expect(caller.calls[0]).toMatchObject({ method: 'GET', path: 'api/v1/label/job/values' });
  });
});

