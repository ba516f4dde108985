import React from 'react';

import { config } from '@grafana/runtime';
import { Alert, Box, Stack, Text, TextLink } from '@grafana/ui';

import { AmpOptions } from '../../types';

/**
 * The plugin's documentation (configuration, IAM permissions, provisioning, troubleshooting and rolling back): its
 * README, which Grafana shows on the plugin's page in every supported version.
 */
export function docsUrl(anchor = ''): string {
  return `${config.appSubUrl ?? ''}/plugins/grafana-amazonprometheus-datasource${anchor}`;
}

/** Grafana's own description of the Prometheus-to-AMP migration and how to check its status. */
export const GRAFANA_MIGRATION_DOCS =
  'https://grafana.com/docs/grafana/latest/datasources/prometheus/configure/aws-authentication/';

/** The README section with the rollback steps. */
export const ROLLBACK_ANCHOR = '#rolling-back-to-the-prometheus-data-source';

/** The header of Grafana's data source pages: what the plugin is for and where its documentation is. */
export function ConfigHeader() {
  return (
    <Box marginBottom={4}>
      <Stack direction="column" gap={1}>
        <Text element="h2">Amazon Managed Service for Prometheus</Text>
        <Text color="secondary">
          Query an Amazon Managed Service for Prometheus workspace with PromQL; every request is signed with AWS
          SigV4 by the Grafana server. Read the{' '}
          <TextLink href={docsUrl()} external inline>
            plugin documentation
          </TextLink>{' '}
          for the IAM permissions, provisioning and troubleshooting.
        </Text>
      </Stack>
    </Box>
  );
}

/** One setting a migrated data source brought from the Prometheus data source, and what it does here now. */
export interface CarriedSetting {
  key: string;
  label: string;
  now: string;
}

const CARRIED: Array<CarriedSetting & { present: (jd: AmpOptions) => boolean }> = [
  { key: 'sigV4*', label: 'SigV4 authentication', now: 'signs every request, as before', present: (jd) => jd.sigV4Auth !== undefined },
  { key: 'httpMethod', label: 'HTTP method', now: 'used for queries and editor lookups', present: (jd) => jd.httpMethod !== undefined },
  { key: 'timeInterval', label: 'Scrape interval', now: 'the smallest step of queries', present: (jd) => jd.timeInterval !== undefined },
  { key: 'queryTimeout', label: 'Query timeout', now: 'sent to AMP as the timeout parameter', present: (jd) => jd.queryTimeout !== undefined },
  { key: 'customQueryParameters', label: 'Custom query parameters', now: 'added to every request', present: (jd) => Boolean(jd.customQueryParameters) },
  { key: 'manageAlerts', label: 'Manage alerts via Alerting UI', now: "read by Grafana Alerting, as before", present: (jd) => jd.manageAlerts !== undefined },
  { key: 'allowAsRecordingRulesTarget', label: 'Recording rules target', now: 'read by Grafana Alerting, as before', present: (jd) => jd.allowAsRecordingRulesTarget !== undefined },
  { key: 'seriesLimit', label: 'Series limit', now: "caps the query editor's metric and label lookups", present: (jd) => jd.seriesLimit !== undefined },
  { key: 'seriesEndpoint', label: 'Use series endpoint', now: 'label value lookups use the series API', present: (jd) => jd.seriesEndpoint !== undefined },
  { key: 'disableMetricsLookup', label: 'Disable metrics lookup', now: 'turns off metric and label completion', present: (jd) => jd.disableMetricsLookup !== undefined },
  { key: 'defaultEditor', label: 'Default editor', now: 'saved with new queries; this plugin edits PromQL as code', present: (jd) => jd.defaultEditor !== undefined },
  { key: 'cacheLevel', label: 'Cache level', now: 'how long the editor reuses lookups', present: (jd) => jd.cacheLevel !== undefined },
  { key: 'incrementalQuerying', label: 'Incremental querying', now: 'kept for the query cache', present: (jd) => jd.incrementalQuerying !== undefined },
  { key: 'keepCookies', label: 'Allowed cookies', now: 'forwarded to the workspace, unsigned', present: (jd) => Boolean(jd.keepCookies?.length) },
  { key: 'httpHeaderName*', label: 'Custom HTTP headers', now: 'sent with every request (never replacing the signature)', present: (jd) => jd.httpHeaderName1 !== undefined },
  { key: 'tls*', label: 'TLS settings', now: 'applied to the connection', present: (jd) => Boolean(jd.tlsSkipVerify || jd.tlsAuthWithCACert || jd.tlsAuth) },
  { key: 'exemplarTraceIdDestinations', label: 'Exemplar trace links', now: 'kept, but AMP stores no exemplars', present: (jd) => Boolean(jd.exemplarTraceIdDestinations?.length) },
];

/** The settings the migration carried over that this data source has. */
export function carriedSettings(jsonData: AmpOptions): CarriedSetting[] {
  return CARRIED.filter((c) => c.present(jsonData)).map(({ key, label, now }) => ({ key, label, now }));
}

/**
 * Grafana's Prometheus-to-AMP migration copies jsonData and secureJsonData unchanged and marks the data source;
 * the notice says what came along and what each setting does now, and how to go back.
 */
export function MigrationNotice({ jsonData }: { jsonData: AmpOptions }) {
  const carried = carriedSettings(jsonData);
  return (
    <Alert severity="info" title="Migrated from the Prometheus data source">
      <Stack direction="column" gap={1}>
        <div>
          Grafana converted this data source from a Prometheus data source that used SigV4; its dashboards, queries
          and alert rules keep working.{' '}
          {carried.length > 0 ? 'These settings came with it:' : 'No other settings came with it.'}
        </div>
        {carried.length > 0 && (
          <ul aria-label="Settings carried over" style={{ paddingLeft: 20, margin: 0 }}>
            {carried.map((c) => (
              <li key={c.key}>
                <strong>{c.label}</strong> ({c.key}): {c.now}
              </li>
            ))}
          </ul>
        )}
        <div>
          To go back, follow the{' '}
          <TextLink href={docsUrl(ROLLBACK_ANCHOR)} external inline>
            rollback instructions
          </TextLink>{' '}
          (Grafana's{' '}
          <TextLink href={GRAFANA_MIGRATION_DOCS} external inline>
            migration guide
          </TextLink>{' '}
          explains the migration itself).
        </div>
      </Stack>
    </Alert>
  );
}
