import { BinaryOperator, Operation } from './model';

/** An argument of a function besides its vector: a number (or variable) or a string. */
export interface ArgDef {
  name: string;
  type: 'number' | 'string';
  default: string;
  optional?: boolean;
}

/** A function over a range vector, e.g. `rate(x[5m])`. `before`/`after` are arguments around the range vector. */
export interface RangeFunctionDef {
  fn: string;
  label: string;
  before: ArgDef[];
  after: ArgDef[];
  /** Explain phrase; `{range}` and argument names in braces are filled in. */
  explain: string;
}

/** A function over an instant vector; `vectorIndex` is where the vector goes among the arguments. */
export interface FunctionDef {
  fn: string;
  label: string;
  args: ArgDef[];
  vectorIndex: number;
  explain: string;
}

/** An aggregation operator, optionally with a parameter (`topk(5, ...)`). */
export interface AggregationDef {
  op: string;
  label: string;
  param?: ArgDef;
  explain: string;
}

/** The default range of new range functions: Grafana's rate interval, at least four scrape intervals. */
export const DEFAULT_RANGE = '$__rate_interval';

const phi: ArgDef = { name: 'quantile', type: 'number', default: '0.95' };

const overTime = (name: string, what: string): RangeFunctionDef => ({
  fn: `${name}_over_time`,
  label: `${name[0].toUpperCase()}${name.slice(1)} over time`,
  before: [],
  after: [],
  explain: `${what} over the last {range}`,
});

export const RANGE_FUNCTIONS: RangeFunctionDef[] = [
  { fn: 'rate', label: 'Rate', before: [], after: [], explain: 'per-second rate over the last {range}' },
  {
    fn: 'irate',
    label: 'Instant rate',
    before: [],
    after: [],
    explain: 'per-second rate from the last two samples within {range}',
  },
  { fn: 'increase', label: 'Increase', before: [], after: [], explain: 'increase over the last {range}' },
  {
    fn: 'delta',
    label: 'Delta',
    before: [],
    after: [],
    explain: 'change between the first and last value over the last {range}',
  },
  { fn: 'idelta', label: 'Instant delta', before: [], after: [], explain: 'change between the last two samples within {range}' },
  {
    fn: 'deriv',
    label: 'Derivative',
    before: [],
    after: [],
    explain: 'per-second derivative (linear regression) over the last {range}',
  },
  {
    fn: 'predict_linear',
    label: 'Predict linear',
    before: [],
    after: [{ name: 'seconds', type: 'number', default: '3600' }],
    explain: 'value predicted {seconds} seconds ahead from the trend over the last {range}',
  },
  { fn: 'changes', label: 'Changes', before: [], after: [], explain: 'number of value changes over the last {range}' },
  { fn: 'resets', label: 'Resets', before: [], after: [], explain: 'number of counter resets over the last {range}' },
  overTime('avg', 'average'),
  overTime('min', 'minimum'),
  overTime('max', 'maximum'),
  overTime('sum', 'sum of all values'),
  overTime('count', 'number of samples'),
  overTime('last', 'last value'),
  overTime('stddev', 'standard deviation'),
  overTime('stdvar', 'standard variance'),
  overTime('present', '1 for every series with a sample'),
  overTime('absent', '1 if no series has a sample'),
  {
    fn: 'quantile_over_time',
    label: 'Quantile over time',
    before: [phi],
    after: [],
    explain: '{quantile} quantile of the values over the last {range}',
  },
];

const noArgs = (fn: string, label: string, explain: string): FunctionDef => ({
  fn,
  label,
  args: [],
  vectorIndex: 0,
  explain,
});

export const FUNCTIONS: FunctionDef[] = [
  {
    fn: 'histogram_quantile',
    label: 'Histogram quantile',
    args: [{ ...phi, default: '0.95' }],
    vectorIndex: 1,
    explain: '{quantile} quantile estimated from the histogram buckets (le)',
  },
  noArgs('abs', 'Absolute', 'absolute value'),
  noArgs('ceil', 'Ceil', 'rounded up to the nearest integer'),
  noArgs('floor', 'Floor', 'rounded down to the nearest integer'),
  {
    fn: 'round',
    label: 'Round',
    args: [{ name: 'to nearest', type: 'number', default: '1', optional: true }],
    vectorIndex: 0,
    explain: 'rounded to the nearest {to nearest}',
  },
  noArgs('sqrt', 'Square root', 'square root'),
  noArgs('exp', 'Exponential', 'e raised to the value'),
  noArgs('ln', 'Natural logarithm', 'natural logarithm'),
  noArgs('log2', 'Log2', 'base-2 logarithm'),
  noArgs('log10', 'Log10', 'base-10 logarithm'),
  noArgs('sgn', 'Sign', 'sign of the value (-1, 0 or 1)'),
  {
    fn: 'clamp_min',
    label: 'Clamp min',
    args: [{ name: 'min', type: 'number', default: '0' }],
    vectorIndex: 0,
    explain: 'raised to at least {min}',
  },
  {
    fn: 'clamp_max',
    label: 'Clamp max',
    args: [{ name: 'max', type: 'number', default: '1' }],
    vectorIndex: 0,
    explain: 'capped at {max}',
  },
  {
    fn: 'clamp',
    label: 'Clamp',
    args: [
      { name: 'min', type: 'number', default: '0' },
      { name: 'max', type: 'number', default: '1' },
    ],
    vectorIndex: 0,
    explain: 'kept between {min} and {max}',
  },
  noArgs('absent', 'Absent', '1 if no series matches, nothing otherwise'),
  noArgs('timestamp', 'Timestamp', 'timestamp of each sample'),
  noArgs('sort', 'Sort', 'sorted ascending by value'),
  noArgs('sort_desc', 'Sort descending', 'sorted descending by value'),
  {
    fn: 'label_replace',
    label: 'Label replace',
    args: [
      { name: 'destination', type: 'string', default: 'dst' },
      { name: 'replacement', type: 'string', default: '$1' },
      { name: 'source', type: 'string', default: 'src' },
      { name: 'regex', type: 'string', default: '(.*)' },
    ],
    vectorIndex: 0,
    explain: 'with label "{destination}" set to "{replacement}" from "{source}" matching "{regex}"',
  },
];

export const AGGREGATIONS: AggregationDef[] = [
  { op: 'sum', label: 'Sum', explain: 'summed' },
  { op: 'avg', label: 'Average', explain: 'averaged' },
  { op: 'min', label: 'Min', explain: 'minimum' },
  { op: 'max', label: 'Max', explain: 'maximum' },
  { op: 'count', label: 'Count', explain: 'number of series' },
  { op: 'group', label: 'Group', explain: 'one series of value 1' },
  { op: 'stddev', label: 'Std deviation', explain: 'standard deviation' },
  { op: 'stdvar', label: 'Std variance', explain: 'standard variance' },
  { op: 'topk', label: 'Top K', param: { name: 'k', type: 'number', default: '5' }, explain: 'the {k} largest series' },
  {
    op: 'bottomk',
    label: 'Bottom K',
    param: { name: 'k', type: 'number', default: '5' },
    explain: 'the {k} smallest series',
  },
  { op: 'quantile', label: 'Quantile', param: phi, explain: '{quantile} quantile across series' },
  {
    op: 'count_values',
    label: 'Count values',
    param: { name: 'label', type: 'string', default: 'value' },
    explain: 'number of series per distinct value, stored in label "{label}"',
  },
];

export const RANGE_FUNCTION_BY_NAME = new Map(RANGE_FUNCTIONS.map((d) => [d.fn, d]));
export const FUNCTION_BY_NAME = new Map(FUNCTIONS.map((d) => [d.fn, d]));
export const AGGREGATION_BY_NAME = new Map(AGGREGATIONS.map((d) => [d.op, d]));

/** The label of a function or aggregation, as its definition names it (its PromQL name when it has none). */
export function definitionLabel(op: Extract<Operation, { kind: 'range' | 'function' | 'aggregation' }>): string {
  switch (op.kind) {
    case 'range':
      return RANGE_FUNCTION_BY_NAME.get(op.fn)?.label ?? op.fn;
    case 'function':
      return FUNCTION_BY_NAME.get(op.fn)?.label ?? op.fn;
    case 'aggregation':
      return AGGREGATION_BY_NAME.get(op.op)?.label ?? op.op;
  }
}

/** Binding strength of binary operators, as in Prometheus: higher binds tighter. `^` is right-associative. */
export const PRECEDENCE: Record<BinaryOperator, number> = {
  '^': 6,
  '*': 5,
  '/': 5,
  '%': 5,
  '+': 4,
  '-': 4,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  and: 2,
  unless: 2,
  or: 1,
};

export const ARITHMETIC: BinaryOperator[] = ['+', '-', '*', '/', '%', '^'];
export const COMPARISON: BinaryOperator[] = ['==', '!=', '>', '<', '>=', '<='];
export const SET_OPERATORS: BinaryOperator[] = ['and', 'or', 'unless'];

/** Whether an operator compares values (and so accepts `bool`). */
export function isComparison(op: BinaryOperator): boolean {
  return COMPARISON.includes(op);
}

/** Fills `{name}` placeholders of an explain template. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (m, key: string) => values[key] ?? m);
}
