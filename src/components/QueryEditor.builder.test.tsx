import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { CoreApp, dateTime, TimeRange } from '@grafana/data';

import type { DataSource } from '../datasource';
import { ResourceClient } from '../resources/resource_client';
import { PROMETHEUS_PANEL_TARGET } from '../testing/dashboard_fixture';
import { fakeCaller } from '../testing/fake_caller';
import { PromEditorMode, PromQuery } from '../types';

import { QueryEditor } from './QueryEditor';

jest.setTimeout(30_000);

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };

function renderEditor(query: Partial<PromQuery>, defaultEditor?: PromEditorMode, app?: CoreApp) {
  const caller = fakeCaller(() => ({ status: 'success', data: [] }));
  const datasource = { resources: new ResourceClient(caller, 'POST'), defaultEditor } as unknown as DataSource;
  const onChange = jest.fn<void, [PromQuery]>();
  const onRunQuery = jest.fn();
  render(<QueryEditor app={app} datasource={datasource} query={{ refId: 'A', expr: '', ...query }} onChange={onChange} onRunQuery={onRunQuery} range={range} />);
  return { onChange, onRunQuery, user: userEvent.setup() };
}

describe('QueryEditor with the builder', () => {
  it('opens a new query in the builder unless jsonData.defaultEditor is code', () => {
    renderEditor({});
    expect(screen.getByRole('radio', { name: 'Builder' })).toBeChecked();
    expect(screen.queryByLabelText('PromQL query')).toBeNull();
  });

  it('opens a new query in code when jsonData.defaultEditor is code', () => {
    renderEditor({}, 'code');
    expect(screen.getByLabelText('PromQL query')).toBeInTheDocument();
  });

  it('opens a query saved with editorMode "builder" in the builder, whatever defaultEditor says', () => {
    renderEditor({ expr: 'rate(fixture_up[5m])', editorMode: 'builder' }, 'code');
    expect(screen.getByLabelText('Operation 1: Rate')).toBeInTheDocument();
  });

  it('keeps every field of a saved query when the mode changes, and saves editorMode as Grafana does', async () => {
    const saved = { ...PROMETHEUS_PANEL_TARGET, editorMode: 'builder' as const };
    const { onChange, onRunQuery, user } = renderEditor(saved);
    await user.click(screen.getByRole('radio', { name: 'Code' }));
    expect(onChange).toHaveBeenCalledWith({ ...saved, editorMode: 'code' });
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('writes builder edits into expr and runs the query', async () => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'fixture_up', editorMode: 'builder', legendFormat: '__auto' });
    await user.click(screen.getByLabelText('Add operation'));
    await user.click(await screen.findByText('Max over time'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      expr: 'max_over_time(fixture_up[$__rate_interval])',
      editorMode: 'builder',
      legendFormat: '__auto',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('shows a query the builder cannot represent as code with the reason', () => {
    renderEditor({ expr: 'fixture_up offset 1h', editorMode: 'builder' });
    expect(screen.getByLabelText('PromQL query')).toBeInTheDocument();
    expect(screen.getByText('The builder cannot show this query: offset modifiers are only available in Code mode')).toBeInTheDocument();
  });

  it('gives alert rules the code editor only, as Grafana does', () => {
    renderEditor({ expr: 'rate(fixture_up[5m])', editorMode: 'builder' }, undefined, CoreApp.UnifiedAlerting);
    expect(screen.getByLabelText('PromQL query')).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: 'Builder' })).toBeNull();
  });
});
