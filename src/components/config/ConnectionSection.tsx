import React, { ChangeEvent, useRef, useState } from 'react';

import { Alert, InlineField, Input } from '@grafana/ui';

import { normaliseWorkspaceUrl, parseWorkspaceUrl } from '../../config/workspace_url';

import { ConfigSection } from './ConfigSection';
import { LABEL_WIDTH, SectionProps, Settings, URL_WIDTH } from './settings_props';

/**
 * Normalises the URL being edited and lets the signing region follow the URL's region when it was empty or
 * matched the URL before the edit.
 */
export function applyUrl(options: Settings, previousUrl?: string): { options: Settings; stripped?: string } {
  const { url, stripped } = normaliseWorkspaceUrl(options.url ?? '');
  const before = parseWorkspaceUrl(previousUrl);
  const after = parseWorkspaceUrl(url);
  let jsonData = options.jsonData;
  const region = jsonData.sigV4Region ?? '';
  if (after.region && (region === '' || region === before.region)) {
    jsonData = { ...jsonData, sigV4Region: after.region };
  }
  return { options: { ...options, url, jsonData }, stripped };
}

/** The workspace URL; the Workspace section below can fill it in from the account's workspaces. */
export function ConnectionSection({ options, onOptionsChange }: SectionProps) {
  const [stripped, setStripped] = useState<string>();
  // The URL when the field got focus: the region follows the URL only if it matched that one.
  const atFocus = useRef(options.url);
  const url = options.url ?? '';
  const parsed = parseWorkspaceUrl(url);
  const sigv4 = options.jsonData.sigV4Auth !== false;

  // Every keystroke is written, so a Save right after typing saves what is shown; normalising waits for blur.
  const commit = () => {
    const applied = applyUrl(options, atFocus.current);
    setStripped(applied.stripped);
    if (applied.options.url !== options.url || applied.options.jsonData !== options.jsonData) {
      onOptionsChange(applied.options);
    }
  };

  return (
    <ConfigSection title="Connection" description="The workspace's query endpoint. Pick a workspace below after setting up authentication, or paste its URL.">
      <InlineField
        label="Workspace URL"
        labelWidth={LABEL_WIDTH}
        tooltip="The Prometheus endpoint of the workspace, as the AMP console shows it; the plugin adds /api/v1/... itself."
        invalid={url.trim() !== '' && !parsed.valid}
        error="Enter an absolute http(s) URL, e.g. https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-.../"
        required
        // Wide enough for a whole AMP endpoint, but never wider than the page: the field shrinks with the window.
        grow
        style={{ maxWidth: `${(LABEL_WIDTH + URL_WIDTH) * 8}px` }}
      >
        <Input
          id="amp-url"
          value={url}
          placeholder="https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>/"
          onFocus={() => (atFocus.current = options.url)}
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange({ ...options, url: event.currentTarget.value })
          }
          onBlur={commit}
        />
      </InlineField>
      {stripped && (
        <Alert severity="info" title={`Removed ${stripped} from the URL`}>
          The plugin appends the Prometheus API path itself; the URL ends at the workspace.
        </Alert>
      )}
      {parsed.valid && sigv4 && parsed.service !== 'aps' && parsed.service !== 'monitoring' && (
        <Alert severity="warning" title="Not an Amazon Managed Service for Prometheus URL">
          Workspace endpoints look like https://aps-workspaces.&lt;region&gt;.amazonaws.com/workspaces/&lt;id&gt;/. Other
          hosts work only if they accept SigV4-signed requests for the region and service below.
        </Alert>
      )}
    </ConfigSection>
  );
}
