import React from 'react';

import { InlineField, TagsInput } from '@grafana/ui';

import { ConfigSection, ConfigSubSection } from './ConfigSection';
import { customHeaderIndexes, CustomHeaders } from './CustomHeaders';
import { NumberField, SwitchField } from './fields';
import { LABEL_WIDTH, SectionProps, withJsonData } from './settings_props';
import { TlsSettings } from './TlsSettings';

/** Whether any advanced HTTP setting differs from its default, so the section opens by itself. */
export function advancedHttpInUse({ jsonData }: SectionProps['options']): boolean {
  return Boolean(
    jsonData.timeout !== undefined ||
      jsonData.keepCookies?.length ||
      jsonData.forwardGrafanaUserHeader ||
      jsonData.tlsSkipVerify ||
      jsonData.tlsAuthWithCACert ||
      jsonData.tlsAuth ||
      customHeaderIndexes(jsonData).length
  );
}

/** Connection details most data sources never change: timeout, headers, cookies, TLS. */
export function AdvancedHttpSection(props: SectionProps) {
  const { options, onOptionsChange } = props;
  return (
    <ConfigSection
      title="Advanced HTTP settings"
      description="Timeout, custom headers, forwarded cookies and TLS. AMP needs none of them."
      collapsible
      initiallyOpen={advancedHttpInUse(options)}
    >
      <NumberField
        {...props}
        field="timeout"
        label="HTTP timeout (seconds)"
        tooltip="How long the plugin waits for an answer; 1 to 600, default 30."
        placeholder="30"
        check={(n) => (n <= 0 || n > 600 ? 'Use a value between 1 and 600 seconds' : undefined)}
      />
      <InlineField
        label="Allowed cookies"
        labelWidth={LABEL_WIDTH}
        tooltip="Cookies of the Grafana user, by name, that are forwarded to the workspace (after signing). Grafana's own session cookie is never forwarded."
      >
        <TagsInput
          id="amp-keepCookies"
          width={60}
          placeholder="Cookie name, then Enter"
          tags={options.jsonData.keepCookies ?? []}
          onChange={(tags) => onOptionsChange(withJsonData(options, 'keepCookies', tags.length ? tags : undefined))}
        />
      </InlineField>
      <SwitchField
        {...props}
        field="forwardGrafanaUserHeader"
        label="Forward Grafana user header"
        tooltip="Send X-Grafana-User with each request (not signed); needs [dataproxy] send_user_header in Grafana."
      />
      <ConfigSubSection
        title="Custom HTTP headers"
        description="Sent with every request. Headers the SigV4 signature uses (Authorization, X-Amz-*) cannot be set."
      >
        <CustomHeaders {...props} />
      </ConfigSubSection>
      <ConfigSubSection title="TLS settings">
        <TlsSettings {...props} />
      </ConfigSubSection>
    </ConfigSection>
  );
}
