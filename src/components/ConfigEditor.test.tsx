import { render, screen } from '@testing-library/react';
import React from 'react';

import {
  AMP_URL,
  byLabel,
  choose,
  MOUNTED_JSON,
  renderEditor,
  settings,
} from '../testing/config_editor';
import { mockConfig, resetRuntimeMock } from '../testing/runtime_mock';
import { AmpOptions } from '../types';

import { ConfigEditor } from './ConfigEditor';

jest.mock('@grafana/runtime', () =>
  jest.requireActual<typeof import('../testing/runtime_mock')>('../testing/runtime_mock').runtimeModule()
);

beforeEach(resetRuntimeMock);

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
});
