import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { dateTime } from '@grafana/data';

import type { DataSource } from '../datasource';
import { PromVariableQuery } from '../types';

import { VariableQueryEditor } from './VariableQueryEditor';

const REF = 'PrometheusVariableQueryEditor-VariableQuery';
const range = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };

/** Renders the editor and lets the pickers' lists load. */
async function renderEditor(query: PromVariableQuery | string) {
  const onChange = jest.fn<void, [PromVariableQuery]>();
  const resources = {
    labelNames: jest.fn(async (_r: unknown, match?: string) =>
      match?.startsWith('fixture_up') ? ['__name__', 'instance', 'job'] : ['__name__', 'instance', 'job', 'method', 'status']
    ),
    labelValues: jest.fn(async (label: string) =>
      label === '__name__' ? ['fixture_http_requests_total', 'fixture_up'] : []
    ),
  };
  render(
    <VariableQueryEditor
      datasource={{ resources } as unknown as DataSource}
      query={query as PromVariableQuery}
      onChange={onChange}
      onRunQuery={jest.fn()}
      range={range}
    />
  );
  await act(async () => {
    await Promise.resolve();
  });
  return { onChange, resources, user: userEvent.setup() };
}

const field = (label: string) => screen.getByLabelText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`));
const last = (onChange: jest.Mock) => onChange.mock.calls[onChange.mock.calls.length - 1][0].query;

/** Picks an option of a Grafana Select found by its label. */
async function choose(user: ReturnType<typeof userEvent.setup>, label: string, option: string) {
  await user.click(field(label));
  await user.click(await screen.findByText(option, { selector: '[role="option"] *, [role="option"]' }));
}

describe('VariableQueryEditor', () => {
  it('opens a saved label_values query in the pickers: label, metric and filters', async () => {
    await renderEditor({ refId: REF, query: 'label_values(fixture_up{job="api"}, instance)' });
    expect(screen.getByText('Label values')).toBeInTheDocument();
    expect(screen.getByText('instance')).toBeInTheDocument();
    expect(screen.getByText('fixture_up')).toBeInTheDocument();
    expect(screen.getByLabelText('Filter 1 value')).toHaveValue('api');
  });

  it('lists the workspace label names, narrowed to the picked metric, and searchable metrics', async () => {
    const { resources, user } = await renderEditor({ refId: REF, query: 'label_values(fixture_up, job)' });
    await waitFor(() => expect(resources.labelNames).toHaveBeenCalledWith(range, 'fixture_up'));
    expect(resources.labelValues).toHaveBeenCalledWith('__name__', range);
    await user.click(field('Label'));
    expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual(['instance', 'job']);
    await user.keyboard('{Escape}');
    await user.click(field('Metric'));
    await user.keyboard('http');
    // The typed text is offered too, so a variable such as $metric can be used.
    expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual([
      'fixture_http_requests_total',
      'httpHit enter to add',
    ]);
  });

  it('builds label_values(metric{filters}, label) from the pickers', async () => {
    const { onChange, user } = await renderEditor({ refId: REF, query: '' });
    await choose(user, 'Query type', 'Label values');
    await choose(user, 'Label', 'job');
    expect(last(onChange)).toBe('label_values(job)');
    await choose(user, 'Metric', 'fixture_up');
    expect(last(onChange)).toBe('label_values(fixture_up, job)');
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    await choose(user, 'Filter 1 label', 'instance');
    await user.type(screen.getByLabelText('Filter 1 value'), 'api-1:8080');
    await user.tab();
    expect(last(onChange)).toBe('label_values(fixture_up{instance="api-1:8080"}, job)');
    await user.click(screen.getByRole('button', { name: 'Remove filter 1' }));
    expect(last(onChange)).toBe('label_values(fixture_up, job)');
  });

  it('opens a query saved as a bare string by older dashboards', async () => {
    await renderEditor('metrics(fixture_.*)');
    expect(field('Metric regex')).toHaveValue('fixture_.*');
  });

  it.each([
    ['label_names()', 'Label names'],
    ['label_values(job)', 'Label values'],
    ['label_values(fixture_up, job)', 'Label values'],
    ['label_values(up{job=~"$job"}, instance)', 'Label values'],
    ['metrics(fixture_.*)', 'Metrics'],
    ['query_result(topk(5, up))', 'Query result'],
    ['up{job="api"}', 'Series query'],
  ])('the classic query accepts %s as Grafana Prometheus does', async (text, kind) => {
    const { onChange, user } = await renderEditor({ refId: REF, query: 'metrics(other_.*)' });
    await choose(user, 'Query type', 'Classic query');
    await user.clear(field('Classic query'));
    await user.click(field('Classic query'));
    await user.paste(text);
    await user.tab();
    expect(last(onChange)).toBe(text);
    expect(screen.getByLabelText('Reads as')).toHaveTextContent(`Reads as: ${kind}`);
  });

  it('keeps a selector the pickers cannot show as a classic query', async () => {
    await renderEditor({ refId: REF, query: 'label_values(up{job="a"} or down, instance)' });
    expect(field('Classic query')).toHaveValue('label_values(up{job="a"} or down, instance)');
  });

  it.each([
    ['Label names', undefined, '', 'label_names()'],
    ['Metrics', 'Metric regex', 'http_.*', 'metrics(http_.*)'],
    ['Query result', 'PromQL query', 'sum(up)', 'query_result(sum(up))'],
    ['Series query', 'Series selector', 'up{job="api"}', 'up{job="api"}'],
  ])('%s writes %s', async (kind, label, typed, text) => {
    const { onChange, user } = await renderEditor({ refId: REF, query: 'label_values(job)' });
    await choose(user, 'Query type', kind);
    if (label) {
      await user.click(field(label));
      await user.paste(typed);
      await user.tab();
    }
    expect(onChange).toHaveBeenLastCalledWith({ refId: REF, query: text });
  });
});
