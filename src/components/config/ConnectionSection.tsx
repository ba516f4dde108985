import React, { ChangeEvent, useRef, useState } from 'react';

import { Alert, Field, FieldSet, Input } from '@grafana/ui';

import { normaliseWorkspaceUrl, parseWorkspaceUrl } from '../../config/workspace_url';
import { ResourceClient } from '../../resources/resource_client';

import { SectionProps, Settings, WIDTH } from './settings_props';
import { WorkspacePicker } from './WorkspacePicker';

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

interface Props extends SectionProps {
  resources: ResourceClient;
  /** Why the picker cannot load workspaces now, if it cannot. */
  pickerDisabledReason?: string;
}

/** The workspace URL, with a picker that lists the account's workspaces. */
export function ConnectionSection({ options, onOptionsChange, resources, pickerDisabledReason }: Props) {
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
    <FieldSet label="Connection">
      {sigv4 && (
        <WorkspacePicker
          options={options}
          onOptionsChange={(next) => {
            setStripped(undefined);
            onOptionsChange(next);
          }}
          resources={resources}
          disabledReason={pickerDisabledReason}
        />
      )}
      <Field
        label="Workspace URL"
        description="The workspace's query endpoint; the plugin adds /api/v1/... itself"
        invalid={url.trim() !== '' && !parsed.valid}
        error="Enter an absolute http(s) URL, e.g. https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-.../"
      >
        <Input
          id="amp-url"
          width={WIDTH}
          value={url}
          placeholder="https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>/"
          onFocus={() => (atFocus.current = options.url)}
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange({ ...options, url: event.currentTarget.value })
          }
          onBlur={commit}
        />
      </Field>
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
    </FieldSet>
  );
}
