import { screen, within } from '@testing-library/react';

import { byLabel, choose, MOUNTED_JSON, renderEditor, settings } from '../../testing/config_editor';
import { resetRuntimeMock } from '../../testing/runtime_mock';
import { AmpOptions } from '../../types';

import { NO_EXEMPLARS } from './OtherSection';

jest.mock('@grafana/runtime', () =>
  jest.requireActual<typeof import('../../testing/runtime_mock')>('../../testing/runtime_mock').runtimeModule()
);

beforeEach(resetRuntimeMock);

// Every test starts from a mounted data source: SigV4 on, default provider.
const mounted = (jsonData: AmpOptions = {}) => settings({ jsonData: { ...MOUNTED_JSON, ...jsonData } });

async function open(user: ReturnType<typeof renderEditor>['user'], section: string) {
  await user.click(screen.getByText(section));
}

describe('config page layout', () => {
  it('has a header with the documentation link and the sections in order', () => {
    renderEditor(mounted());
    expect(screen.getByRole('link', { name: /plugin documentation/ })).toHaveAttribute(
      'href',
      '/plugins/grafana-amazonprometheus-datasource'
    );
    const titles = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(titles).toEqual(['Connection', 'Authentication', 'Workspace', 'Query', 'Alerting', 'Advanced HTTP settings', 'Other']);
  });

  it('keeps the advanced sections closed until one of their settings is in use', async () => {
    const { user, unmount } = renderEditor(mounted());
    expect(screen.queryByLabelText(/^HTTP timeout/)).not.toBeInTheDocument();
    await open(user, 'Advanced HTTP settings');
    expect(byLabel('HTTP timeout (seconds)')).toBeInTheDocument();
    unmount();
    renderEditor(mounted({ keepCookies: ['team'] }));
    expect(byLabel('HTTP timeout (seconds)')).toBeInTheDocument();
  });
});

describe('Query section', () => {
  it('defaults the HTTP method to POST and writes GET', async () => {
    const { last, user } = renderEditor(mounted());
    expect(screen.getByRole('radio', { name: 'POST' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'GET' }));
    expect(last().jsonData.httpMethod).toBe('GET');
  });

  it.each([
    ['Scrape interval', 'timeInterval', '30s'],
    ['Query timeout', 'queryTimeout', '2m'],
    ['Custom query parameters', 'customQueryParameters', 'dedup=false'],
  ])('"%s" writes jsonData.%s and clearing removes it', async (label, key, value) => {
    const { last, user } = renderEditor(mounted());
    await user.type(byLabel(label), value);
    expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: value });
    await user.clear(byLabel(label));
    expect(last().jsonData).toEqual(MOUNTED_JSON);
  });

  it('flags a scrape interval that is not a duration', async () => {
    const { user } = renderEditor(mounted());
    await user.type(byLabel('Scrape interval'), '15');
    expect(screen.getByText('Use a duration such as 30s or 1m')).toBeInTheDocument();
  });

  it.each([
    ['Series limit', 'seriesLimit', '5000', 5000],
    ['Samples warning threshold', 'maxSamplesProcessedWarningThreshold', '1000000', 1000000],
    ['Samples error threshold', 'maxSamplesProcessedErrorThreshold', '5000000', 5000000],
  ])('"%s" writes jsonData.%s as a number', async (label, key, typed, value) => {
    const { last, user } = renderEditor(mounted());
    await user.type(byLabel(label), typed);
    expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: value });
  });

  it('refuses numbers the editors and the backend would reject', async () => {
    const { last, user } = renderEditor(mounted());
    await user.type(byLabel('Series limit'), '1.5');
    expect(screen.getByText('Enter a whole number, 0 removes the limit')).toBeInTheDocument();
    expect(last().jsonData.seriesLimit).toBe(1);
    await user.type(byLabel('Samples error threshold'), '1.5');
    expect(screen.getByText('Enter a whole number of samples, 0 turns it off')).toBeInTheDocument();
    expect(last().jsonData.maxSamplesProcessedErrorThreshold).toBe(1);
  });

  it.each([
    ['Disable metrics lookup', 'disableMetricsLookup'],
    ['Use series endpoint', 'seriesEndpoint'],
    ['Query statistics', 'queryStatsEnabled'],
    ['Incremental querying', 'incrementalQuerying'],
  ])('"%s" toggles jsonData.%s', async (label, key) => {
    const { last, user } = renderEditor(mounted());
    await user.click(byLabel(label));
    expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: true });
    await user.click(byLabel(label));
    expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: false });
  });

  it('writes the default editor and the cache level', async () => {
    const { last, user } = renderEditor(mounted());
    expect(screen.getByRole('radio', { name: 'Builder' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Code' }));
    expect(last().jsonData.defaultEditor).toBe('code');
    await choose(user, 'Cache level', 'High');
    expect(last().jsonData.cacheLevel).toBe('High');
  });

  it('writes the overlap window only once incremental querying is on', async () => {
    const { last, user } = renderEditor(mounted());
    expect(byLabel('Query overlap window')).toBeDisabled();
    await user.click(byLabel('Incremental querying'));
    await user.type(byLabel('Query overlap window'), '5m');
    expect(last().jsonData).toEqual({ ...MOUNTED_JSON, incrementalQuerying: true, incrementalQueryOverlapWindow: '5m' });
  });
});

describe('Alerting section', () => {
  it.each([
    ['Manage alerts via Alerting UI', 'manageAlerts'],
    ['Recording rules target', 'allowAsRecordingRulesTarget'],
  ])('"%s" is on when unset, as Grafana reads it, and writes jsonData.%s', async (label, key) => {
    const { last, user } = renderEditor(mounted());
    expect(byLabel(label)).toBeChecked();
    await user.click(byLabel(label));
    expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: false });
  });
});

describe('Advanced HTTP settings', () => {
  it('writes the timeout, allowed cookies and the user header switch', async () => {
    const { last, user } = renderEditor(mounted());
    await open(user, 'Advanced HTTP settings');
    await user.type(byLabel('HTTP timeout (seconds)'), '900');
    expect(screen.getByText('Use a value between 1 and 600 seconds')).toBeInTheDocument();
    expect(last().jsonData.timeout).toBe(90);
    await user.type(byLabel('Allowed cookies'), 'team{enter}session_id{enter}');
    expect(last().jsonData.keepCookies).toEqual(['team', 'session_id']);
    await user.click(byLabel('Forward Grafana user header'));
    expect(last().jsonData.forwardGrafanaUserHeader).toBe(true);
  });

  it('adds custom headers with secret values, refuses signed ones and removes them', async () => {
    const { last, user } = renderEditor(mounted());
    await open(user, 'Advanced HTTP settings');
    await user.click(screen.getByRole('button', { name: /Add header/ }));
    await user.type(screen.getByLabelText('Header 1 name'), 'X-Team');
    await user.type(screen.getByLabelText('Header 1 value'), 'blue');
    expect(last().jsonData.httpHeaderName1).toBe('X-Team');
    expect(last().secureJsonData?.httpHeaderValue1).toBe('blue');
    expect(JSON.stringify(last().jsonData)).not.toContain('blue');

    await user.click(screen.getByRole('button', { name: /Add header/ }));
    await user.type(screen.getByLabelText('Header 2 name'), 'X-Amz-Date');
    expect(screen.getByText(/The SigV4 signer sets this header/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove header 1' }));
    expect(last().jsonData.httpHeaderName1).toBe('');
    expect(last().jsonData.httpHeaderName2).toBe('X-Amz-Date');
    await user.click(screen.getByRole('button', { name: 'Remove header 2' }));
    expect(last().jsonData.httpHeaderName2).toBeUndefined();
  });

  it('leaves the Authorization header to the authentication section', () => {
    renderEditor(
      settings({
        jsonData: { sigV4Auth: false, httpHeaderName1: 'Authorization', httpHeaderName2: 'X-Team' },
        secureJsonFields: { httpHeaderValue1: true, httpHeaderValue2: true },
      })
    );
    expect(screen.queryByLabelText('Header 1 name')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Header 2 name')).toHaveValue('X-Team');
  });

  it('writes the TLS switches, server name and PEM blocks as secrets', async () => {
    const { last, user } = renderEditor(mounted());
    await open(user, 'Advanced HTTP settings');
    await user.click(byLabel('Skip TLS certificate validation'));
    expect(last().jsonData.tlsSkipVerify).toBe(true);
    await user.click(byLabel('With CA cert'));
    await user.click(byLabel('TLS client authentication'));
    await user.type(byLabel('Server name'), 'amp.internal');
    await user.type(byLabel('CA certificate'), 'CA-PEM');
    await user.type(byLabel('Client certificate'), 'CERT-PEM');
    await user.type(byLabel('Client key'), 'KEY-PEM');
    const saved = last();
    expect(saved.jsonData).toMatchObject({ tlsAuthWithCACert: true, tlsAuth: true, serverName: 'amp.internal' });
    expect(saved.secureJsonData).toMatchObject({ tlsCACert: 'CA-PEM', tlsClientCert: 'CERT-PEM', tlsClientKey: 'KEY-PEM' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('PEM');
  });
});

describe('Other section', () => {
  it('shows trace links with the reason they do nothing on AMP, and edits them', async () => {
    const { last, user } = renderEditor(
      mounted({ exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: 'tempo' }] })
    );
    expect(screen.getByText(NO_EXEMPLARS)).toBeInTheDocument();
    expect(screen.getByLabelText('Trace link 1 data source UID')).toHaveValue('tempo');
    await user.click(screen.getByRole('button', { name: /Add trace link/ }));
    await user.clear(screen.getByLabelText('Trace link 2 URL'));
    await user.type(screen.getByLabelText('Trace link 2 URL'), 'https://t.example/x');
    expect(last().jsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'tempo' },
      { name: 'traceID', url: 'https://t.example/x' },
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove trace link 1' }));
    await user.click(screen.getByRole('button', { name: 'Remove trace link 1' }));
    expect(last().jsonData.exemplarTraceIdDestinations).toBeUndefined();
  });
});

describe('migration notice', () => {
  it('lists what came from the Prometheus data source, what it does now, and links the rollback steps', () => {
    renderEditor(
      mounted({ 'prometheus-type-migration': true, httpMethod: 'POST', manageAlerts: false, seriesLimit: 1000, keepCookies: ['team'] })
    );
    const notice = screen.getByText('Migrated from the Prometheus data source').closest('[role="status"], [role="alert"], div')!.parentElement!;
    const list = within(notice).getByRole('list', { name: 'Settings carried over' });
    const items = within(list).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'SigV4 authentication (sigV4*): signs every request, as before',
      'HTTP method (httpMethod): used for queries and editor lookups',
      'Manage alerts via Alerting UI (manageAlerts): read by Grafana Alerting, as before',
      "Series limit (seriesLimit): caps the query editor's metric and label lookups",
      'Allowed cookies (keepCookies): forwarded to the workspace, unsigned',
    ]);
    expect(screen.getByRole('link', { name: /rollback instructions/ })).toHaveAttribute(
      'href',
      '/plugins/grafana-amazonprometheus-datasource#rolling-back-to-the-prometheus-data-source'
    );
  });

  it('is not shown for data sources created here', () => {
    renderEditor(mounted());
    expect(screen.queryByText('Migrated from the Prometheus data source')).not.toBeInTheDocument();
  });
});
