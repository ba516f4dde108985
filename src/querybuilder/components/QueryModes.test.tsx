import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { dateTime, TimeRange } from '@grafana/data';

import { ResourceClient } from '../../resources/resource_client';
import { fakeCaller, RecordedCall } from '../../testing/fake_caller';
import { MetricsCatalog } from '../metrics_catalog';

import { alternatives } from './LabelFilters';
import { ModeChange, QueryModes } from './QueryModes';

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };
const ok = (data: unknown) => ({ status: 'success', data });

// Select menus and typing through userEvent are slow on a shared machine.
jest.setTimeout(30_000);

const METRICS = ['fixture_http_requests_total', 'fixture_up'];

/** A fake workspace with the fixture's request counter: labels job and status. */
function respond(call: RecordedCall) {
  if (call.path === 'api/v1/label/__name__/values') {
    const match = call.params.get('match[]');
    return ok(match?.includes('up') ? ['fixture_up'] : METRICS);
  }
  if (call.path === 'api/v1/metadata') {
    return ok({ fixture_http_requests: [{ type: 'counter', help: 'HTTP requests handled.' }] });
  }
  if (call.path === 'api/v1/labels') {
    return ok(['__name__', 'job', 'status']);
  }
  if (call.path === 'api/v1/label/status/values') {
    return ok(['200', '500']);
  }
  if (call.path === 'api/v1/label/job/values') {
    return ok(['api']);
  }
  return ok([]);
}

function setup(props: { expr?: string; editorMode?: string; defaultEditor?: string } = {}) {
  const caller = fakeCaller(respond);
  const catalog = new MetricsCatalog(new ResourceClient(caller, 'POST'), () => range);
  const onChange = jest.fn<void, [ModeChange, boolean]>();
  let expr = props.expr ?? '';
  const view = (next: string, editorMode?: string) => (
    <QueryModes
      refId="A"
      expr={next}
      editorMode={editorMode}
      defaultEditor={props.defaultEditor}
      catalog={catalog}
      onChange={onChange}
      code={<textarea aria-label="PromQL query" defaultValue={next} />}
    />
  );
  const utils = render(view(expr, props.editorMode));
  // The parent saves each change and renders again with it, as the query editor does.
  onChange.mockImplementation((change) => {
    expr = change.expr;
    utils.rerender(view(change.expr, change.editorMode));
  });
  const lastExpr = () => onChange.mock.calls[onChange.mock.calls.length - 1][0].expr;
  return { ...utils, caller, onChange, lastExpr, user: userEvent.setup() };
}

describe('QueryModes', () => {
  it('opens a new query in the builder, or in code when defaultEditor says so', () => {
    setup();
    expect(screen.getByLabelText('Metric')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Builder' })).toBeChecked();
  });

  it('opens a new query in code when jsonData.defaultEditor is code', () => {
    setup({ defaultEditor: 'code' });
    expect(screen.getByLabelText('PromQL query')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Code' })).toBeChecked();
  });

  it('opens a saved builder query in the builder with its operations', () => {
    setup({ expr: 'sum by (status) (rate(fixture_http_requests_total{job="api"}[$__rate_interval]))', editorMode: 'builder' });
    expect(screen.getByText('fixture_http_requests_total')).toBeInTheDocument();
    expect(screen.getByLabelText('Operation 1: Rate')).toBeInTheDocument();
    expect(screen.getByLabelText('Operation 1 range')).toHaveValue('$__rate_interval');
    expect(screen.getByLabelText('Operation 2 labels')).toHaveValue('status');
    expect(screen.getByLabelText('Builder PromQL')).toHaveTextContent(
      'sum by (status) (rate(fixture_http_requests_total{job="api"}[$__rate_interval]))'
    );
  });

  it('keeps a query the builder cannot show in code, with the reason on one line', () => {
    setup({ expr: 'rate(x[5m] offset 1h)', editorMode: 'builder' });
    expect(screen.getByLabelText('PromQL query')).toBeInTheDocument();
    expect(screen.getByText(/The builder cannot show this query: .*offset/)).toBeInTheDocument();
  });

  it('round-trips between Builder and Code and saves editorMode as Grafana does', async () => {
    const { onChange, user } = setup({ expr: 'rate(fixture_up[5m])', editorMode: 'builder' });
    await user.click(screen.getByRole('radio', { name: 'Code' }));
    expect(onChange).toHaveBeenLastCalledWith({ expr: 'rate(fixture_up[5m])', editorMode: 'code' }, false);
    expect(screen.getByLabelText('PromQL query')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    expect(onChange).toHaveBeenLastCalledWith({ expr: 'rate(fixture_up[5m])', editorMode: 'builder' }, false);
    expect(screen.getByLabelText('Operation 1: Rate')).toBeInTheDocument();
  });

  it('stays in code when switching to the builder is not possible', async () => {
    const { onChange, user } = setup({ expr: 'x[5m:1m]', editorMode: 'code' });
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('radio', { name: 'Code' })).toBeChecked();
    expect(screen.getByText(/The builder cannot show this query: subqueries/)).toBeInTheDocument();
  });

  it('builds a query: metric from the workspace with type and HELP, a label filter, rate and sum by', async () => {
    const { user, lastExpr, onChange } = setup();
    await user.click(screen.getByLabelText('Metric'));
    expect(await screen.findByText('counter: HTTP requests handled.')).toBeInTheDocument();
    await user.click(screen.getByText('fixture_http_requests_total'));
    expect(onChange).toHaveBeenLastCalledWith({ expr: 'fixture_http_requests_total', editorMode: 'builder' }, true);

    await user.click(screen.getByRole('button', { name: 'Add label filter' }));
    await user.click(screen.getByLabelText('Label 1'));
    await user.click(await screen.findByText('status'));
    await user.click(screen.getByLabelText('Value 1'));
    await user.click(await screen.findByText('500'));
    expect(lastExpr()).toBe('fixture_http_requests_total{status="500"}');

    await user.click(screen.getByLabelText('Add operation'));
    await user.click(await screen.findByText('Rate'));
    expect(lastExpr()).toBe('rate(fixture_http_requests_total{status="500"}[$__rate_interval])');

    await user.click(screen.getByLabelText('Add operation'));
    await user.click(await screen.findByText('Sum'));
    await user.click(screen.getByRole('radio', { name: 'by' }));
    await user.type(screen.getByLabelText('Operation 2 labels'), 'job{Enter}');
    expect(lastExpr()).toBe('sum by (job) (rate(fixture_http_requests_total{status="500"}[$__rate_interval]))');
  });

  it('a regex filter picks several values as one escaped alternation', async () => {
    const { user, lastExpr } = setup({ expr: 'fixture_http_requests_total{status=~"2.."}', editorMode: 'builder' });
    expect(screen.getByText('2..')).toBeInTheDocument();
    await user.click(screen.getByLabelText('Value 1'));
    await user.click(await screen.findByText('500'));
    expect(lastExpr()).toBe('fixture_http_requests_total{status=~"2..|500"}');
  });

  it('adds a comparison and an operation with a second query', async () => {
    const { user, lastExpr } = setup({ expr: 'fixture_up', editorMode: 'builder' });
    await user.click(screen.getByLabelText('Add operation'));
    await user.click(await screen.findByText('Operation with a query'));
    expect(lastExpr()).toBe('fixture_up / fixture_up');
    await user.click(screen.getByRole('radio', { name: 'on' }));
    await user.type(screen.getByLabelText('Operation 1 matching labels'), 'job{Enter}');
    expect(lastExpr()).toBe('fixture_up / on (job) fixture_up');
    await user.click(screen.getByLabelText('Add operation'));
    await user.click(await screen.findByText('Compare with a number'));
    await user.clear(screen.getByLabelText('Operation 2 number'));
    await user.type(screen.getByLabelText('Operation 2 number'), '0.5{Enter}');
    expect(lastExpr()).toBe('fixture_up / on (job) fixture_up > 0.5');
  });

  it('moves an operation later in the chain', async () => {
    const { user, lastExpr } = setup({ expr: 'sum(fixture_up) > 0', editorMode: 'builder' });
    expect(screen.queryByRole('button', { name: 'Move Sum earlier' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Move Sum later' }));
    expect(lastExpr()).toBe('sum(fixture_up > 0)');
  });

  it('removes an operation', async () => {
    const { user, lastExpr } = setup({ expr: 'sum(rate(fixture_up[5m]))', editorMode: 'builder' });
    await user.click(screen.getByRole('button', { name: 'Remove Sum' }));
    expect(lastExpr()).toBe('rate(fixture_up[5m])');
  });

  it('explains the query in a tree of sentences, in the builder and in code', async () => {
    const { user } = setup({ expr: 'sum by (status) (rate(fixture_http_requests_total[$__rate_interval]))', editorMode: 'builder' });
    await user.click(screen.getByRole('switch', { name: /Explain/ }));
    const explain = screen.getByRole('region', { name: 'Explain' });
    expect(within(explain).getByText('per-second rate over the last $__rate_interval')).toBeInTheDocument();
    expect(within(explain).getByText('summed by status')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Code' }));
    expect(within(screen.getByRole('region', { name: 'Explain' })).getByText('summed by status')).toBeInTheDocument();
  });

  it('Kick start fills the builder with a pattern on the current metric', async () => {
    const { user, onChange } = setup({ expr: 'fixture_http_requests_total', editorMode: 'builder' });
    await user.click(screen.getByRole('button', { name: 'Kick start your query' }));
    await user.click(screen.getByRole('button', { name: 'Use Error ratio' }));
    expect(onChange).toHaveBeenLastCalledWith(
      {
        expr: 'sum(rate(fixture_http_requests_total{status=~"5.."}[$__rate_interval])) / sum(rate(fixture_http_requests_total[$__rate_interval]))',
        editorMode: 'builder',
      },
      true
    );
    expect(screen.getByLabelText('Operation 3: Operation with a query')).toBeInTheDocument();
    expect(screen.getByLabelText('Operation 3 query: Metric')).toBeInTheDocument();
    // Every radio group has its own name (a browser keeps one checked radio per name) and no id repeats: the
    // mode switch, the grouping of each sum, and the matching and grouping side of the division.
    expect(new Set(screen.getAllByRole('radio').map((r) => r.getAttribute('name'))).size).toBe(5);
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('metrics browser: searches on the server, shows labels with value counts, builds a selector and uses it', async () => {
    const { user, caller, lastExpr } = setup({ editorMode: 'code' });
    await user.click(screen.getByRole('button', { name: 'Metrics browser' }));
    const metrics = await screen.findByRole('list', { name: 'Metrics' });
    await waitFor(() => expect(within(metrics).getByText('fixture_http_requests_total')).toBeInTheDocument());
    expect(within(metrics).getByText('HTTP requests handled.')).toBeInTheDocument();
    expect(within(metrics).getByText('counter')).toBeInTheDocument();

    await user.type(screen.getByPlaceholderText('Search metrics'), 'up');
    await waitFor(() => expect(within(metrics).queryByText('fixture_http_requests_total')).toBeNull());
    const search = caller.calls.filter((c) => c.path === 'api/v1/label/__name__/values').pop();
    expect(search?.params.get('match[]')).toBe('{__name__=~"(?i).*up.*"}');
    expect(search?.params.get('limit')).toBe('201');

    await user.clear(screen.getByPlaceholderText('Search metrics'));
    await user.click(await within(metrics).findByText('fixture_http_requests_total'));
    await user.click(await screen.findByRole('button', { name: 'status (2)' }));
    expect(screen.getByRole('button', { name: 'job (1)' })).toBeInTheDocument();
    await user.type(screen.getByPlaceholderText('Search values of status'), '5');
    const values = screen.getByRole('list', { name: 'Values of status' });
    expect(within(values).queryByText('200')).toBeNull();
    await user.click(within(values).getByText('500'));
    expect(screen.getByLabelText('Selector')).toHaveTextContent('fixture_http_requests_total{status="500"}');
    await user.click(screen.getByRole('button', { name: 'Use query' }));
    expect(lastExpr()).toBe('fixture_http_requests_total{status="500"}');
    expect(screen.getByRole('radio', { name: 'Builder' })).toBeChecked();
  });
});

describe('alternatives', () => {
  it('splits a regex at unescaped bars only, and joins back to the same text', () => {
    expect(alternatives('')).toEqual([]);
    expect(alternatives('a|b\\|c|d\\.e')).toEqual(['a', 'b\\|c', 'd\\.e']);
    expect(alternatives('a|b\\|c|d\\.e').join('|')).toBe('a|b\\|c|d\\.e');
  });
});
