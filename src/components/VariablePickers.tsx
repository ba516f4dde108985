import React, { useEffect, useState } from 'react';

import { SelectableValue, TimeRange } from '@grafana/data';
import { Button, Field, Input, Select, Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { MATCH_OPS } from '../querybuilder/model';
import { LabelFilter } from '../variables/selector_parts';
import { NO_MARGIN } from './field_style';

/**
 * Loads a list from the workspace for the pickers, only while they are shown (`enabled`); an error leaves the
 * list empty and says why.
 */
function useWorkspaceList(load: () => Promise<string[]>, deps: unknown[], enabled: boolean) {
  const [state, setState] = useState<{ items: string[]; loading: boolean; error?: string }>({ items: [], loading: true });
  useEffect(() => {
    if (!enabled) {
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (items) => live && setState({ items, loading: false }),
      (err: Error) => live && setState({ items: [], loading: false, error: err.message })
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);
  return state;
}

const toOptions = (items: string[]): Array<SelectableValue<string>> => items.map((value) => ({ label: value, value }));

/** The workspace's metric names for the range, for a searchable metric picker. */
export function useMetricNames(datasource: DataSource, range: TimeRange, enabled: boolean) {
  return useWorkspaceList(
    () => datasource.resources.labelValues('__name__', range),
    [datasource, range.from.valueOf(), range.to.valueOf()],
    enabled
  );
}

/** The workspace's label names for the range, narrowed to series of `match` when given. */
export function useLabelNames(datasource: DataSource, range: TimeRange, match: string | undefined, enabled: boolean) {
  return useWorkspaceList(
    () => datasource.resources.labelNames(range, match || undefined).then((names) => names.filter((n) => n !== '__name__')),
    [datasource, range.from.valueOf(), range.to.valueOf(), match],
    enabled
  );
}

interface PickerProps {
  id: string;
  label: string;
  description?: string;
  value: string;
  onChange: (value: string) => void;
  list: { items: string[]; loading: boolean; error?: string };
  placeholder?: string;
  width?: number;
  clearable?: boolean;
}

/** A searchable select over a workspace list that also accepts a typed value (a variable such as $job). */
export function WorkspacePicker({ id, label, description, value, onChange, list, placeholder, width = 40, clearable }: PickerProps) {
  return (
    <Field label={label} description={description} invalid={Boolean(list.error)} error={list.error} style={NO_MARGIN}>
      <Select<string>
        inputId={id}
        width={width}
        options={toOptions(list.items)}
        value={value ? { label: value, value } : null}
        onChange={(option) => onChange(option?.value ?? '')}
        isLoading={list.loading}
        allowCustomValue
        isClearable={clearable}
        placeholder={placeholder}
      />
    </Field>
  );
}

const OPERATORS: Array<SelectableValue<LabelFilter['op']>> = MATCH_OPS.map((op) => ({ label: op, value: op }));

/** Label filter rows (label, operator, value) with add and remove, as in Grafana's variable editor. */
export function LabelFiltersEditor({
  filters,
  onChange,
  labels,
}: {
  filters: LabelFilter[];
  onChange: (filters: LabelFilter[]) => void;
  labels: { items: string[]; loading: boolean };
}) {
  const [values, setValues] = useState(filters.map((f) => f.value));
  useEffect(() => setValues(filters.map((f) => f.value)), [filters]);
  const update = (i: number, change: Partial<LabelFilter>) => onChange(filters.map((f, j) => (i === j ? { ...f, ...change } : f)));
  return (
    <Field label="Label filters" description="Only series with these labels" style={NO_MARGIN}>
      <Stack direction="column" gap={1}>
        {filters.map((f, i) => (
          <Stack key={i} direction="row" gap={1} alignItems="center">
            <Select<string>
              aria-label={`Filter ${i + 1} label`}
              width={24}
              options={toOptions(labels.items)}
              value={f.label ? { label: f.label, value: f.label } : null}
              onChange={(option) => update(i, { label: option?.value ?? '' })}
              isLoading={labels.loading}
              allowCustomValue
              placeholder="label"
            />
            <Select<LabelFilter['op']>
              aria-label={`Filter ${i + 1} operator`}
              width={8}
              options={OPERATORS}
              value={f.op}
              onChange={(option) => update(i, { op: option.value ?? '=' })}
            />
            <Input
              aria-label={`Filter ${i + 1} value`}
              width={24}
              value={values[i] ?? ''}
              placeholder="value"
              onChange={(e) => setValues(values.map((v, j) => (i === j ? e.currentTarget.value : v)))}
              onBlur={() => values[i] !== f.value && update(i, { value: values[i] })}
            />
            <Button
              aria-label={`Remove filter ${i + 1}`}
              icon="times"
              variant="secondary"
              fill="text"
              onClick={() => onChange(filters.filter((_, j) => j !== i))}
            />
          </Stack>
        ))}
        <div>
          <Button icon="plus" variant="secondary" size="sm" onClick={() => onChange([...filters, { label: '', op: '=', value: '' }])}>
            Add filter
          </Button>
        </div>
      </Stack>
    </Field>
  );
}
