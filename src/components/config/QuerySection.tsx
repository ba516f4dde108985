import React from 'react';

import { SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup, Select } from '@grafana/ui';

import { RESULT_LIMIT } from '../../resources/resource_client';
import { CacheLevel, PromEditorMode } from '../../types';

import { ConfigSection, ConfigSubSection } from './ConfigSection';
import { NumberField, SwitchField, TextField } from './fields';
import { LABEL_WIDTH, SectionProps, withJsonData } from './settings_props';

type HttpMethod = 'GET' | 'POST';

const METHOD_OPTIONS: Array<SelectableValue<HttpMethod>> = [
  { label: 'POST', value: 'POST', description: 'Parameters in the request body (recommended)' },
  { label: 'GET', value: 'GET', description: 'Parameters in the URL' },
];

const EDITOR_OPTIONS: Array<SelectableValue<PromEditorMode>> = [
  { label: 'Builder', value: 'builder' },
  { label: 'Code', value: 'code' },
];

export const CACHE_LEVEL_OPTIONS: Array<SelectableValue<CacheLevel>> = [
  { label: 'Low', value: 'Low', description: 'Reuse lookups for 1 minute' },
  { label: 'Medium', value: 'Medium', description: 'Reuse lookups for 10 minutes' },
  { label: 'High', value: 'High', description: 'Reuse lookups for 60 minutes' },
  { label: 'None', value: 'None', description: 'Ask the workspace every time' },
];

const wholeSamples = (n: number) => (n < 0 || !Number.isInteger(n) ? 'Enter a whole number of samples, 0 turns it off' : undefined);

/** Query behaviour: intervals and timeouts, the query editor, editor lookups, AMP's cost guards and statistics. */
export function QuerySection(props: SectionProps) {
  const { options, onOptionsChange } = props;
  const jsonData = options.jsonData;
  const lookupsOff = Boolean(jsonData.disableMetricsLookup);

  return (
    <ConfigSection title="Query" description="How queries are sent and how the query editor looks up metrics and labels.">
      <TextField
        {...props}
        field="timeInterval"
        label="Scrape interval"
        tooltip="The smallest step queries use and the base of $__rate_interval; set it to the scrape interval of your collectors. Default 15s."
        placeholder="15s"
        duration
      />
      <TextField
        {...props}
        field="queryTimeout"
        label="Query timeout"
        tooltip="Sent to AMP as the timeout parameter of every query. AMP stops queries after 2 minutes regardless."
        placeholder="60s"
        duration
      />
      <InlineField label="HTTP method" labelWidth={LABEL_WIDTH} tooltip="POST keeps long queries out of the URL; AMP accepts both.">
        <RadioButtonGroup<HttpMethod>
          aria-label="HTTP method"
          options={METHOD_OPTIONS}
          value={jsonData.httpMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST'}
          onChange={(method) => onOptionsChange(withJsonData(options, 'httpMethod', method))}
        />
      </InlineField>
      <TextField
        {...props}
        field="customQueryParameters"
        label="Custom query parameters"
        tooltip="Added to every request in URL query syntax, e.g. dedup=false&partial_response=true."
        placeholder="key=value&key2=value2"
      />

      <ConfigSubSection title="Query editor">
        <InlineField
          label="Default editor"
          labelWidth={LABEL_WIDTH}
          tooltip="Saved with new queries, so Grafana's Prometheus data source opens them in this editor. This plugin edits PromQL as code."
        >
          <RadioButtonGroup<PromEditorMode>
            aria-label="Default editor"
            options={EDITOR_OPTIONS}
            value={jsonData.defaultEditor ?? 'builder'}
            onChange={(mode) => onOptionsChange(withJsonData(options, 'defaultEditor', mode))}
          />
        </InlineField>
        <SwitchField
          {...props}
          field="disableMetricsLookup"
          label="Disable metrics lookup"
          tooltip="Turns off metric and label completion in the query editor, for workspaces so large that lookups are slow."
        />
        <NumberField
          {...props}
          field="seriesLimit"
          label="Series limit"
          tooltip={`The most metric names, labels or series one editor lookup asks for. Default ${RESULT_LIMIT}; 0 removes the limit.`}
          placeholder={String(RESULT_LIMIT)}
          check={(n) => (n < 0 || !Number.isInteger(n) ? 'Enter a whole number, 0 removes the limit' : undefined)}
        />
        <SwitchField
          {...props}
          field="seriesEndpoint"
          label="Use series endpoint"
          tooltip="Label value lookups filtered by a selector read api/v1/series instead of the label values API."
        />
        <InlineField
          label="Cache level"
          labelWidth={LABEL_WIDTH}
          tooltip="How long the query editor reuses metric and label lookups before asking the workspace again."
          disabled={lookupsOff}
        >
          <Select<CacheLevel>
            inputId="amp-cacheLevel"
            width={20}
            options={CACHE_LEVEL_OPTIONS}
            value={jsonData.cacheLevel ?? 'Low'}
            onChange={(option) => onOptionsChange(withJsonData(options, 'cacheLevel', option.value))}
          />
        </InlineField>
      </ConfigSubSection>

      <ConfigSubSection
        title="Incremental querying"
        description="Read by the backend's query cache: repeated dashboard refreshes ask only for the new part of the time range."
      >
        <SwitchField
          {...props}
          field="incrementalQuerying"
          label="Incremental querying"
          tooltip="Reuse cached results of earlier refreshes and query only the time not covered yet."
        />
        <TextField
          {...props}
          field="incrementalQueryOverlapWindow"
          label="Query overlap window"
          tooltip="How much of the cached range is queried again, for late samples. Default 10m."
          placeholder="10m"
          duration
          disabled={!jsonData.incrementalQuerying}
        />
      </ConfigSubSection>

      <ConfigSubSection title="AMP cost guards and statistics">
        <NumberField
          {...props}
          field="maxSamplesProcessedWarningThreshold"
          label="Samples warning threshold"
          tooltip="AMP warns about queries that process more samples; 0 or empty turns it off."
          placeholder="0"
          check={wholeSamples}
        />
        <NumberField
          {...props}
          field="maxSamplesProcessedErrorThreshold"
          label="Samples error threshold"
          tooltip="AMP rejects queries that process more samples; 0 or empty turns it off."
          placeholder="0"
          check={wholeSamples}
        />
        <SwitchField
          {...props}
          field="queryStatsEnabled"
          label="Query statistics"
          tooltip="Ask for and show the number of samples each query processed."
        />
      </ConfigSubSection>
    </ConfigSection>
  );
}
