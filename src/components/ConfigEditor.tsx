import React, { ChangeEvent, useEffect, useRef } from 'react';

import { DataSourcePluginOptionsEditorProps, SelectableValue } from '@grafana/data';
import { Alert, Field, FieldSet, Input, SecretInput, Select } from '@grafana/ui';

import { AmpOptions, AmpSecureOptions, SigV4AuthType } from '../types';

type Props = DataSourcePluginOptionsEditorProps<AmpOptions, AmpSecureOptions>;

type SecretKey = keyof AmpSecureOptions;

/** The free-text jsonData keys this editor writes. */
type TextOption = 'sigV4Profile' | 'sigV4AssumeRoleArn' | 'sigV4ExternalId' | 'sigV4Region' | 'sigv4Service';

/** The credential providers offered in the editor, in the order the backend documents them. */
export const AUTH_TYPE_OPTIONS: Array<SelectableValue<SigV4AuthType>> = [
  { label: 'Default', value: 'default', description: 'The AWS SDK default credential chain' },
  { label: 'Access & secret key', value: 'keys' },
  { label: 'Credentials file', value: 'credentials' },
  { label: 'Workspace IAM role', value: 'ec2_iam_role' },
  { label: 'Grafana Assume Role', value: 'grafana_assume_role' },
];

const WIDTH = 60;

/** Settings page: the workspace URL and the SigV4 signing settings. AMP accepts no other authentication. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const authType: SigV4AuthType = jsonData.sigV4AuthType || 'default';

  // SigV4 is mandatory for AMP, so it is switched on when the editor opens; the ref keeps React's development
  // double-invoked effects from reporting the change twice.
  const enabledSigV4 = useRef(false);
  useEffect(() => {
    if (enabledSigV4.current) {
      return;
    }
    enabledSigV4.current = true;
    if (jsonData.sigV4Auth !== true || !jsonData.sigV4AuthType) {
      onOptionsChange({
        ...options,
        jsonData: { ...jsonData, sigV4Auth: true, sigV4AuthType: jsonData.sigV4AuthType || 'default' },
      });
    }
    // Only on mount: later changes arrive through the handlers below.
  }, []);

  const setJsonData = <K extends keyof AmpOptions>(key: K, value: AmpOptions[K]) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });

  const onJsonInput = (key: TextOption) => (event: ChangeEvent<HTMLInputElement>) =>
    setJsonData(key, event.currentTarget.value);

  const onSecretInput = (key: SecretKey) => (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({
      ...options,
      secureJsonData: { ...options.secureJsonData, [key]: event.currentTarget.value },
    });

  // Resetting marks the secret as unset and sends an empty value, which replaces the stored one on save.
  const onSecretReset = (key: SecretKey) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...options.secureJsonFields, [key]: false },
      secureJsonData: { ...options.secureJsonData, [key]: '' },
    });

  const secretProps = (key: SecretKey) => ({
    isConfigured: Boolean(options.secureJsonFields?.[key]),
    value: options.secureJsonData?.[key] ?? '',
    onChange: onSecretInput(key),
    onReset: onSecretReset(key),
    width: WIDTH,
  });

  return (
    <>
      {options.access === 'direct' && (
        <Alert severity="error" title="Browser access mode is not supported">
          Amazon Managed Service for Prometheus requests must be signed by the Grafana server. Switch the access mode
          to Server (proxy).
        </Alert>
      )}
      {jsonData['prometheus-type-migration'] && (
        <Alert severity="info" title="Migrated from the Prometheus data source">
          This data source was converted from a Prometheus data source that used SigV4. Check the settings below
          and save.
        </Alert>
      )}

      <FieldSet label="Connection">
        <Field label="Workspace URL">
          <Input
            id="amp-url"
            width={WIDTH}
            value={options.url ?? ''}
            placeholder="https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>/"
            onChange={(event: ChangeEvent<HTMLInputElement>) =>
              onOptionsChange({ ...options, url: event.currentTarget.value })
            }
          />
        </Field>
      </FieldSet>

      <FieldSet label="SigV4 authentication">
        <Field label="Authentication provider">
          <Select<SigV4AuthType>
            inputId="amp-auth-type"
            width={WIDTH}
            options={AUTH_TYPE_OPTIONS}
            value={authType}
            onChange={(option) => setJsonData('sigV4AuthType', option.value ?? 'default')}
          />
        </Field>

        {authType === 'credentials' && (
          <Field label="Credentials profile name">
            <Input
              id="amp-profile"
              width={WIDTH}
              value={jsonData.sigV4Profile ?? ''}
              placeholder="default"
              onChange={onJsonInput('sigV4Profile')}
            />
          </Field>
        )}

        {authType === 'keys' && (
          <>
            <Field label="Access key ID">
              <SecretInput id="amp-access-key" {...secretProps('sigV4AccessKey')} />
            </Field>
            <Field label="Secret access key">
              <SecretInput id="amp-secret-key" {...secretProps('sigV4SecretKey')} />
            </Field>
          </>
        )}

        <Field label="Assume role ARN">
          <Input
            id="amp-assume-role-arn"
            width={WIDTH}
            value={jsonData.sigV4AssumeRoleArn ?? ''}
            placeholder="arn:aws:iam::123456789012:role/grafana-amp"
            onChange={onJsonInput('sigV4AssumeRoleArn')}
          />
        </Field>

        <Field label="External ID">
          <Input
            id="amp-external-id"
            width={WIDTH}
            value={jsonData.sigV4ExternalId ?? ''}
            onChange={onJsonInput('sigV4ExternalId')}
          />
        </Field>

        <Field label="Default region">
          <Input
            id="amp-region"
            width={WIDTH}
            value={jsonData.sigV4Region ?? ''}
            placeholder="us-east-1"
            onChange={onJsonInput('sigV4Region')}
          />
        </Field>

        <Field label="SigV4 service">
          <Input
            id="amp-sigv4-service"
            width={WIDTH}
            value={jsonData.sigv4Service ?? ''}
            placeholder="aps"
            onChange={onJsonInput('sigv4Service')}
          />
        </Field>
      </FieldSet>
    </>
  );
}
