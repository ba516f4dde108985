import React, { useEffect, useState } from 'react';

import { SelectableValue } from '@grafana/data';
import { Alert, Button, InlineField, Select, Stack, Text } from '@grafana/ui';

import { parseWorkspaceUrl, workspaceUrlTemplate } from '../../config/workspace_url';
import { ResourceClient, ResourceError, WorkspaceSummary } from '../../resources/resource_client';

import { ConfigSection } from './ConfigSection';
import { explainPickerError, PickerProblem } from './picker_errors';
import { LABEL_WIDTH, SectionProps } from './settings_props';

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
export function WorkspaceSection({ options, onOptionsChange, resources, disabledReason }: Props) {
  const fromUrl = parseWorkspaceUrl(options.url);
  const [region, setRegion] = useState<string | undefined>(fromUrl.region ?? (options.jsonData.sigV4Region || undefined));
  const [regions, setRegions] = useState<string[]>([]);
  const [workspaces, setWorkspaces] = useState<WorkspaceSummary[]>();
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<PickerProblem>();
  const [showDetails, setShowDetails] = useState(false);
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
      .catch((err: ResourceError) => current && setProblem(explainPickerError(err, '')));
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
    setProblem(undefined);
    setShowDetails(false);
    resources
      .workspaces(region)
      .then((list) => current && setWorkspaces(list))
      .catch((err: ResourceError) => current && setProblem(explainPickerError(err, region)))
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
    } catch {
      url = workspaceUrlTemplate(region, id);
      setNotice("Could not read the workspace's endpoint (aps:DescribeWorkspace); used the standard one for its region.");
    }
    onOptionsChange({ ...options, url, jsonData: { ...options.jsonData, sigV4Region: region } });
  };

  const regionOptions = [...new Set([...regions, ...(region ? [region] : [])])].map((r) => ({ label: r, value: r }));
  const workspaceOptions = (workspaces ?? []).map(workspaceOption);
  const selectedId = fromUrl.workspaceId;

  return (
    <ConfigSection
      title="Workspace"
      description="Lists the account's workspaces with the saved credentials and fills in the workspace URL and region."
    >
      <InlineField
        label="Workspace region"
        labelWidth={LABEL_WIDTH}
        tooltip="The AWS region whose AMP workspaces are listed."
        disabled={!enabled}
      >
        <Select<string>
          inputId="amp-picker-region"
          width={24}
          options={regionOptions}
          value={region ?? null}
          allowCustomValue
          placeholder="Choose a region"
          onChange={(option) => setRegion(option.value)}
        />
      </InlineField>
      <InlineField
        label="Workspace"
        labelWidth={LABEL_WIDTH}
        tooltip="Workspaces that are not ACTIVE are listed but cannot be chosen. Needs aps:ListWorkspaces and aps:DescribeWorkspace."
        disabled={!enabled || !region}
      >
        <Select<string>
          inputId="amp-picker-workspace"
          width={72}
          isLoading={loading}
          options={workspaceOptions}
          value={workspaceOptions.find((o) => o.value === selectedId) ?? null}
          placeholder={workspaces && !workspaces.length ? 'No workspaces in this region' : 'Choose a workspace'}
          onChange={(option) => option.value && selectWorkspace(option.value)}
        />
      </InlineField>
      {disabledReason && (
        <Text color="secondary" italic>
          {disabledReason}
        </Text>
      )}
      {enabled && problem && (
        <Alert severity="warning" title="Workspaces could not be loaded">
          <Stack direction="column" gap={1} alignItems="flex-start">
            <div>{problem.summary}</div>
            {problem.details && (
              <Button
                variant="secondary"
                fill="text"
                size="sm"
                icon={showDetails ? 'angle-down' : 'angle-right'}
                aria-expanded={showDetails}
                onClick={() => setShowDetails(!showDetails)}
              >
                Details
              </Button>
            )}
            {showDetails && <pre data-testid="picker-error-details">{problem.details}</pre>}
          </Stack>
        </Alert>
      )}
      {enabled && notice && <Alert severity="info" title={notice} />}
    </ConfigSection>
  );
}
