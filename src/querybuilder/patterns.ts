import { BuilderQuery, LabelFilter, Operation, Selector } from './model';
import { DEFAULT_RANGE } from './operations';

/** A Kick start pattern: a common query shape applied to the metric the builder already has. */
export interface QueryPattern {
  name: string;
  description: string;
  apply: (current: Selector) => BuilderQuery;
}

const rate: Operation = { kind: 'range', fn: 'rate', range: DEFAULT_RANGE, args: [] };

function sum(...by: string[]): Operation {
  return by.length ? { kind: 'aggregation', op: 'sum', grouping: { mode: 'by', labels: by } } : { kind: 'aggregation', op: 'sum' };
}

function withFilter(s: Selector, filter: LabelFilter): Selector {
  return { ...s, labels: [...s.labels.filter((f) => f.label !== filter.label), filter] };
}

/** A histogram's bucket series for its `_count` or `_sum` series; any other name is kept for the user to change. */
function bucketMetric(metric: string): string {
  return metric.replace(/_(count|sum)$/, '_bucket');
}

export const PATTERNS: QueryPattern[] = [
  {
    name: 'Rate of a counter',
    description: 'Per-second rate of a counter, summed over all series',
    apply: (s) => ({ selector: s, operations: [rate, sum()] }),
  },
  {
    name: 'Rate by label',
    description: 'Per-second rate of a counter for each job',
    apply: (s) => ({ selector: s, operations: [rate, sum('job')] }),
  },
  {
    name: 'Error ratio',
    description: 'Share of requests with a 5xx status among all requests',
    apply: (s) => ({
      selector: withFilter(s, { label: 'status', op: '=~', value: '5..' }),
      operations: [rate, sum(), { kind: 'binary', operator: '/', query: { selector: s, operations: [rate, sum()] } }],
    }),
  },
  {
    name: 'Histogram quantile',
    description: '95th percentile from the buckets of a histogram',
    apply: (s) => ({
      selector: { ...s, metric: bucketMetric(s.metric) },
      operations: [rate, sum('le'), { kind: 'function', fn: 'histogram_quantile', args: ['0.95'] }],
    }),
  },
  {
    name: 'Top N',
    description: 'The 10 instances with the highest rate',
    apply: (s) => ({
      selector: s,
      operations: [rate, sum('instance'), { kind: 'aggregation', op: 'topk', param: '10' }],
    }),
  },
];
