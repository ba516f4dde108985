import React, { ChangeEvent } from 'react';

import { SelectableValue } from '@grafana/data';
import { Alert, Button, InlineField, Input, RadioButtonGroup, SecretInput, Select } from '@grafana/ui';

import { allowedAuthProviders, assumeRoleEnabled } from '../../config/aws_settings';
import { AuthMode, authModeOf, authorizationHeaderIndex, setAuthMode } from '../../config/auth_mode';
import { parseWorkspaceUrl, REGION_PATTERN } from '../../config/workspace_url';
import { SigV4AuthType } from '../../types';

import { ConfigSection } from './ConfigSection';
import { LABEL_WIDTH, SectionProps, secretProps, WIDTH, withJsonData } from './settings_props';

/** Every credential provider the backend knows, in the order the backend documents them. */
export const AUTH_TYPE_OPTIONS: Array<SelectableValue<SigV4AuthType>> = [
  { label: 'Default', value: 'default', description: 'The AWS SDK default credential chain' },
  { label: 'Access & secret key', value: 'keys' },
  { label: 'Credentials file', value: 'credentials' },
  { label: 'Workspace IAM role', value: 'ec2_iam_role' },
  { label: 'Grafana Assume Role', value: 'grafana_assume_role' },
];

export const AUTH_MODE_OPTIONS: Array<SelectableValue<AuthMode>> = [
  { label: 'SigV4', value: 'sigv4', description: 'AWS Signature Version 4; required by AMP' },
  { label: 'No authentication', value: 'none' },
  { label: 'Basic authentication', value: 'basic' },
  { label: 'Authorization header', value: 'header' },
];

/** Authentication: AWS SigV4 for AMP, or one alternative for other Prometheus-compatible services. */
export function AuthSection(props: SectionProps) {
  const { options, onOptionsChange } = props;
  const mode = authModeOf(options);
  const allowed = allowedAuthProviders();
  const url = parseWorkspaceUrl(options.url);

  return (
    <ConfigSection
      title="Authentication"
      description="AMP accepts only requests signed with AWS SigV4; the other methods are for Prometheus-compatible services that are not AMP."
    >
      <InlineField label="Authentication method" labelWidth={LABEL_WIDTH}>
        <RadioButtonGroup<AuthMode>
          aria-label="Authentication method"
          options={AUTH_MODE_OPTIONS}
          value={mode}
          onChange={(next) => onOptionsChange(setAuthMode(options, next, allowed[0]))}
        />
      </InlineField>
      {mode !== 'sigv4' && url.service === 'aps' && (
        <Alert severity="warning" title="This workspace only accepts SigV4">
          Amazon Managed Service for Prometheus rejects requests that are not signed with SigV4.
        </Alert>
      )}
      {mode === 'sigv4' && <SigV4Settings {...props} allowed={allowed} />}
      {mode === 'basic' && (
        <>
          <InlineField label="User" labelWidth={LABEL_WIDTH}>
            <Input
              id="amp-basic-user"
              width={WIDTH}
              value={options.basicAuthUser ?? ''}
              onChange={(event: ChangeEvent<HTMLInputElement>) =>
                onOptionsChange({ ...options, basicAuthUser: event.currentTarget.value })
              }
            />
          </InlineField>
          <InlineField label="Password" labelWidth={LABEL_WIDTH}>
            <SecretInput id="amp-basic-password" {...secretProps(props, 'basicAuthPassword')} />
          </InlineField>
        </>
      )}
      {mode === 'header' && (
        <InlineField
          label="Authorization header value"
          tooltip="Sent as the Authorization header, e.g. Bearer <token>"
          labelWidth={LABEL_WIDTH}
        >
          <SecretInput
            id="amp-authorization-header"
            placeholder="Bearer <token>"
            {...secretProps(props, `httpHeaderValue${authorizationHeaderIndex(options.jsonData) ?? 1}`)}
          />
        </InlineField>
      )}
    </ConfigSection>
  );
}

function SigV4Settings(props: SectionProps & { allowed: SigV4AuthType[] }) {
  const { options, onOptionsChange, allowed } = props;
  const jsonData = options.jsonData;
  const authType: SigV4AuthType = jsonData.sigV4AuthType || 'default';
  const assumeRole = assumeRoleEnabled();
  const url = parseWorkspaceUrl(options.url);
  const region = jsonData.sigV4Region ?? '';
  const service = jsonData.sigv4Service ?? '';

  const onText =
    (key: 'sigV4Profile' | 'sigV4AssumeRoleArn' | 'sigV4ExternalId' | 'sigV4Region' | 'sigv4Service') =>
    (event: ChangeEvent<HTMLInputElement>) =>
      onOptionsChange(withJsonData(options, key, event.currentTarget.value));

  const providerOptions = AUTH_TYPE_OPTIONS.filter((o) => allowed.includes(o.value!));
  const disallowed = !allowed.includes(authType);
  if (disallowed) {
    providerOptions.push({ ...AUTH_TYPE_OPTIONS.find((o) => o.value === authType), value: authType });
  }

  return (
    <>
      <InlineField
        label="Authentication provider"
        labelWidth={LABEL_WIDTH}
        tooltip="Where the Grafana server gets AWS credentials. Default is the AWS SDK chain: environment, web identity (IRSA), EKS Pod Identity, ECS or instance role."
      >
        <Select<SigV4AuthType>
          inputId="amp-auth-type"
          width={WIDTH}
          options={providerOptions}
          value={authType}
          onChange={(option) => onOptionsChange(withJsonData(options, 'sigV4AuthType', option.value ?? allowed[0]))}
        />
      </InlineField>
      {disallowed && (
        <Alert severity="error" title="Provider not allowed">
          This Grafana server does not allow the &quot;{authType}&quot; provider ([aws] allowed_auth_providers). Choose
          another one.
        </Alert>
      )}

      {authType === 'credentials' && (
        <InlineField
          label="Credentials profile name"
          labelWidth={LABEL_WIDTH}
          tooltip="A profile of the shared credentials file on the Grafana server; empty means AWS_PROFILE or default."
        >
          <Input
            id="amp-profile"
            width={WIDTH}
            value={jsonData.sigV4Profile ?? ''}
            placeholder="default"
            onChange={onText('sigV4Profile')}
          />
        </InlineField>
      )}

      {authType === 'keys' && (
        <>
          <InlineField
            label="Access key ID"
            labelWidth={LABEL_WIDTH}
            tooltip="An access key allowed aps:QueryMetrics, aps:GetLabels, aps:GetSeries and aps:GetMetricMetadata (the AmazonPrometheusQueryAccess policy)."
          >
            <SecretInput id="amp-access-key" {...secretProps(props, 'sigV4AccessKey')} />
          </InlineField>
          <InlineField label="Secret access key" labelWidth={LABEL_WIDTH} tooltip="Stored encrypted by Grafana and never shown again.">
            <SecretInput id="amp-secret-key" {...secretProps(props, 'sigV4SecretKey')} />
          </InlineField>
          <InlineField label="Session token" tooltip="Only for temporary (ASIA...) keys." labelWidth={LABEL_WIDTH}>
            <SecretInput id="amp-session-token" {...secretProps(props, 'sigV4SessionToken')} />
          </InlineField>
        </>
      )}

      {(assumeRole || authType === 'grafana_assume_role') && (
        <InlineField
          label="Assume role ARN"
          tooltip={
            authType === 'grafana_assume_role'
              ? 'Required: the role Grafana assumes with its own credentials.'
              : 'Optional: a role to assume with the credentials above, through STS in the region below.'
          }
          labelWidth={LABEL_WIDTH}
        >
          <Input
            id="amp-assume-role-arn"
            width={WIDTH}
            value={jsonData.sigV4AssumeRoleArn ?? ''}
            placeholder="arn:aws:iam::123456789012:role/grafana-amp"
            onChange={onText('sigV4AssumeRoleArn')}
          />
        </InlineField>
      )}

      {assumeRole && authType !== 'grafana_assume_role' && (
        <InlineField
          label="External ID"
          tooltip="Sent with the assume role call when the role's trust policy requires one."
          labelWidth={LABEL_WIDTH}
        >
          <Input
            id="amp-external-id"
            width={WIDTH}
            value={jsonData.sigV4ExternalId ?? ''}
            onChange={onText('sigV4ExternalId')}
          />
        </InlineField>
      )}

      <InlineField
        label="Region"
        invalid={region !== '' && region !== 'default' && !REGION_PATTERN.test(region)}
        error="Use an AWS region name such as us-west-2"
        labelWidth={LABEL_WIDTH}
        tooltip="The region requests are signed for; an AMP workspace URL's region always wins."
      >
        <Input
          id="amp-region"
          width={WIDTH}
          value={region}
          placeholder={url.region ?? 'us-east-1'}
          onChange={onText('sigV4Region')}
        />
      </InlineField>
      {url.region && region !== '' && region !== url.region && (
        <Alert severity="warning" title="Region does not match the workspace URL">
          {`The workspace URL is in ${url.region}, but the region is set to ${region}. Requests are signed for ${url.region}, the URL's region, anyway, because AWS rejects any other. `}
          <Button size="sm" variant="secondary" onClick={() => onOptionsChange(withJsonData(options, 'sigV4Region', url.region))}>
            Use {url.region}
          </Button>
        </Alert>
      )}

      <InlineField
        label="SigV4 service"
        tooltip="Leave empty for aps (AMP); monitoring for the CloudWatch PromQL endpoint."
        labelWidth={LABEL_WIDTH}
      >
        <Input
          id="amp-sigv4-service"
          width={WIDTH}
          value={service}
          placeholder="aps"
          onChange={onText('sigv4Service')}
        />
      </InlineField>
      {url.service && service !== '' && service !== url.service && (
        <Alert severity="warning" title="Service does not match the URL">
          {url.service === 'aps' ? 'AMP workspace endpoints' : 'CloudWatch endpoints'} expect the service &quot;
          {url.service}&quot;; requests are signed for {url.service} anyway.
        </Alert>
      )}
    </>
  );
}
