import React, { useEffect, useState } from 'react';

import { SelectableValue } from '@grafana/data';
import { Alert, Field, Select, Stack, Text } from '@grafana/ui';

import { parseWorkspaceUrl, workspaceUrlTemplate } from '../../config/workspace_url';
import { ResourceClient, WorkspaceSummary } from '../../resources/resource_client';

import { SectionProps } from './settings_props';

interface Props extends SectionProps {
  resources: ResourceClient;
  /** Shown instead of loading anything when set. */
  disabledReason?: string;
}

function workspaceOption(w: WorkspaceSummary): SelectableValue<string> {
  return {
    label: w.alias ? `${w.alias} (${w.id})` : w.id,
    value: w.id,
    description: w.selectable ? w.status : `${w.status}: not ready for queries`,
    isDisabled: !w.selectable,
  };
}

/**
 * Region and workspace selects that fill the workspace URL and signing region from the account's workspaces. The
 * lists come from the backend with the data source's saved credentials, so the picker waits for a save after the
 * credentials change. Manual entry of the URL always remains possible.
 */
export function WorkspacePicker({ options, onOptionsChange, resources, disabledReason }: Props) {
  const fromUrl = parseWorkspaceUrl(options.url);
  const [region, setRegion] = useState<string | undefined>(fromUrl.region ?? (options.jsonData.sigV4Region || undefined));
  const [regions, setRegions] = useState<string[]>([]);
  const [workspaces, setWorkspaces] = useState<WorkspaceSummary[]>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const enabled = !disabledReason;

  useEffect(() => {
    if (!enabled) {
      return;
    }
    let current = true;
    resources
      .regions()
      .then((list) => current && setRegions(list))
      .catch((err: Error) => current && setError(`Could not list regions: ${err.message}`));
    return () => {
      current = false;
    };
  }, [enabled, resources]);

  useEffect(() => {
    if (!enabled || !region) {
      return;
    }
    let current = true;
    setLoading(true);
    setWorkspaces(undefined);
    setError(undefined);
    resources
      .workspaces(region)
      .then((list) => current && setWorkspaces(list))
      .catch((err: Error) => current && setError(`${err.message}. You can still enter the workspace URL below.`))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [enabled, region, resources]);

  const selectWorkspace = async (id: string) => {
    if (!region) {
      return;
    }
    setNotice(undefined);
    let url: string;
    try {
      const ws = await resources.workspace(region, id);
      url = ws.prometheusEndpoint.endsWith('/') ? ws.prometheusEndpoint : `${ws.prometheusEndpoint}/`;
    } catch (err) {
      url = workspaceUrlTemplate(region, id);
      setNotice(`Could not read the workspace's endpoint (${(err as Error).message}); used the standard one.`);
    }
    onOptionsChange({ ...options, url, jsonData: { ...options.jsonData, sigV4Region: region } });
  };

  const regionOptions = [...new Set([...regions, ...(region ? [region] : [])])].map((r) => ({ label: r, value: r }));
  const workspaceOptions = (workspaces ?? []).map(workspaceOption);
  const selectedId = fromUrl.workspaceId;

  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={2}>
        <Field label="Workspace region">
          <Select<string>
            inputId="amp-picker-region"
            width={22}
            disabled={!enabled}
            options={regionOptions}
            value={region ?? null}
            allowCustomValue
            placeholder="Choose a region"
            onChange={(option) => setRegion(option.value)}
          />
        </Field>
        <Field label="Workspace">
          <Select<string>
            inputId="amp-picker-workspace"
            width={36}
            disabled={!enabled || !region}
            isLoading={loading}
            options={workspaceOptions}
            value={workspaceOptions.find((o) => o.value === selectedId) ?? null}
            placeholder={workspaces && !workspaces.length ? 'No workspaces in this region' : 'Choose a workspace'}
            onChange={(option) => option.value && selectWorkspace(option.value)}
          />
        </Field>
      </Stack>
      {disabledReason && (
        <Text color="secondary" italic>
          {disabledReason}
        </Text>
      )}
      {enabled && error && (
        <Alert severity="warning" title="Workspaces could not be loaded">
          {error}
        </Alert>
      )}
      {enabled && notice && <Alert severity="info" title={notice} />}
    </Stack>
  );
}
