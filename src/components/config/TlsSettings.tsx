import React from 'react';

import { InlineField, SecretTextArea } from '@grafana/ui';

import { AmpSecureOptions } from '../../types';

import { SwitchField, TextField } from './fields';
import { LABEL_WIDTH, SectionProps, secretBinding } from './settings_props';

type PemKey = keyof AmpSecureOptions & ('tlsCACert' | 'tlsClientCert' | 'tlsClientKey');

function PemField({ field, label, tooltip, placeholder, ...section }: SectionProps & { field: PemKey; label: string; tooltip: string; placeholder: string }) {
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip}>
      <SecretTextArea
        id={`amp-${field}`}
        cols={64}
        rows={5}
        placeholder={placeholder}
        {...secretBinding(section, field)}
      />
    </InlineField>
  );
}

/**
 * TLS options of the connection, stored under Grafana's keys. AMP endpoints use public certificates, so these
 * matter for gateways, TLS-inspecting proxies and other Prometheus servers.
 */
export function TlsSettings(props: SectionProps) {
  const jd = props.options.jsonData;
  return (
    <>
      <SwitchField
        {...props}
        field="tlsSkipVerify"
        label="Skip TLS certificate validation"
        tooltip="Accept any server certificate. Only for tests: it lets anyone in the path read and change requests."
      />
      <SwitchField
        {...props}
        field="tlsAuthWithCACert"
        label="With CA cert"
        tooltip="Trust servers whose certificate is signed by this CA (a private CA or a TLS-inspecting proxy)."
      />
      <SwitchField
        {...props}
        field="tlsAuth"
        label="TLS client authentication"
        tooltip="Present a client certificate to servers that require one (mutual TLS)."
      />
      {(jd.tlsAuthWithCACert || jd.tlsAuth) && (
        <TextField
          {...props}
          field="serverName"
          label="Server name"
          tooltip="The host name the server's certificate must name, when it differs from the URL's host."
          placeholder="aps-workspaces.us-east-1.amazonaws.com"
        />
      )}
      {jd.tlsAuthWithCACert && (
        <PemField {...props} field="tlsCACert" label="CA certificate" tooltip="The CA certificate in PEM format." placeholder="-----BEGIN CERTIFICATE-----" />
      )}
      {jd.tlsAuth && (
        <>
          <PemField {...props} field="tlsClientCert" label="Client certificate" tooltip="The client certificate in PEM format." placeholder="-----BEGIN CERTIFICATE-----" />
          <PemField {...props} field="tlsClientKey" label="Client key" tooltip="The client certificate's private key in PEM format." placeholder="-----BEGIN PRIVATE KEY-----" />
        </>
      )}
    </>
  );
}
