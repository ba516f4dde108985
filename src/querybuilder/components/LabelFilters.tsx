import React, { useState } from 'react';

import { SelectableValue } from '@grafana/data';
import { Button, IconButton, MultiSelect, Select, Stack } from '@grafana/ui';

import { escapeRegex } from '../../macros';
import { matchSelector, MetricsCatalog } from '../metrics_catalog';
import { LabelFilter, MATCH_OPS, MatchOp, Selector } from '../model';

interface Props {
  selector: Selector;
  catalog: MetricsCatalog;
  onChange: (labels: LabelFilter[]) => void;
  idPrefix: string;
  ariaPrefix: string;
}

const OP_OPTIONS: Array<SelectableValue<MatchOp>> = MATCH_OPS.map((op) => ({ label: op, value: op }));

type Load = 'idle' | 'loading' | 'error';

/** The alternatives of a regex value, split at unescaped `|` (joining them again gives the value back). */
export function alternatives(value: string): string[] {
  return value === '' ? [] : value.split(/(?<!\\)\|/);
}

function toOptions(values: string[]): Array<SelectableValue<string>> {
  return values.map((v) => ({ label: v, value: v }));
}

/** One label filter row: label, operator and value, each picked from the workspace or typed. */
function FilterRow(props: {
  filter: LabelFilter;
  index: number;
  selector: Selector;
  catalog: MetricsCatalog;
  idPrefix: string;
  ariaPrefix: string;
  onChange: (f: LabelFilter) => void;
  onRemove: () => void;
}) {
  const { filter, index, selector, catalog, idPrefix, ariaPrefix } = props;
  const [labels, setLabels] = useState<string[]>([]);
  const [values, setValues] = useState<string[]>([]);
  const [state, setState] = useState<Load>('idle');
  const others = selector.labels.filter((_, i) => i !== index);
  const match = matchSelector(selector.metric, others);

  const load = async (what: () => Promise<void>) => {
    setState('loading');
    try {
      await what();
      setState('idle');
    } catch {
      setState('error');
    }
  };

  // A regex matcher picks several values, joined as one alternation of escaped literals.
  const regex = filter.op === '=~' || filter.op === '!~';
  const valueProps = {
    inputId: `${idPrefix}-value-${index}`,
    'aria-label': `${ariaPrefix}Value ${index + 1}`,
    width: 28,
    placeholder: 'value',
    allowCustomValue: true,
    isLoading: state === 'loading',
    noOptionsMessage: state === 'error' ? 'Values could not be listed' : 'No values',
    onOpenMenu: () => {
      if (filter.label) {
        load(async () => setValues(await catalog.labelValues(filter.label, match)));
      }
    },
  };

  return (
    <Stack direction="row" gap={0.5} alignItems="center">
      <Select<string>
        inputId={`${idPrefix}-label-${index}`}
        aria-label={`${ariaPrefix}Label ${index + 1}`}
        width={20}
        placeholder="label"
        allowCustomValue
        isLoading={state === 'loading'}
        options={toOptions(labels)}
        value={filter.label ? { label: filter.label, value: filter.label } : null}
        onOpenMenu={() => load(async () => setLabels(await catalog.labelNames(match)))}
        onChange={(o) => props.onChange({ ...filter, label: o?.value ?? '' })}
      />
      <Select<MatchOp>
        aria-label={`${ariaPrefix}Operator ${index + 1}`}
        width={8}
        options={OP_OPTIONS}
        value={filter.op}
        onChange={(o) => props.onChange({ ...filter, op: o.value ?? '=' })}
      />
      {regex ? (
        <MultiSelect<string>
          {...valueProps}
          options={values.map((v) => ({ label: v, value: escapeRegex(v) }))}
          value={alternatives(filter.value).map((p) => ({ label: p.replace(/\\(.)/g, '$1'), value: p }))}
          onChange={(items) => props.onChange({ ...filter, value: items.map((i) => i.value ?? '').join('|') })}
        />
      ) : (
        <Select<string>
          {...valueProps}
          options={toOptions(values)}
          value={filter.value !== '' ? { label: filter.value, value: filter.value } : null}
          onChange={(o) => props.onChange({ ...filter, value: o?.value ?? '' })}
        />
      )}
      <IconButton name="times" tooltip={`${ariaPrefix}Remove filter ${index + 1}`} onClick={props.onRemove} />
    </Stack>
  );
}

/** The label filters of the metric selector. */
export function LabelFilters({ selector, catalog, onChange, idPrefix, ariaPrefix }: Props) {
  const set = (i: number, f: LabelFilter) => onChange(selector.labels.map((old, j) => (j === i ? f : old)));
  return (
    <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
      {selector.labels.map((f, i) => (
        <FilterRow
          key={i}
          filter={f}
          index={i}
          selector={selector}
          catalog={catalog}
          idPrefix={idPrefix}
          ariaPrefix={ariaPrefix}
          onChange={(next) => set(i, next)}
          onRemove={() => onChange(selector.labels.filter((_, j) => j !== i))}
        />
      ))}
      <Button
        size="sm"
        variant="secondary"
        icon="plus"
        aria-label={`${ariaPrefix}Add label filter`}
        onClick={() => onChange([...selector.labels, { label: '', op: '=', value: '' }])}
      >
        {selector.labels.length ? undefined : 'Label filter'}
      </Button>
    </Stack>
  );
}
