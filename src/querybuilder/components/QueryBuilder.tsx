import React from 'react';

import { Field, Label, Select, Stack } from '@grafana/ui';

import { NO_MARGIN } from '../../components/field_style';
import { MetricsCatalog } from '../metrics_catalog';
import { BuilderQuery, Operation } from '../model';

import { LabelFilters } from './LabelFilters';
import { MetricSelect } from './MetricSelect';
import { OperationCard } from './OperationCard';
import { addOperationOptions, canMove, moveOperation, newOperation, withOperation } from './operation_defaults';

interface Props {
  query: BuilderQuery;
  catalog: MetricsCatalog;
  onChange: (query: BuilderQuery) => void;
  /** Distinguishes the inputs of a nested query (the other side of a binary operation). */
  idPrefix: string;
  /** Prefix of accessible names inside a nested query, e.g. "Query of operation 2: ". */
  ariaPrefix?: string;
}

/** The visual builder: metric, label filters, and the chain of operations applied to them, innermost first. */
export function QueryBuilder({ query, catalog, onChange, idPrefix, ariaPrefix = '' }: Props) {
  const setOp = (i: number, op: Operation) =>
    onChange({ ...query, operations: query.operations.map((old, j) => (j === i ? op : old)) });
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-start">
        <Field label="Metric" htmlFor={`${idPrefix}-metric`} style={NO_MARGIN}>
          <MetricSelect
            inputId={`${idPrefix}-metric`}
            ariaLabel={`${ariaPrefix}Metric`}
            metric={query.selector.metric}
            catalog={catalog}
            onChange={(metric) => onChange({ ...query, selector: { ...query.selector, metric } })}
          />
        </Field>
        {/* Not a Field: a Field gives its id to every input inside, and these rows hold many. */}
        <Stack direction="column" gap={0}>
          <Label>Label filters</Label>
          <LabelFilters
            idPrefix={idPrefix}
            ariaPrefix={ariaPrefix}
            selector={query.selector}
            catalog={catalog}
            onChange={(labels) => onChange({ ...query, selector: { ...query.selector, labels } })}
          />
        </Stack>
      </Stack>
      <Stack direction="column" gap={0}>
        <Label>Operations</Label>
        <Stack direction="row" gap={1} wrap="wrap" alignItems="flex-start">
          {query.operations.map((op, i) => (
            <OperationCard
              key={`${i}-${op.kind}`}
              op={op}
              index={i}
              catalog={catalog}
              idPrefix={idPrefix}
              ariaPrefix={ariaPrefix}
              onChange={(next) => setOp(i, next)}
              onRemove={() => onChange({ ...query, operations: query.operations.filter((_, j) => j !== i) })}
              canMove={(delta) => canMove(query, i, delta)}
              onMove={(delta) => onChange(moveOperation(query, i, delta))}
            />
          ))}
          <Select<string>
            inputId={`${idPrefix}-add-operation`}
            aria-label={`${ariaPrefix}Add operation`}
            width={26}
            placeholder="Add operation"
            options={addOperationOptions()}
            value={null}
            onChange={(o) => {
              const op = o?.value ? newOperation(o.value, query) : undefined;
              if (op) {
                onChange(withOperation(query, op));
              }
            }}
          />
        </Stack>
      </Stack>
    </Stack>
  );
}
