import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { CoreApp, dateTime, TimeRange } from '@grafana/data';

import type { DataSource } from '../datasource';
import { ResourcePromClient } from '../resources/promql_client';
import { ResourceClient } from '../resources/resource_client';
import { queryHints } from '../promql/hints';
import { addRateToQuery } from '../promql/modify';
import { PROMETHEUS_PANEL_TARGET } from '../testing/dashboard_fixture';
import { fakeCaller } from '../testing/fake_caller';
import { PromQuery } from '../types';

import { QueryEditor } from './QueryEditor';
import { legendModeOf, queryTypeOf } from './query_options';

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };

/** A data source whose completion asks a fake backend with the fixture's metric names. */
function fakeDataSource() {
  const caller = fakeCaller((call) => {
    if (call.path === 'api/v1/label/__name__/values') {
      return { status: 'success', data: ['fixture_http_requests_total', 'fixture_up'] };
    }
    if (call.path === 'api/v1/metadata') {
      return { status: 'success', data: { fixture_http_requests: [{ type: 'counter', help: 'HTTP requests.' }] } };
    }
    return { status: 'success', data: [] };
  });
  const datasource = {
    completionClient: (r: () => TimeRange) => new ResourcePromClient(new ResourceClient(caller, 'POST'), r),
    getQueryHints: (q: PromQuery) => queryHints(q.expr),
    modifyQuery: (q: PromQuery) => ({ ...q, expr: addRateToQuery(q.expr) }),
    resources: new ResourceClient(caller, 'POST'),
    // These tests drive the code editor; QueryEditor.builder.test.tsx covers the builder.
    defaultEditor: 'code',
  } as unknown as DataSource;
  return { datasource, caller };
}

/** Renders the editor with the Options row expanded (it starts collapsed, as in Grafana), unless `collapsed`. */
function renderEditor(query: Partial<PromQuery> = {}, { app, collapsed }: { app?: CoreApp; collapsed?: boolean } = {}) {
  const onChange = jest.fn<void, [PromQuery]>();
  const onRunQuery = jest.fn();
  // Records the order of calls across both mocks: the query must be changed before it is run.
  const calls: string[] = [];
  onChange.mockImplementation(() => calls.push('change'));
  onRunQuery.mockImplementation(() => calls.push('run'));
  const { datasource, caller } = fakeDataSource();
  const props = { datasource, onChange, onRunQuery, range, app };
  const utils = render(
    <>
      <QueryEditor {...props} query={{ refId: 'A', expr: '', ...query }} />
      <button>elsewhere</button>
    </>
  );
  if (!collapsed) {
    fireEvent.click(screen.getByRole('button', { name: /^Options/ }));
  }
  const expr = () => screen.getByLabelText('PromQL query');
  return { ...utils, props, onChange, onRunQuery, calls, caller, expr, user: userEvent.setup() };
}

describe('QueryEditor', () => {
  it('shows the saved expression and options', () => {
    renderEditor({ expr: 'up{job="node"}', legendFormat: '{{instance}}', interval: '1m', format: 'table', instant: true });
    expect(screen.getByLabelText('PromQL query')).toHaveTextContent('up{job="node"}');
    expect(screen.getByLabelText('Legend template')).toHaveValue('{{instance}}');
    expect(screen.getByText('Custom')).toBeInTheDocument();
    expect(screen.getByLabelText('Min step')).toHaveValue('1m');
    expect(screen.getByText('Table')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Instant' })).toBeChecked();
  });

  it('does not change or run the query while typing, and does both on blur', async () => {
    const { onChange, onRunQuery, calls, expr, user } = renderEditor({ legendFormat: 'x' });
    await user.type(expr(), 'sum(up');
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.click(screen.getByText('elsewhere'));
    // The editor closed the bracket while typing.
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'sum(up)', legendFormat: 'x' });
    expect(calls).toEqual(['change', 'run']);
  });

  it('does not run again on blur when nothing changed', async () => {
    const { onChange, onRunQuery, expr, user } = renderEditor({ expr: 'up' });
    await user.click(expr());
    await user.click(screen.getByText('elsewhere'));
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('runs on Shift+Enter without inserting a newline', async () => {
    const { onChange, onRunQuery, calls, expr, user } = renderEditor();
    await user.type(expr(), 'vector(1');
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'vector(1)' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['change', 'run']);
    expect(expr()).toHaveTextContent('vector(1)');
  });

  it('completes metric names from the resources for the panel time range, with HELP', async () => {
    const { caller, expr, user } = renderEditor();
    await user.type(expr(), 'fixture_ht');
    // CodeMirror's completion list: one option per match, the metric type as detail and HELP as info.
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['fixture_http_requests_totalcounter']);
    expect(document.querySelector('.cm-completionInfo')).toHaveTextContent('HTTP requests.');
    const names = caller.calls.find((c) => c.path === 'api/v1/label/__name__/values')!;
    expect(names.params.get('start')).toBe('1767225600');
    expect(names.params.get('end')).toBe('1767247200');
    // CodeMirror ignores Enter for the first 75 ms after the list opens, so a fast typist does not pick by accident.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await user.keyboard('{Enter}');
    expect(expr()).toHaveTextContent('fixture_http_requests_total');
  });

  it('does not flag Grafana variables in a migrated query, and flags sum(x) by job', async () => {
    const mark = () => document.querySelector('.cm-lintRange-error');
    const { expr, user } = renderEditor({ expr: 'sum by (status) (rate(x{job="$job"}[$__rate_interval]))' });
    await user.click(expr());
    // An error first, so that its disappearance shows the linter ran on the migrated query itself.
    await user.keyboard('{End} +');
    await waitFor(() => expect(mark()).not.toBeNull(), { timeout: 8000 });
    await user.keyboard('{Backspace}{Backspace}');
    await waitFor(() => expect(mark()).toBeNull(), { timeout: 8000 });
    await user.keyboard('{Control>}a{/Control}{Delete}');
    await user.type(expr(), 'sum(x) by job');
    await waitFor(() => expect(mark()).toHaveTextContent('job'), { timeout: 8000 });
  });

  it('lints invalid PromQL', async () => {
    const { expr, user } = renderEditor();
    await user.type(expr(), 'sum by (');
    await waitFor(() => expect(document.querySelector('.cm-lintRange-error')).not.toBeNull(), { timeout: 3000 });
  });

  it.each<{ mode: string; legendFormat: string }>([
    { mode: 'Auto', legendFormat: '__auto' },
    { mode: 'Verbatim', legendFormat: '' },
  ])('legend mode $mode writes legendFormat "$legendFormat" and runs', async ({ mode, legendFormat }) => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up', legendFormat: '{{job}}' });
    await user.click(screen.getByLabelText('Legend mode'));
    await user.click(await screen.findByText(mode));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up', legendFormat });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText('Legend template')).not.toBeInTheDocument();
  });

  it('legend mode Custom writes the template on blur', async () => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up', legendFormat: '__auto' });
    await user.click(screen.getByLabelText('Legend mode'));
    await user.click(await screen.findByText('Custom'));
    await user.type(screen.getByLabelText('Legend template'), '{{{{job}}');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up', legendFormat: '{{job}}' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('writes the min step on blur and refuses a malformed one', async () => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up' });
    const field = screen.getByLabelText('Min step');
    await user.type(field, 'abc');
    await user.tab();
    expect(screen.getByText('Use a duration such as 30s or 1m, or a variable')).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
    await user.clear(field);
    await user.type(field, '$step');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up', interval: '$step' });
    await user.clear(field);
    await user.type(field, '1m30s');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up', interval: '1m30s' });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it.each<{ label: string; format: string }>([
    { label: 'Table', format: 'table' },
    { label: 'Heatmap', format: 'heatmap' },
  ])('format $label writes format=$format and runs', async ({ label, format }) => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up' });
    await user.click(screen.getByLabelText('Format'));
    await user.click(await screen.findByText(label));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'up', format });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it.each<{ label: string; range: boolean; instant: boolean }>([
    { label: 'Range', range: true, instant: false },
    { label: 'Instant', range: false, instant: true },
    { label: 'Both', range: true, instant: true },
  ])('Type "$label" writes range=$range instant=$instant and runs', async ({ label, range, instant }) => {
    // Start from the opposite of the target so every option is a change.
    const start = label === 'Range' ? { range: false, instant: true } : { range: true, instant: false };
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up', ...start });
    await user.click(screen.getByRole('radio', { name: label }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'up', range, instant });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('warns that AMP has no exemplars and can switch them off', async () => {
    const { onChange, user } = renderEditor({ expr: 'up', exemplar: true });
    expect(screen.getByText('Amazon Managed Service for Prometheus does not support exemplars')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Turn exemplars off' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'up', exemplar: false });
  });

  it('follows a query changed from outside', () => {
    const { rerender, props, expr } = renderEditor({ expr: 'up' });
    rerender(<QueryEditor {...props} query={{ refId: 'A', expr: 'down', legendFormat: 'l', interval: '5m' }} />);
    expect(expr()).toHaveTextContent('down');
    expect(screen.getByLabelText('Legend template')).toHaveValue('l');
    expect(screen.getByLabelText('Min step')).toHaveValue('5m');
  });

  describe('a target saved by the core Prometheus editor', () => {
    it('opens with every field shown as saved', () => {
      renderEditor(PROMETHEUS_PANEL_TARGET);
      // It was saved from Grafana's builder, so it opens in the builder.
      expect(screen.getByLabelText('Builder PromQL')).toHaveTextContent(PROMETHEUS_PANEL_TARGET.expr);
      expect(screen.getByLabelText('Legend template')).toHaveValue('{{status}}');
      expect(screen.getByLabelText('Min step')).toHaveValue('30s');
      expect(screen.getByText('Time series')).toBeInTheDocument();
      expect(screen.getByRole('radio', { name: 'Range' })).toBeChecked();
    });

    it('keeps all its fields, the query builder ones included, when one option changes', async () => {
      const { onChange, user } = renderEditor(PROMETHEUS_PANEL_TARGET);
      await user.click(screen.getByRole('radio', { name: 'Instant' }));
      expect(onChange).toHaveBeenCalledWith({ ...PROMETHEUS_PANEL_TARGET, range: false, instant: true });
    });
  });
});

describe('QueryEditor options row, run button, hints and alerting', () => {
  it('starts collapsed with a one-line summary, as in Grafana', async () => {
    const { user } = renderEditor(
      { expr: 'up', legendFormat: '__auto', interval: '1m', format: 'table', instant: true, range: false },
      { collapsed: true }
    );
    const toggle = screen.getByRole('button', { name: /^Options/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByLabelText('Options summary')).toHaveTextContent(
      'Legend: Auto, Min step: 1m, Format: Table, Type: Instant, Exemplars: false'
    );
    expect(screen.queryByLabelText('Min step')).not.toBeInTheDocument();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByLabelText('Min step')).toHaveValue('1m');
  });

  it('summarises a custom legend and a resolution above 1', () => {
    renderEditor({ expr: 'up', legendFormat: '{{job}}', intervalFactor: 2 }, { collapsed: true });
    expect(screen.getByLabelText('Options summary')).toHaveTextContent(
      'Legend: {{job}}, Format: Time series, Type: Range, Exemplars: false, Resolution: 1/2'
    );
  });

  it('Run queries turns primary while typing and runs the typed text', async () => {
    const { onChange, onRunQuery, expr, user } = renderEditor({ expr: 'up' }, { app: CoreApp.PanelEditor });
    const button = () => screen.getByRole('button', { name: /^Run queries/ });
    expect(button()).toHaveAccessibleName('Run queries');
    await user.click(expr());
    await user.keyboard('{End} + 1');
    expect(button()).toHaveAccessibleName('Run queries (the data shown is stale)');
    await user.click(button());
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up + 1' });
    expect(onRunQuery).toHaveBeenCalled();
    expect(button()).toHaveAccessibleName('Run queries');
  });

  it('Explore has its own run button', () => {
    renderEditor({ expr: 'up' }, { app: CoreApp.Explore });
    expect(screen.queryByRole('button', { name: /^Run queries/ })).not.toBeInTheDocument();
  });

  it('switches exemplars from the options row', async () => {
    const { onChange, user } = renderEditor({ expr: 'up' });
    await user.click(screen.getByLabelText('Exemplars'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up', exemplar: true });
  });

  it('offers a hint with its fix for a counter without rate()', async () => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'fixture_http_requests_total' });
    expect(screen.getByLabelText('Query hints')).toHaveTextContent('Selected metric fixture_http_requests_total looks like a counter.');
    await user.click(screen.getByRole('button', { name: 'Consider calculating rate of counter by adding rate().' }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'rate(fixture_http_requests_total[$__rate_interval])' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('is code only for alert rules: no Both, no format, no exemplars, no run button', async () => {
    const { onChange, user } = renderEditor({ expr: 'up', range: false, instant: true }, { app: CoreApp.UnifiedAlerting });
    expect(screen.getAllByRole('radio').map((r) => r.getAttribute('aria-label') ?? r.parentElement?.textContent?.trim())).toEqual([
      'Range',
      'Instant',
    ]);
    expect(screen.getByRole('radio', { name: 'Instant' })).toBeChecked();
    expect(screen.queryByLabelText('Exemplars')).not.toBeInTheDocument();
    expect(screen.queryByText('Format')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Run queries/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Range' }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', expr: 'up', range: true, instant: false });
  });
});

describe('queryTypeOf', () => {
  it.each<{ flags: Partial<PromQuery>; type: string }>([
    { flags: {}, type: 'range' },
    { flags: { range: true }, type: 'range' },
    { flags: { instant: true }, type: 'instant' },
    { flags: { range: false, instant: true }, type: 'instant' },
    { flags: { range: true, instant: true }, type: 'both' },
  ])('$flags -> $type', ({ flags, type }) => {
    expect(queryTypeOf({ refId: 'A', expr: '', ...flags })).toBe(type);
  });
});

describe('legendModeOf', () => {
  it.each([
    ['__auto', 'auto'],
    ['', 'verbatim'],
    [undefined, 'verbatim'],
    ['{{job}}', 'custom'],
  ])('%s -> %s', (legendFormat, mode) => {
    expect(legendModeOf(legendFormat)).toBe(mode);
  });
});
