import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type { DataSource } from '../datasource';
import { PromVariableQuery } from '../types';

import { VariableQueryEditor } from './VariableQueryEditor';

const REF = 'PrometheusVariableQueryEditor-VariableQuery';

function renderEditor(query: PromVariableQuery | string) {
  const onChange = jest.fn<void, [PromVariableQuery]>();
  render(
    <VariableQueryEditor
      datasource={{} as DataSource}
      query={query as PromVariableQuery}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  return { onChange, user: userEvent.setup() };
}

const field = (label: string) => screen.getByLabelText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`));

describe('VariableQueryEditor', () => {
  it('opens a saved label_values query with its parts', () => {
    renderEditor({ refId: REF, query: 'label_values(fixture_up{job="api"}, instance)' });
    expect(screen.getByText('Label values')).toBeInTheDocument();
    expect(field('Label')).toHaveValue('instance');
    expect(field('Series selector')).toHaveValue('fixture_up{job="api"}');
  });

  it('opens a query saved as a bare string by older dashboards', () => {
    renderEditor('metrics(fixture_.*)');
    expect(field('Metric regex')).toHaveValue('fixture_.*');
  });

  it('writes label_values(metric, label) in the query text Grafana Prometheus uses', async () => {
    const { onChange, user } = renderEditor({ refId: REF, query: '' });
    await user.click(field('Query type'));
    await user.click(await screen.findByText('Label values'));
    await user.type(field('Label'), 'job');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: REF, query: 'label_values(job)' });
    await user.type(field('Series selector'), 'fixture_up');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: REF, query: 'label_values(fixture_up, job)' });
  });

  it.each([
    ['Label names', undefined, '', 'label_names()'],
    ['Metrics', 'Metric regex', 'http_.*', 'metrics(http_.*)'],
    ['Query result', 'PromQL query', 'sum(up)', 'query_result(sum(up))'],
    ['Series query', 'Series selector', 'up{job="api"}', 'up{job="api"}'],
  ])('%s writes %s', async (kind, label, typed, text) => {
    const { onChange, user } = renderEditor({ refId: REF, query: 'label_values(job)' });
    await user.click(field('Query type'));
    await user.click(await screen.findByText(kind));
    if (label) {
      await user.click(field(label));
      await user.paste(typed);
      await user.tab();
    }
    expect(onChange).toHaveBeenLastCalledWith({ refId: REF, query: text });
  });
});
