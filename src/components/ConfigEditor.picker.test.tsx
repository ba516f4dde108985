import { screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';

import { BackendSrvRequest } from '@grafana/runtime';

import {
  AMP_URL,
  byLabel,
  choose,
  MOUNTED_JSON,
  renderEditor,
  settings,
} from '../testing/config_editor';
import { mockFetch, resetRuntimeMock } from '../testing/runtime_mock';
import { AmpOptions } from '../types';

import { SAVE_FIRST } from './ConfigEditor';

jest.mock('@grafana/runtime', () =>
  jest.requireActual<typeof import('../testing/runtime_mock')>('../testing/runtime_mock').runtimeModule()
);

beforeEach(resetRuntimeMock);

describe('ConfigEditor', () => {
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
