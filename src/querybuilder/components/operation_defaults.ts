import { SelectableValue } from '@grafana/data';

import { BuilderQuery, Operation } from '../model';
import { AGGREGATIONS, DEFAULT_RANGE, FUNCTIONS, RANGE_FUNCTIONS } from '../operations';

/** The choices of "Add operation", grouped as Grafana's builder groups them, each with the operation it adds. */
export function addOperationOptions(): Array<SelectableValue<string>> {
  return [
    { label: 'Range functions', options: RANGE_FUNCTIONS.map((d) => ({ label: d.label, value: `range:${d.fn}` })) },
    { label: 'Aggregations', options: AGGREGATIONS.map((d) => ({ label: d.label, value: `aggregation:${d.op}` })) },
    { label: 'Functions', options: FUNCTIONS.map((d) => ({ label: d.label, value: `function:${d.fn}` })) },
    {
      label: 'Binary operations',
      options: [
        { label: 'Math with a number', value: 'scalar:math' },
        { label: 'Compare with a number', value: 'scalar:compare' },
        { label: 'Operation with a query', value: 'binary:query' },
      ],
    },
  ];
}

/**
 * Adds an operation to the chain. A range function reads the selector's samples over a range, so it can only be
 * the first operation: it goes first, replacing a range function already there.
 */
export function withOperation(query: BuilderQuery, op: Operation): BuilderQuery {
  if (op.kind !== 'range') {
    return { ...query, operations: [...query.operations, op] };
  }
  const rest = query.operations[0]?.kind === 'range' ? query.operations.slice(1) : query.operations;
  return { ...query, operations: [op, ...rest] };
}

/** Whether operation `i` can swap places with its neighbour `i + delta`: a range function must stay first. */
export function canMove(query: BuilderQuery, i: number, delta: -1 | 1): boolean {
  const j = i + delta;
  if (j < 0 || j >= query.operations.length) {
    return false;
  }
  return query.operations[i].kind !== 'range' && query.operations[j].kind !== 'range';
}

/** Swaps operation `i` with its neighbour `i + delta` when allowed. */
export function moveOperation(query: BuilderQuery, i: number, delta: -1 | 1): BuilderQuery {
  if (!canMove(query, i, delta)) {
    return query;
  }
  const operations = [...query.operations];
  [operations[i], operations[i + delta]] = [operations[i + delta], operations[i]];
  return { ...query, operations };
}

/** A new operation for an "Add operation" choice, with default arguments; the other query starts from `current`. */
export function newOperation(choice: string, current: BuilderQuery): Operation | undefined {
  const [kind, name] = choice.split(':');
  switch (kind) {
    case 'range': {
      const def = RANGE_FUNCTIONS.find((d) => d.fn === name);
      return def && { kind: 'range', fn: def.fn, range: DEFAULT_RANGE, args: [...def.before, ...def.after].map((a) => a.default) };
    }
    case 'aggregation': {
      const def = AGGREGATIONS.find((d) => d.op === name);
      if (!def) {
        return undefined;
      }
      return def.param ? { kind: 'aggregation', op: def.op, param: def.param.default } : { kind: 'aggregation', op: def.op };
    }
    case 'function': {
      const def = FUNCTIONS.find((d) => d.fn === name);
      return def && { kind: 'function', fn: def.fn, args: def.args.filter((a) => !a.optional).map((a) => a.default) };
    }
    case 'scalar':
      return name === 'compare' ? { kind: 'scalar', operator: '>', value: '0' } : { kind: 'scalar', operator: '*', value: '1' };
    case 'binary':
      return { kind: 'binary', operator: '/', query: { selector: { ...current.selector, labels: [] }, operations: [] } };
  }
  return undefined;
}
