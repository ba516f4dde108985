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

    it('explains a missing permission in one sentence, with the AWS text behind Details', async () => {
      backend(() =>
        throwError(() => ({
          status: 403,
          data: { message: 'missing aps:ListWorkspaces permission — enter the workspace URL manually', errorType: 'AccessDeniedException' },
        }))
      );
      const { user } = renderEditor(settings({ jsonData: { ...MOUNTED_JSON, sigV4Region: 'us-west-2' } }));
      expect(await screen.findByText(/may not list workspaces \(aps:ListWorkspaces\): grant it/)).toBeInTheDocument();
      expect(screen.queryByText(/enter the workspace URL manually/)).not.toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Details' }));
      expect(screen.getByTestId('picker-error-details')).toHaveTextContent('missing aps:ListWorkspaces permission');
      expect(byLabel('Workspace URL')).toBeEnabled();
    });

    it('never shows the canonical request AWS appends to a signature error', async () => {
      const aws =
        "The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'GET\n/workspaces\nhost:aps'";
      backend(() =>
        throwError(() => ({ status: 403, data: { message: `AWS rejected the data source's credentials (${aws})`, errorType: 'InvalidSignatureException' } }))
      );
      const { user } = renderEditor(settings({ jsonData: { ...MOUNTED_JSON, sigV4Region: 'us-west-2' } }));
      expect(await screen.findByText(/AWS rejected the saved credentials: check the access key and secret access key/)).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Details' }));
      expect(screen.getByTestId('picker-error-details')).toHaveTextContent('does not match the signature you provided');
      expect(document.body).not.toHaveTextContent('Canonical String');
    });

    it('blames missing credentials, not the network, when the credential chain found none', async () => {
      backend(() =>
        throwError(() => ({
          status: 502,
          data: {
            message: 'calling the AMP control plane: operation error amp: ListWorkspaces (see details)',
            details: 'operation error amp: ListWorkspaces, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found',
          },
        }))
      );
      renderEditor(settings({ jsonData: { ...MOUNTED_JSON, sigV4Region: 'us-west-2' } }));
      expect(await screen.findByText(/The Grafana server found no usable AWS credentials/)).toBeInTheDocument();
    });
  });

  it('shows an error for browser access mode', () => {
    const { unmount } = renderEditor(settings({ access: 'direct' }));
    expect(screen.getByText('Browser access mode is not supported')).toBeInTheDocument();
    unmount();
    renderEditor(settings({ access: 'proxy' }));
    expect(screen.queryByText('Browser access mode is not supported')).not.toBeInTheDocument();
  });
});
