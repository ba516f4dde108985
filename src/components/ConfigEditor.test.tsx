import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { DataSourceSettings } from '@grafana/data';

import { AmpOptions, AmpSecureOptions } from '../types';

import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

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
    ...over,
  };
}

/** Holds the settings in state like Grafana's settings page does, and records every change. */
function renderEditor(initial: Settings) {
  const onOptionsChange = jest.fn<void, [Settings]>();
  function Harness() {
    const [options, setOptions] = useState(initial);
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
  return { ...utils, onOptionsChange, last, user: userEvent.setup() };
}

// What the mount effect turns empty jsonData into.
const MOUNTED_JSON: AmpOptions = { sigV4Auth: true, sigV4AuthType: 'default' };

async function chooseAuthType(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.click(screen.getByLabelText('Authentication provider'));
  await user.click(await screen.findByText(label));
}

describe('ConfigEditor', () => {
  it('enables SigV4 with the default provider on mount, exactly once', () => {
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

    // Re-renders with settings that still lack the flag (the parent has not applied the change yet) do not repeat it.
    rerender(
      <React.StrictMode>
        <ConfigEditor options={{ ...initial, name: 'renamed' }} onOptionsChange={onOptionsChange} />
      </React.StrictMode>
    );
    expect(onOptionsChange).toHaveBeenCalledTimes(1);
  });

  it('keeps an existing provider and does not report a change when SigV4 is already on', () => {
    const { onOptionsChange } = renderEditor(settings({ jsonData: { sigV4Auth: true, sigV4AuthType: 'keys' } }));
    expect(onOptionsChange).not.toHaveBeenCalled();
    expect(screen.getByText('Access & secret key')).toBeInTheDocument();
  });

  it('keeps an existing provider when SigV4 was off', () => {
    const { onOptionsChange } = renderEditor(settings({ jsonData: { sigV4Auth: false, sigV4AuthType: 'credentials' } }));
    expect(onOptionsChange).toHaveBeenCalledTimes(1);
    expect(onOptionsChange.mock.calls[0][0].jsonData).toEqual({ sigV4Auth: true, sigV4AuthType: 'credentials' });
  });

  it('writes the workspace URL to options.url', async () => {
    const { last, user } = renderEditor(settings());
    const url = screen.getByLabelText('Workspace URL');
    expect(url).toHaveAttribute(
      'placeholder',
      'https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>/'
    );
    await user.type(url, 'https://aps');
    expect(last().url).toBe('https://aps');
    expect(last().jsonData).toEqual(MOUNTED_JSON);
  });

  it.each<{ label: string; key: keyof AmpOptions; authType?: string }>([
    { label: 'Default region', key: 'sigV4Region' },
    { label: 'Assume role ARN', key: 'sigV4AssumeRoleArn' },
    { label: 'External ID', key: 'sigV4ExternalId' },
    { label: 'SigV4 service', key: 'sigv4Service' },
    { label: 'Credentials profile name', key: 'sigV4Profile', authType: 'credentials' },
  ])('"$label" writes jsonData.$key and nothing else', async ({ label, key, authType }) => {
    const base: AmpOptions = { ...MOUNTED_JSON, sigV4AuthType: (authType ?? 'default') as AmpOptions['sigV4AuthType'] };
    const { last, onOptionsChange, user } = renderEditor(settings({ jsonData: base }));
    expect(onOptionsChange).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText(label), 'ab-1');
    expect(last().jsonData).toEqual({ ...base, [key]: 'ab-1' });
    expect(last().secureJsonData).toBeUndefined();
    expect(last().url).toBe('');
  });

  it('labels the service field with placeholder aps', () => {
    renderEditor(settings());
    expect(screen.getByLabelText('SigV4 service')).toHaveAttribute('placeholder', 'aps');
  });

  it.each([
    ['Access & secret key', 'keys'],
    ['Credentials file', 'credentials'],
    ['Workspace IAM role', 'ec2_iam_role'],
    ['Grafana Assume Role', 'grafana_assume_role'],
  ])('choosing "%s" writes sigV4AuthType %s', async (label, value) => {
    const { last, user } = renderEditor(settings());
    await chooseAuthType(user, label);
    expect(last().jsonData).toEqual({ sigV4Auth: true, sigV4AuthType: value });
  });

  it('shows the profile field only for the credentials file provider', async () => {
    const { user } = renderEditor(settings());
    expect(screen.queryByLabelText('Credentials profile name')).not.toBeInTheDocument();
    await chooseAuthType(user, 'Credentials file');
    expect(screen.getByLabelText('Credentials profile name')).toBeInTheDocument();
    await chooseAuthType(user, 'Workspace IAM role');
    expect(screen.queryByLabelText('Credentials profile name')).not.toBeInTheDocument();
  });

  it.each([
    ['Access key ID', 'sigV4AccessKey'],
    ['Secret access key', 'sigV4SecretKey'],
  ])('"%s" writes secureJsonData.%s only', async (label, key) => {
    const jsonData: AmpOptions = { sigV4Auth: true, sigV4AuthType: 'keys' };
    const { last, user } = renderEditor(settings({ jsonData }));
    await user.type(screen.getByLabelText(label), 'AKIA1');
    expect(last().secureJsonData).toEqual({ [key]: 'AKIA1' });
    expect(last().jsonData).toEqual(jsonData);
  });

  it('hides the key fields for other providers', () => {
    renderEditor(settings({ jsonData: MOUNTED_JSON }));
    expect(screen.queryByLabelText('Access key ID')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Secret access key')).not.toBeInTheDocument();
  });

  it('never shows a saved secret and clears it on Reset', async () => {
    const { last, user } = renderEditor(
      settings({
        jsonData: { sigV4Auth: true, sigV4AuthType: 'keys' },
        secureJsonFields: { sigV4AccessKey: true, sigV4SecretKey: true },
      })
    );
    const secret = screen.getByLabelText('Secret access key');
    expect(secret).toHaveValue('configured');
    expect(secret).toBeDisabled();

    const resets = screen.getAllByRole('button', { name: 'Reset' });
    expect(resets).toHaveLength(2);
    await user.click(resets[1]);

    expect(last().secureJsonFields).toEqual({ sigV4AccessKey: true, sigV4SecretKey: false });
    expect(last().secureJsonData).toEqual({ sigV4SecretKey: '' });
    const cleared = screen.getByLabelText('Secret access key');
    expect(cleared).toHaveValue('');
    expect(cleared).toBeEnabled();
    // The other secret is untouched.
    expect(screen.getByLabelText('Access key ID')).toHaveValue('configured');
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
