import React from 'react';

import { ConfigSection } from './ConfigSection';
import { SwitchField } from './fields';
import { SectionProps } from './settings_props';

/** The two settings Grafana Alerting reads from a Prometheus-type data source; both are on unless switched off. */
export function AlertingSection(props: SectionProps) {
  return (
    <ConfigSection title="Alerting" description="How Grafana Alerting uses this data source.">
      <SwitchField
        {...props}
        field="manageAlerts"
        label="Manage alerts via Alerting UI"
        tooltip="Show and manage the workspace's alerting and recording rules in Grafana's Alerting UI."
        defaultValue={true}
      />
      <SwitchField
        {...props}
        field="allowAsRecordingRulesTarget"
        label="Recording rules target"
        tooltip="Offer this data source as the target Grafana-managed recording rules write to; AMP needs aps:RemoteWrite for that."
        defaultValue={true}
      />
    </ConfigSection>
  );
}
