import React, { useEffect, useState } from 'react';

import { AdHocVariableFilter, MetricFindValue, Scope, SelectableValue, TimeRange } from '@grafana/data';
import { Button, Field, InlineSwitch, MultiSelect, Select, Stack, Tag } from '@grafana/ui';

import { NO_MARGIN } from '../../../components/field_style';
import { DataSource } from '../../../datasource';

/** What a dashboard adds to every request: ad-hoc filters, group-by keys and scopes. */
export interface Controls {
  filters: AdHocVariableFilter[];
  groupByKeys: string[];
  scopes: Scope[];
}

/** The playground's one scope: series of the api job, as a scope node would select them. */
export const API_SCOPE = {
  metadata: { name: 'api-only' },
  spec: { title: 'api only', type: 'service', description: '', category: '', filters: [{ key: 'job', operator: 'equals', value: 'api' }] },
} as unknown as Scope;

const options = (values: MetricFindValue[]): Array<SelectableValue<string>> =>
  values.map((v) => ({ label: String(v.text), value: String(v.value ?? v.text) }));

/**
 * Grafana's dashboard controls as the data source sees them: the ad-hoc filter dropdowns (keys and values from
 * getTagKeys/getTagValues), the group-by picker and a scope.
 */
export function DashboardControls({
  datasource,
  range,
  controls,
  onChange,
}: {
  datasource: DataSource;
  range: TimeRange;
  controls: Controls;
  onChange: (c: Controls) => void;
}) {
  const [keys, setKeys] = useState<MetricFindValue[]>([]);
  const [values, setValues] = useState<MetricFindValue[]>([]);
  const [key, setKey] = useState('');
  useEffect(() => {
    datasource.getTagKeys({ filters: controls.filters, timeRange: range }).then(setKeys, () => setKeys([]));
  }, [datasource, range, controls.filters]);
  useEffect(() => {
    if (key) {
      datasource.getTagValues({ key, filters: controls.filters, timeRange: range }).then(setValues, () => setValues([]));
    }
  }, [datasource, range, key, controls.filters]);

  return (
    <section aria-label="Dashboard controls">
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
        <Field label="Filter" style={NO_MARGIN}>
          <Stack direction="row" gap={1}>
            <Select<string>
              inputId="playground-filter-key"
              aria-label="Filter key"
              width={20}
              options={options(keys)}
              value={key || null}
              onChange={(o) => setKey(o.value ?? '')}
              placeholder="key"
            />
            <Select<string>
              inputId="playground-filter-value"
              aria-label="Filter value"
              width={20}
              options={options(values)}
              value={null}
              disabled={!key}
              onChange={(o) => {
                onChange({ ...controls, filters: [...controls.filters, { key, operator: '=', value: o.value ?? '' }] });
                setKey('');
              }}
              placeholder="value"
            />
          </Stack>
        </Field>
        <Field label="Group by" style={NO_MARGIN}>
          <MultiSelect<string>
            inputId="playground-group-by"
            aria-label="Group by"
            width={30}
            options={options(keys)}
            value={controls.groupByKeys}
            onChange={(o) => onChange({ ...controls, groupByKeys: o.map((x) => x.value!).filter(Boolean) })}
            placeholder="keys"
          />
        </Field>
        <InlineSwitch
          id="playground-scope"
          label="Scope: api only"
          showLabel
          value={controls.scopes.length > 0}
          onChange={(e) => onChange({ ...controls, scopes: e.currentTarget.checked ? [API_SCOPE] : [] })}
        />
      </Stack>
      {controls.filters.length > 0 && (
        <Stack direction="row" gap={1} aria-label="Active filters">
          {controls.filters.map((f, i) => (
            <Tag
              key={i}
              name={`${f.key} ${f.operator} ${f.value}`}
              icon="times"
              aria-label={`Remove filter ${f.key}`}
              onClick={() => onChange({ ...controls, filters: controls.filters.filter((_, j) => j !== i) })}
            />
          ))}
        </Stack>
      )}
      <p>
        <Button size="sm" variant="secondary" fill="text" onClick={() => onChange({ filters: [], groupByKeys: [], scopes: [] })}>
          Clear dashboard controls
        </Button>
      </p>
    </section>
  );
}
