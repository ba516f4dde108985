import { BuilderQuery } from '../model';
import { renderQuery } from '../render';

import { addOperationOptions, canMove, moveOperation, newOperation, withOperation } from './operation_defaults';

const base: BuilderQuery = { selector: { metric: 'x', labels: [{ label: 'job', op: '=', value: 'a' }] }, operations: [] };

function add(q: BuilderQuery, choice: string): BuilderQuery {
  const op = newOperation(choice, q);
  if (!op) {
    throw new Error(`no operation for ${choice}`);
  }
  return withOperation(q, op);
}

describe('adding operations', () => {
  it('offers every operation of the menu with defaults that render valid PromQL', () => {
    for (const group of addOperationOptions()) {
      for (const option of group.options ?? []) {
        expect(renderQuery(add(base, option.value))).not.toContain('undefined');
      }
    }
  });

  it('range functions default to $__rate_interval and always go first', () => {
    let q = add(base, 'aggregation:sum');
    q = add(q, 'range:rate');
    expect(renderQuery(q)).toBe('sum(rate(x{job="a"}[$__rate_interval]))');
    q = add(q, 'range:increase');
    expect(renderQuery(q)).toBe('sum(increase(x{job="a"}[$__rate_interval]))');
  });

  it('an operation with a query starts from the same metric without filters', () => {
    expect(renderQuery(add(base, 'binary:query'))).toBe('x{job="a"} / x');
  });

  it('functions and aggregations get their default parameters', () => {
    expect(renderQuery(add(base, 'function:histogram_quantile'))).toBe('histogram_quantile(0.95, x{job="a"})');
    expect(renderQuery(add(base, 'aggregation:topk'))).toBe('topk(5, x{job="a"})');
    expect(renderQuery(add(base, 'function:round'))).toBe('round(x{job="a"})');
    expect(renderQuery(add(base, 'scalar:compare'))).toBe('x{job="a"} > 0');
  });
});

describe('moving operations', () => {
  it('swaps neighbours, keeps a range function first and stays inside the chain', () => {
    const q = add(add(add(base, 'range:rate'), 'aggregation:sum'), 'scalar:math');
    expect(canMove(q, 0, 1)).toBe(false);
    expect(canMove(q, 1, -1)).toBe(false);
    expect(canMove(q, 2, 1)).toBe(false);
    expect(renderQuery(moveOperation(q, 1, -1))).toBe(renderQuery(q));
    expect(renderQuery(moveOperation(q, 2, -1))).toBe('sum(rate(x{job="a"}[$__rate_interval]) * 1)');
  });
});
