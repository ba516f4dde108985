import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { NEVER, of, throwError } from 'rxjs';

import { DataSourceSettings } from '@grafana/data';
import { BackendSrvRequest } from '@grafana/runtime';

import { AmpOptions, AmpSecureOptions } from '../types';

import { ConfigEditor, SAVE_FIRST } from './ConfigEditor';

type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

// Grafana's boot config as the editor reads it; tests change it before rendering.
const mockConfig: { awsAllowedAuthProviders: string[]; bootData: { settings: Record<string, unknown> } } = {
  awsAllowedAuthProviders: [],
  bootData: { settings: {} },
};
const mockFetch = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  get config() {
    return mockConfig;
  },
  getBackendSrv: () => ({ fetch: (request: BackendSrvRequest) => mockFetch(request) }),
}));

const AMP_URL = 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1234/';

function settings(over: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'amp',
    orgId: 1,
    name: 'AMP',
    type: 'grafana-amazonprometheus-datasource',
    typeName: 'Amazon Managed Service for Prometheus',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    version: 1,
    ...over,
  };
}

/** Holds the settings in state like Grafana's settings page does, and records every change. */
function renderEditor(initial: Settings) {
  const onOptionsChange = jest.fn<void, [Settings]>();
  let setFromTest: (s: Settings) => void = () => {};
  function Harness() {
    const [options, setOptions] = useState(initial);
    setFromTest = setOptions;
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          onOptionsChange(next);
          setOptions(next);
        }}
      />
    );
  }
  const utils = render(<Harness />);
  const last = () => onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0];
  // What Grafana does after Save: the stored settings come back with a new version and secrets only as flags.
  const save = () => {
    const current = last();
    const secureJsonFields = { ...current.secureJsonFields };
    for (const [k, v] of Object.entries(current.secureJsonData ?? {})) {
      secureJsonFields[k] = Boolean(v);
    }
    act(() => setFromTest({ ...current, version: (current.version ?? 0) + 1, secureJsonData: {}, secureJsonFields }));
  };
  return { ...utils, onOptionsChange, last, save, user: userEvent.setup() };
}

type User = ReturnType<typeof userEvent.setup>;

/**
 * The control labelled `text`. Grafana's Field puts the description inside the label, right after the text, and
 * descriptions start with a capital letter.
 */
function byLabel(text: string): HTMLElement {
  return screen.getByLabelText(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[A-Z])`));
}

async function choose(user: User, label: string, option: string) {
  await user.click(byLabel(label));
  await user.click(await screen.findByText(option));
}

// What the mount effect turns empty jsonData into.
const MOUNTED_JSON: AmpOptions = { sigV4Auth: true, sigV4AuthType: 'default' };

beforeEach(() => {
  mockConfig.awsAllowedAuthProviders = ['default', 'keys', 'credentials', 'ec2_iam_role', 'grafana_assume_role'];
  mockConfig.bootData = { settings: { awsAssumeRoleEnabled: true } };
  mockFetch.mockReset();
  // The picker asks for regions on mount; unless a test answers, the request stays pending.
  mockFetch.mockReturnValue(NEVER);
});

describe('ConfigEditor', () => {
  describe('on mount', () => {
    it('enables SigV4 with the default provider, exactly once', () => {
      const onOptionsChange = jest.fn();
      const initial = settings({ jsonData: { httpMethod: 'POST' } });
      // StrictMode runs mount effects twice in development; the change must still be reported once.
      const { rerender } = render(
        <React.StrictMode>
          <ConfigEditor options={initial} onOptionsChange={onOptionsChange} />
        </React.StrictMode>
      );
      expect(onOptionsChange).toHaveBeenCalledTimes(1);
      expect(onOptionsChange.mock.calls[0][0].jsonData).toEqual({ ...MOUNTED_JSON, httpMethod: 'POST' });
      rerender(
        <React.StrictMode>
          <ConfigEditor options={initial} onOptionsChange={onOptionsChange} />
        </React.StrictMode>
      );
      expect(onOptionsChange).toHaveBeenCalledTimes(1);
    });

    it('picks the first allowed provider when the default chain is not allowed', () => {
      mockConfig.awsAllowedAuthProviders = ['keys'];
      const { last } = renderEditor(settings());
      expect(last().jsonData).toEqual({ sigV4Auth: true, sigV4AuthType: 'keys' });
    });

    it('changes nothing for a data source with SigV4 switched off', () => {
      const { onOptionsChange } = renderEditor(settings({ jsonData: { sigV4Auth: false } }));
      expect(onOptionsChange).not.toHaveBeenCalled();
    });
  });

  describe('workspace URL', () => {
    it('writes every keystroke and strips a pasted /api/v1/query on blur', async () => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      const field = byLabel('Workspace URL');
      await user.click(field);
      await user.paste(`  ${AMP_URL}api/v1/query_range `);
      expect(last().url).toBe(`  ${AMP_URL}api/v1/query_range `);
      await user.tab();
      expect(last().url).toBe(AMP_URL);
      expect(field).toHaveValue(AMP_URL);
      expect(screen.getByText('Removed /api/v1/query_range from the URL')).toBeInTheDocument();
    });

    it('takes the signing region from the URL when none is set', async () => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(byLabel('Workspace URL'));
      await user.paste(AMP_URL);
      await user.tab();
      expect(last().jsonData.sigV4Region).toBe('us-west-2');
      expect(byLabel('Region')).toHaveValue('us-west-2');
    });

    it('keeps a region set by hand and warns that the URL region is used for signing', async () => {
      const { last, user } = renderEditor(settings({ url: AMP_URL, jsonData: { ...MOUNTED_JSON, sigV4Region: 'eu-west-1' } }));
      expect(screen.getByText('Region does not match the workspace URL')).toBeInTheDocument();
      expect(screen.getByText(/Requests are signed for us-west-2/)).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Use us-west-2' }));
      expect(last().jsonData.sigV4Region).toBe('us-west-2');
      expect(screen.queryByText('Region does not match the workspace URL')).not.toBeInTheDocument();
    });

    it('flags a URL that is not absolute http(s)', async () => {
      const { user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(byLabel('Workspace URL'));
      await user.paste('aps-workspaces.us-west-2.amazonaws.com');
      expect(screen.getByText(/Enter an absolute http\(s\) URL/)).toBeInTheDocument();
    });

    it('warns about a host that is not an AMP workspace endpoint', () => {
      const { unmount } = renderEditor(settings({ url: 'https://prometheus.example.com/', jsonData: MOUNTED_JSON }));
      expect(screen.getByText('Not an Amazon Managed Service for Prometheus URL')).toBeInTheDocument();
      unmount();
      renderEditor(settings({ url: AMP_URL, jsonData: MOUNTED_JSON }));
      expect(screen.queryByText('Not an Amazon Managed Service for Prometheus URL')).not.toBeInTheDocument();
    });
  });

  describe('SigV4 settings', () => {
    it('offers only the providers this Grafana allows', async () => {
      mockConfig.awsAllowedAuthProviders = ['default', 'keys'];
      const { user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(byLabel('Authentication provider'));
      const options = await screen.findAllByRole('option');
      expect(options.map((o) => o.textContent)).toEqual([expect.stringContaining('Default'), 'Access & secret key']);
    });

    it("uses Grafana's default providers when the server sends no list", async () => {
      mockConfig.awsAllowedAuthProviders = [];
      const { user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(byLabel('Authentication provider'));
      const options = await screen.findAllByRole('option');
      expect(options.map((o) => o.textContent)).toEqual([
        expect.stringContaining('Default'),
        'Access & secret key',
        'Credentials file',
      ]);
    });

    it('reports a saved provider the server does not allow', () => {
      mockConfig.awsAllowedAuthProviders = ['default'];
      renderEditor(settings({ jsonData: { sigV4Auth: true, sigV4AuthType: 'keys' } }));
      expect(screen.getByText('Provider not allowed')).toBeInTheDocument();
    });

    it.each([
      ['Access & secret key', 'keys'],
      ['Credentials file', 'credentials'],
      ['Workspace IAM role', 'ec2_iam_role'],
      ['Grafana Assume Role', 'grafana_assume_role'],
    ])('choosing "%s" writes sigV4AuthType %s', async (label, value) => {
      const { last, user } = renderEditor(settings());
      await choose(user, 'Authentication provider', label);
      expect(last().jsonData).toEqual({ sigV4Auth: true, sigV4AuthType: value });
    });

    it('shows the profile only for the credentials file and the keys only for keys', async () => {
      const { user } = renderEditor(settings());
      expect(screen.queryByLabelText('Credentials profile name')).not.toBeInTheDocument();
      expect(screen.queryByLabelText('Access key ID')).not.toBeInTheDocument();
      await choose(user, 'Authentication provider', 'Credentials file');
      expect(byLabel('Credentials profile name')).toBeInTheDocument();
      await choose(user, 'Authentication provider', 'Access & secret key');
      expect(screen.queryByLabelText('Credentials profile name')).not.toBeInTheDocument();
      expect(byLabel('Session token')).toBeInTheDocument();
    });

    it.each([
      ['Access key ID', 'sigV4AccessKey'],
      ['Secret access key', 'sigV4SecretKey'],
      ['Session token', 'sigV4SessionToken'],
    ])('"%s" writes secureJsonData.%s only', async (label, key) => {
      const jsonData: AmpOptions = { sigV4Auth: true, sigV4AuthType: 'keys' };
      const { last, user } = renderEditor(settings({ jsonData }));
      await user.type(byLabel(label), 'AKIA1');
      expect(last().secureJsonData).toEqual({ [key]: 'AKIA1' });
      expect(last().jsonData).toEqual(jsonData);
    });

    it('never shows a saved secret and clears it on Reset', async () => {
      const { last, user } = renderEditor(
        settings({
          jsonData: { sigV4Auth: true, sigV4AuthType: 'keys' },
          secureJsonFields: { sigV4AccessKey: true, sigV4SecretKey: true },
        })
      );
      const secret = byLabel('Secret access key');
      expect(secret).toHaveValue('configured');
      expect(secret).toBeDisabled();
      const resets = screen.getAllByRole('button', { name: 'Reset' });
      expect(resets).toHaveLength(2);
      await user.click(resets[1]);
      expect(last().secureJsonFields).toEqual({ sigV4AccessKey: true, sigV4SecretKey: false });
      expect(last().secureJsonData).toEqual({ sigV4SecretKey: '' });
      expect(byLabel('Secret access key')).toBeEnabled();
      expect(byLabel('Access key ID')).toHaveValue('configured');
    });

    it('writes the assume role ARN, external ID and service', async () => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(byLabel('Assume role ARN'));
      await user.paste('arn:aws:iam::123456789012:role/g');
      await user.type(byLabel('External ID'), 'ext');
      await user.type(byLabel('SigV4 service'), 'aps');
      expect(last().jsonData).toEqual({
        ...MOUNTED_JSON,
        sigV4AssumeRoleArn: 'arn:aws:iam::123456789012:role/g',
        sigV4ExternalId: 'ext',
        sigv4Service: 'aps',
      });
    });

    it('hides assume role when Grafana has it switched off', () => {
      mockConfig.bootData = { settings: { awsAssumeRoleEnabled: false } };
      renderEditor(settings({ jsonData: MOUNTED_JSON }));
      expect(screen.queryByLabelText('Assume role ARN')).not.toBeInTheDocument();
      expect(screen.queryByLabelText('External ID')).not.toBeInTheDocument();
    });

    it('offers assume role when the server does not say (Grafana defaults it on)', () => {
      mockConfig.bootData = { settings: {} };
      renderEditor(settings({ jsonData: MOUNTED_JSON }));
      expect(byLabel('Assume role ARN')).toBeInTheDocument();
    });

    it('has no external ID for Grafana Assume Role, which uses the stack-wide one', () => {
      renderEditor(settings({ jsonData: { sigV4Auth: true, sigV4AuthType: 'grafana_assume_role' } }));
      expect(byLabel('Assume role ARN')).toBeInTheDocument();
      expect(screen.queryByLabelText('External ID')).not.toBeInTheDocument();
    });

    it('warns when the service does not match the host', () => {
      renderEditor(settings({ url: AMP_URL, jsonData: { ...MOUNTED_JSON, sigv4Service: 'monitoring' } }));
      expect(screen.getByText('Service does not match the URL')).toBeInTheDocument();
    });
  });

  describe('authentication method', () => {
    it('switches to basic auth with user and password, and nothing else active', async () => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(screen.getByRole('radio', { name: 'Basic authentication' }));
      expect(last()).toMatchObject({ basicAuth: true, jsonData: { sigV4Auth: false } });
      expect(screen.queryByLabelText('Authentication provider')).not.toBeInTheDocument();
      await user.type(byLabel('User'), 'admin');
      await user.type(byLabel('Password'), 'pw');
      expect(last()).toMatchObject({ basicAuthUser: 'admin', secureJsonData: { basicAuthPassword: 'pw' } });
    });

    it('uses a custom Authorization header for a token, and removes it again', async () => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON, basicAuth: true }));
      await user.click(screen.getByRole('radio', { name: 'Authorization header' }));
      expect(last()).toMatchObject({ basicAuth: false, jsonData: { sigV4Auth: false, httpHeaderName1: 'Authorization' } });
      await user.type(byLabel('Authorization header value'), 'Bearer t');
      expect(last().secureJsonData).toEqual({ httpHeaderValue1: 'Bearer t' });

      await user.click(screen.getByRole('radio', { name: 'No authentication' }));
      expect(last().jsonData.httpHeaderName1).toBeUndefined();
      expect(last().secureJsonData).toEqual({ httpHeaderValue1: '' });
      expect(last().basicAuth).toBe(false);
    });

    it('puts the Authorization header after existing custom headers and blanks it when it is not last', async () => {
      const jsonData: AmpOptions = { sigV4Auth: false, httpHeaderName1: 'X-Org', httpHeaderName2: 'Authorization', httpHeaderName3: 'X-Other' };
      const { last, user } = renderEditor(settings({ jsonData }));
      expect(screen.getByRole('radio', { name: 'Authorization header' })).toBeChecked();
      await user.click(screen.getByRole('radio', { name: 'SigV4' }));
      expect(last().jsonData).toEqual({ ...jsonData, sigV4Auth: true, sigV4AuthType: 'default', httpHeaderName2: '' });

      const { last: last2, user: user2 } = renderEditor(settings({ jsonData: { sigV4Auth: false, httpHeaderName1: 'X-Org' } }));
      await user2.click(screen.getAllByRole('radio', { name: 'Authorization header' })[1]);
      expect(last2().jsonData).toMatchObject({ httpHeaderName1: 'X-Org', httpHeaderName2: 'Authorization' });
    });

    it('warns that AMP needs SigV4 when another method is chosen for an AMP URL', () => {
      renderEditor(settings({ url: AMP_URL, jsonData: { sigV4Auth: false } }));
      expect(screen.getByText('This workspace only accepts SigV4')).toBeInTheDocument();
      expect(screen.getByRole('radio', { name: 'No authentication' })).toBeChecked();
    });
  });

  describe('workspace picker', () => {
    function backend(workspacesAnswer?: () => unknown) {
      mockFetch.mockImplementation((request: BackendSrvRequest) => {
        const url = new URL(request.url, 'http://grafana');
        const path = url.pathname.replace('/api/datasources/uid/amp/resources/', '');
        switch (path) {
          case 'regions':
            return of({ data: ['us-east-1', 'us-west-2'] });
          case 'workspaces':
            if (workspacesAnswer) {
              return workspacesAnswer();
            }
            return of({
              data: [
                { id: 'ws-aaa', alias: 'prod', status: 'ACTIVE', selectable: true },
                { id: 'ws-bbb', alias: 'new', status: 'CREATING', selectable: false },
              ],
            });
          case 'workspace':
            return of({
              data: {
                id: url.searchParams.get('id'),
                status: 'ACTIVE',
                prometheusEndpoint: `https://aps-workspaces.${url.searchParams.get('region')}.amazonaws.com/workspaces/${url.searchParams.get('id')}`,
              },
            });
        }
        return throwError(() => ({ status: 404, data: { message: 'unknown' } }));
      });
    }

    it('lists workspaces of a region and fills the URL and region from the chosen one', async () => {
      backend();
      const { last, user } = renderEditor(settings({ jsonData: { ...MOUNTED_JSON, sigV4Region: 'us-east-1' } }));
      await choose(user, 'Workspace region', 'us-west-2');
      await user.click(byLabel('Workspace'));
      expect(await screen.findByText('prod (ws-aaa)')).toBeInTheDocument();
      expect(screen.getByText('CREATING: not ready for queries')).toBeInTheDocument();
      await user.click(screen.getByText('prod (ws-aaa)'));
      await waitFor(() => expect(last().url).toBe('https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-aaa/'));
      expect(last().jsonData.sigV4Region).toBe('us-west-2');
      const urls = mockFetch.mock.calls.map(([r]) => r.url);
      expect(urls).toContain('/api/datasources/uid/amp/resources/workspaces?region=us-west-2');
      expect(urls).toContain('/api/datasources/uid/amp/resources/workspace?region=us-west-2&id=ws-aaa');
    });

    it('preselects the region and workspace of the current URL', async () => {
      backend();
      renderEditor(settings({ url: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-aaa/', jsonData: MOUNTED_JSON }));
      expect(await screen.findByText('prod (ws-aaa)')).toBeInTheDocument();
      expect(screen.getByText('us-west-2')).toBeInTheDocument();
    });

    it('waits for a save after the credentials change', async () => {
      backend();
      const { save, user } = renderEditor(settings({ jsonData: { ...MOUNTED_JSON, sigV4Region: 'us-west-2' } }));
      await waitFor(() => expect(mockFetch).toHaveBeenCalled());
      await choose(user, 'Authentication provider', 'Access & secret key');
      expect(screen.getByText(SAVE_FIRST)).toBeInTheDocument();
      expect(byLabel('Workspace')).toBeDisabled();
      await user.type(byLabel('Access key ID'), 'AKIA');
      mockFetch.mockClear();
      save();
      expect(await screen.findByLabelText('Workspace')).toBeEnabled();
      expect(screen.queryByText(SAVE_FIRST)).not.toBeInTheDocument();
      await waitFor(() =>
        expect(mockFetch.mock.calls.map(([r]) => r.url)).toContain('/api/datasources/uid/amp/resources/workspaces?region=us-west-2')
      );
    });

    it('shows why workspaces could not be listed and leaves the URL field usable', async () => {
      backend(() => throwError(() => ({ status: 403, data: { message: 'missing aps:ListWorkspaces — enter the URL manually' } })));
      renderEditor(settings({ jsonData: { ...MOUNTED_JSON, sigV4Region: 'us-west-2' } }));
      expect(await screen.findByText(/missing aps:ListWorkspaces/)).toBeInTheDocument();
      expect(byLabel('Workspace URL')).toBeEnabled();
    });
  });

  describe('query settings', () => {
    it('defaults the HTTP method to POST and writes GET', async () => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      expect(screen.getByRole('radio', { name: 'POST' })).toBeChecked();
      await user.click(screen.getByRole('radio', { name: 'GET' }));
      expect(last().jsonData.httpMethod).toBe('GET');
    });

    it.each([
      ['Scrape interval', 'timeInterval', '30s'],
      ['Query timeout', 'queryTimeout', '2m'],
      ['Custom query parameters', 'customQueryParameters', 'dedup=false'],
    ])('"%s" writes jsonData.%s', async (label, key, value) => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.type(byLabel(label), value);
      expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: value });
      await user.clear(byLabel(label));
      expect(last().jsonData).toEqual(MOUNTED_JSON);
    });

    it('flags a scrape interval that is not a duration', async () => {
      const { user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.type(byLabel('Scrape interval'), '15');
      expect(screen.getByText('Use a duration such as 30s or 1m')).toBeInTheDocument();
    });

    it.each([
      ['HTTP timeout (seconds)', 'timeout', '45', 45],
      ['Samples processed warning threshold', 'maxSamplesProcessedWarningThreshold', '1000000', 1000000],
      ['Samples processed error threshold', 'maxSamplesProcessedErrorThreshold', '5000000', 5000000],
    ])('"%s" writes jsonData.%s as a number', async (label, key, typed, value) => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.type(byLabel(label), typed);
      expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: value });
    });

    it('refuses numbers the backend would reject', async () => {
      const { last, user } = renderEditor(settings({ jsonData: { ...MOUNTED_JSON, timeout: 30 } }));
      const timeout = byLabel('HTTP timeout (seconds)');
      await user.clear(timeout);
      expect(last().jsonData.timeout).toBeUndefined();
      await user.type(timeout, '900');
      expect(screen.getByText('Use a value between 1 and 600 seconds')).toBeInTheDocument();
      expect(last().jsonData.timeout).toBe(90);
      await user.type(byLabel('Samples processed error threshold'), '1.5');
      expect(screen.getByText('Enter a whole number of samples, 0 turns it off')).toBeInTheDocument();
      expect(last().jsonData.maxSamplesProcessedErrorThreshold).toBe(1);
    });

    it.each([
      ['Query statistics', 'queryStatsEnabled'],
      ['Forward Grafana user header', 'forwardGrafanaUserHeader'],
    ])('"%s" toggles jsonData.%s', async (label, key) => {
      const { last, user } = renderEditor(settings({ jsonData: MOUNTED_JSON }));
      await user.click(byLabel(label));
      expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: true });
      await user.click(byLabel(label));
      expect(last().jsonData).toEqual({ ...MOUNTED_JSON, [key]: false });
    });
  });

  it('shows an error for browser access mode', () => {
    const { unmount } = renderEditor(settings({ access: 'direct' }));
    expect(screen.getByText('Browser access mode is not supported')).toBeInTheDocument();
    unmount();
    renderEditor(settings({ access: 'proxy' }));
    expect(screen.queryByText('Browser access mode is not supported')).not.toBeInTheDocument();
  });

  it('tells users of migrated data sources where they came from', () => {
    renderEditor(settings({ jsonData: { ...MOUNTED_JSON, 'prometheus-type-migration': true } }));
    expect(screen.getByText('Migrated from the Prometheus data source')).toBeInTheDocument();
  });
});
