import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { dateTime, TimeRange } from '@grafana/data';

import { ResourceClient } from '../../resources/resource_client';
import { fakeCaller } from '../../testing/fake_caller';
import { METRIC_PAGE, MetricsCatalog } from '../metrics_catalog';

import { browserSelector, MetricsBrowser, ROWS_PER_PAGE } from './MetricsBrowser';

jest.setTimeout(30_000);

const range: TimeRange = { from: dateTime(1767225600000), to: dateTime(1767247200000), raw: { from: 'a', to: 'b' } };

describe('MetricsBrowser', () => {
  it('stays small with 100k metric names, even when the server ignores limit', async () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `metric_${String(i).padStart(6, '0')}`);
    // Prometheus before 2.51 ignores limit and answers every name.
    const caller = fakeCaller((call) => ({ status: 'success', data: call.path === 'api/v1/metadata' ? {} : names }));
    const catalog = new MetricsCatalog(new ResourceClient(caller, 'POST'), () => range);
    const user = userEvent.setup();
    render(<MetricsBrowser catalog={catalog} onUse={jest.fn()} onDismiss={jest.fn()} />);

    const list = await screen.findByRole('list', { name: 'Metrics' });
    await within(list).findByText('metric_000000');
    expect(within(list).getAllByRole('listitem')).toHaveLength(ROWS_PER_PAGE);
    expect(screen.getByText(`Showing the first ${METRIC_PAGE} matches: type more to narrow the list.`)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: `Show more (${METRIC_PAGE - ROWS_PER_PAGE} left)` }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(2 * ROWS_PER_PAGE);
  });

  it('reports a failed listing', async () => {
    const caller = fakeCaller(() => ({ status: 'error', error: 'throttled' }));
    const catalog = new MetricsCatalog(new ResourceClient(caller, 'POST'), () => range);
    render(<MetricsBrowser catalog={catalog} onUse={jest.fn()} onDismiss={jest.fn()} />);
    expect(await screen.findByText('Metrics could not be listed: throttled')).toBeInTheDocument();
  });
});

describe('browserSelector', () => {
  it('uses = for one value and an escaped alternation for several', () => {
    expect(browserSelector('up', { job: ['api'], path: ['/a.b', '/c+d'], empty: [] })).toEqual({
      metric: 'up',
      labels: [
        { label: 'job', op: '=', value: 'api' },
        { label: 'path', op: '=~', value: '/a\\.b|/c\\+d' },
      ],
    });
  });
});
