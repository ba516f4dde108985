import React from 'react';

import { SelectableValue } from '@grafana/data';
import { Box, Checkbox, IconButton, RadioButtonGroup, Select, Stack, Text } from '@grafana/ui';

import { MetricsCatalog } from '../metrics_catalog';
import { BinaryOperator, Grouping, Operation, VectorMatching } from '../model';
import {
  AGGREGATION_BY_NAME,
  ARITHMETIC,
  ArgDef,
  COMPARISON,
  definitionLabel,
  FUNCTION_BY_NAME,
  isComparison,
  RANGE_FUNCTION_BY_NAME,
  SET_OPERATORS,
} from '../operations';

import { CommitInput, LabelListInput } from './CommitInput';
import { QueryBuilder } from './QueryBuilder';

interface Props {
  op: Operation;
  index: number;
  catalog: MetricsCatalog;
  idPrefix: string;
  ariaPrefix: string;
  onChange: (op: Operation) => void;
  onRemove: () => void;
  /** Moves the operation one place earlier (-1) or later (1). */
  onMove: (delta: -1 | 1) => void;
  /** Whether `onMove` can move it that way; the button is hidden otherwise. */
  canMove: (delta: -1 | 1) => boolean;
}

const operatorOptions = (ops: BinaryOperator[]): Array<SelectableValue<BinaryOperator>> =>
  ops.map((o) => ({ label: o, value: o }));

function title(op: Operation): string {
  switch (op.kind) {
    case 'scalar':
      return isComparison(op.operator) ? 'Compare with a number' : 'Math with a number';
    case 'binary':
      return 'Operation with a query';
    default:
      return definitionLabel(op);
  }
}

function ArgInput(props: { def: ArgDef; value: string; label: string; width?: number; onCommit: (v: string) => void }) {
  return (
    <Stack direction="row" gap={0.5} alignItems="center">
      <Text variant="bodySmall" color="secondary">
        {props.def.name}
      </Text>
      <CommitInput aria-label={props.label} width={props.width ?? (props.def.type === 'string' ? 16 : 10)} value={props.value} onCommit={props.onCommit} />
    </Stack>
  );
}

function GroupingEditor(props: { grouping?: Grouping; label: string; onChange: (g?: Grouping) => void }) {
  const mode = props.grouping?.mode ?? 'none';
  return (
    <Stack direction="row" gap={0.5} alignItems="center">
      <RadioButtonGroup<'none' | 'by' | 'without'>
        size="sm"
        aria-label={`${props.label} grouping`}
        options={[
          { label: 'all', value: 'none' },
          { label: 'by', value: 'by' },
          { label: 'without', value: 'without' },
        ]}
        value={mode}
        onChange={(m) => props.onChange(m === 'none' ? undefined : { mode: m, labels: props.grouping?.labels ?? [] })}
      />
      {props.grouping && (
        <LabelListInput
          aria-label={`${props.label} labels`}
          labels={props.grouping.labels}
          onCommit={(labels) => props.onChange({ mode: props.grouping!.mode, labels })}
        />
      )}
    </Stack>
  );
}

function MatchingEditor(props: { matching?: VectorMatching; label: string; onChange: (m?: VectorMatching) => void }) {
  const m = props.matching ?? { labels: [], include: [] };
  const set = (next: VectorMatching) => props.onChange(next.card || next.group ? next : undefined);
  return (
    <Stack direction="row" gap={0.5} alignItems="center" wrap="wrap">
      <RadioButtonGroup<'all' | 'on' | 'ignoring'>
        size="sm"
        aria-label={`${props.label} matching`}
        options={[
          { label: 'all labels', value: 'all' },
          { label: 'on', value: 'on' },
          { label: 'ignoring', value: 'ignoring' },
        ]}
        value={m.card ?? 'all'}
        onChange={(card) => set({ ...m, card: card === 'all' ? undefined : card })}
      />
      {m.card && <LabelListInput aria-label={`${props.label} matching labels`} labels={m.labels} onCommit={(labels) => set({ ...m, labels })} />}
      <RadioButtonGroup<'none' | 'left' | 'right'>
        size="sm"
        aria-label={`${props.label} grouping side`}
        options={[
          { label: 'one-to-one', value: 'none' },
          { label: 'group_left', value: 'left' },
          { label: 'group_right', value: 'right' },
        ]}
        value={m.group ?? 'none'}
        onChange={(g) => set({ ...m, group: g === 'none' ? undefined : g })}
      />
      {m.group && (
        <LabelListInput aria-label={`${props.label} copied labels`} labels={m.include} onCommit={(include) => set({ ...m, include })} />
      )}
    </Stack>
  );
}

function Body({ op, index, catalog, idPrefix, ariaPrefix, onChange }: Props) {
  const label = `${ariaPrefix}Operation ${index + 1}`;
  switch (op.kind) {
    case 'range': {
      const def = RANGE_FUNCTION_BY_NAME.get(op.fn);
      const args = [...(def?.before ?? []), ...(def?.after ?? [])];
      return (
        <Stack direction="row" gap={1} wrap="wrap">
          <ArgInput
            def={{ name: 'range', type: 'number', default: '' }}
            label={`${label} range`}
            width={18}
            value={op.range}
            onCommit={(range) => onChange({ ...op, range })}
          />
          {args.map((a, i) => (
            <ArgInput
              key={a.name}
              def={a}
              label={`${label} ${a.name}`}
              value={op.args[i] ?? ''}
              onCommit={(v) => onChange({ ...op, args: op.args.map((old, j) => (j === i ? v : old)) })}
            />
          ))}
        </Stack>
      );
    }
    case 'function': {
      const def = FUNCTION_BY_NAME.get(op.fn);
      return (
        <Stack direction="row" gap={1} wrap="wrap">
          {(def?.args ?? []).map((a, i) => (
            <ArgInput
              key={a.name}
              def={a}
              label={`${label} ${a.name}`}
              value={op.args[i] ?? ''}
              onCommit={(v) => {
                const args = [...op.args];
                args[i] = v;
                // An optional last argument left empty is dropped: round(x) rather than round(x, ).
                onChange({ ...op, args: v === '' && a.optional ? args.slice(0, i) : args });
              }}
            />
          ))}
        </Stack>
      );
    }
    case 'aggregation': {
      const def = AGGREGATION_BY_NAME.get(op.op);
      return (
        <Stack direction="column" gap={0.5}>
          {def?.param && (
            <ArgInput def={def.param} label={`${label} ${def.param.name}`} value={op.param ?? ''} onCommit={(param) => onChange({ ...op, param })} />
          )}
          <GroupingEditor label={label} grouping={op.grouping} onChange={(grouping) => onChange({ ...op, grouping })} />
        </Stack>
      );
    }
    case 'scalar': {
      const compare = isComparison(op.operator);
      return (
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          <Select<BinaryOperator>
            aria-label={`${label} operator`}
            width={8}
            options={operatorOptions(compare ? COMPARISON : ARITHMETIC)}
            value={op.operator}
            onChange={(o) => onChange({ ...op, operator: o.value ?? op.operator })}
          />
          <CommitInput aria-label={`${label} number`} width={10} value={op.value} onCommit={(value) => onChange({ ...op, value })} />
          {compare && <Checkbox label="bool" value={Boolean(op.bool)} onChange={() => onChange({ ...op, bool: !op.bool || undefined })} />}
          <Checkbox
            label="number first"
            value={Boolean(op.scalarFirst)}
            onChange={() => onChange({ ...op, scalarFirst: !op.scalarFirst || undefined })}
          />
        </Stack>
      );
    }
    case 'binary':
      return (
        <Stack direction="column" gap={1}>
          <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
            <Select<BinaryOperator>
              aria-label={`${label} operator`}
              width={10}
              options={operatorOptions([...ARITHMETIC, ...COMPARISON, ...SET_OPERATORS])}
              value={op.operator}
              onChange={(o) => onChange({ ...op, operator: o.value ?? op.operator, bool: isComparison(o.value ?? op.operator) ? op.bool : undefined })}
            />
            {isComparison(op.operator) && (
              <Checkbox label="bool" value={Boolean(op.bool)} onChange={() => onChange({ ...op, bool: !op.bool || undefined })} />
            )}
          </Stack>
          <MatchingEditor label={label} matching={op.matching} onChange={(matching) => onChange({ ...op, matching })} />
          <Box paddingLeft={2} borderStyle="dashed" borderColor="weak" padding={1}>
            <QueryBuilder
              query={op.query}
              catalog={catalog}
              idPrefix={`${idPrefix}-q${index}`}
              ariaPrefix={`${label} query: `}
              onChange={(query) => onChange({ ...op, query })}
            />
          </Box>
        </Stack>
      );
  }
}

/** One operation of the chain as a card: its name, its arguments, and a remove button. */
export function OperationCard(props: Props) {
  const name = title(props.op);
  return (
    <Box borderStyle="solid" borderColor="weak" borderRadius="default" padding={1} backgroundColor="secondary">
      <Stack direction="column" gap={1}>
        <Stack direction="row" justifyContent="space-between" alignItems="center">
          <Text weight="medium">{name}</Text>
          <Stack direction="row" gap={0}>
            {props.canMove(-1) && (
              <IconButton name="angle-left" size="sm" tooltip={`${props.ariaPrefix}Move ${name} earlier`} onClick={() => props.onMove(-1)} />
            )}
            {props.canMove(1) && (
              <IconButton name="angle-right" size="sm" tooltip={`${props.ariaPrefix}Move ${name} later`} onClick={() => props.onMove(1)} />
            )}
            <IconButton name="times" size="sm" tooltip={`${props.ariaPrefix}Remove ${name}`} onClick={props.onRemove} />
          </Stack>
        </Stack>
        <section aria-label={`${props.ariaPrefix}Operation ${props.index + 1}: ${name}`}>
          <Body {...props} />
        </section>
      </Stack>
    </Box>
  );
}
