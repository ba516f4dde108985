import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type { DataSource } from '../datasource';
import { PromQuery } from '../types';

import { QueryEditor, queryTypeOf } from './QueryEditor';

// The editor never calls the data source; a typed placeholder is enough.
const datasource = {} as DataSource;

function renderEditor(query: Partial<PromQuery> = {}) {
  const onChange = jest.fn<void, [PromQuery]>();
  const onRunQuery = jest.fn();
  // Records the order of calls across both mocks: the query must be changed before it is run.
  const calls: string[] = [];
  onChange.mockImplementation(() => calls.push('change'));
  onRunQuery.mockImplementation(() => calls.push('run'));
  const utils = render(
    <QueryEditor
      datasource={datasource}
      query={{ refId: 'A', expr: '', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { ...utils, onChange, onRunQuery, calls, user: userEvent.setup() };
}

describe('QueryEditor', () => {
  it('shows the saved expression and legend', () => {
    renderEditor({ expr: 'up{job="node"}', legendFormat: '{{instance}}' });
    expect(screen.getByLabelText('PromQL query')).toHaveValue('up{job="node"}');
    expect(screen.getByLabelText('Legend')).toHaveValue('{{instance}}');
  });

  it('does not change or run the query while typing', async () => {
    const { onChange, onRunQuery, user } = renderEditor();
    await user.type(screen.getByLabelText('PromQL query'), 'sum(up)');
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('writes expr and runs the query on blur', async () => {
    const { onChange, onRunQuery, calls, user } = renderEditor({ legendFormat: 'x' });
    await user.type(screen.getByLabelText('PromQL query'), 'sum(up)');
    await user.tab();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'sum(up)', legendFormat: 'x' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['change', 'run']);
  });

  it('does not run again on blur when nothing changed', async () => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up' });
    await user.click(screen.getByLabelText('PromQL query'));
    await user.tab();
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('runs on Shift+Enter without inserting a newline', async () => {
    const { onChange, onRunQuery, calls, user } = renderEditor();
    const field = screen.getByLabelText('PromQL query');
    await user.type(field, 'rate(x[[5m])'); // '[[' types a literal '['
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'rate(x[5m])' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['change', 'run']);
    expect(field).toHaveValue('rate(x[5m])');
  });

  it('inserts a newline on plain Enter and does not run', async () => {
    const { onChange, onRunQuery, user } = renderEditor();
    const field = screen.getByLabelText('PromQL query');
    await user.type(field, 'sum(up){Enter}by (job)');
    expect(field).toHaveValue('sum(up)\nby (job)');
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('writes legendFormat and runs on blur', async () => {
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up' });
    await user.type(screen.getByLabelText('Legend'), '{{{{job}}');
    await user.tab();
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'up', legendFormat: '{{job}}' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('follows a query changed from outside', () => {
    const { rerender, onChange, onRunQuery } = renderEditor({ expr: 'up' });
    rerender(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', expr: 'down', legendFormat: 'l' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    expect(screen.getByLabelText('PromQL query')).toHaveValue('down');
    expect(screen.getByLabelText('Legend')).toHaveValue('l');
  });

  it.each<{ label: string; range: boolean; instant: boolean }>([
    { label: 'Range', range: true, instant: false },
    { label: 'Instant', range: false, instant: true },
    { label: 'Both', range: true, instant: true },
  ])('Type "$label" writes range=$range instant=$instant and runs', async ({ label, range, instant }) => {
    // Start from the opposite of the target so every option is a change.
    const start = label === 'Range' ? { range: false, instant: true } : { range: true, instant: false };
    const { onChange, onRunQuery, user } = renderEditor({ expr: 'up', ...start });
    expect(screen.getByLabelText('Type')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: label }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', expr: 'up', range, instant });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('marks the saved type as selected', () => {
    renderEditor({ expr: 'up', range: false, instant: true });
    expect(screen.getByRole('radio', { name: 'Instant' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Range' })).not.toBeChecked();
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
