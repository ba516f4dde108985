import { BuilderQuery } from './model';
import { renderQuery, renderSelector } from './render';

const x = { metric: 'x', labels: [] };

describe('renderQuery', () => {
  it('renders an empty selector and label-only selectors', () => {
    expect(renderSelector({ metric: '', labels: [] })).toBe('{}');
    expect(renderSelector({ metric: '', labels: [{ label: 'job', op: '=', value: 'a' }] })).toBe('{job="a"}');
    // A filter row whose label is not chosen yet is left out rather than rendered invalid.
    expect(renderSelector({ metric: 'up', labels: [{ label: '', op: '=', value: '' }] })).toBe('up');
  });

  it('quotes label names outside the legacy character set', () => {
    expect(renderSelector({ metric: 'up', labels: [{ label: 'http.status', op: '=', value: '200' }] })).toBe(
      'up{"http.status"="200"}'
    );
  });

  it('adds parentheses only where precedence needs them', () => {
    const chain = (...ops: BuilderQuery['operations']): string => renderQuery({ selector: x, operations: ops });
    expect(chain({ kind: 'scalar', operator: '+', value: '1' }, { kind: 'scalar', operator: '*', value: '2' })).toBe('(x + 1) * 2');
    expect(chain({ kind: 'scalar', operator: '*', value: '2' }, { kind: 'scalar', operator: '+', value: '1' })).toBe('x * 2 + 1');
    expect(chain({ kind: 'scalar', operator: '-', value: '1', scalarFirst: true }, { kind: 'scalar', operator: '*', value: '100', scalarFirst: true })).toBe(
      '100 * (1 - x)'
    );
    expect(chain({ kind: 'scalar', operator: '^', value: '2' }, { kind: 'scalar', operator: '^', value: '3' })).toBe('(x ^ 2) ^ 3');
    const y: BuilderQuery = { selector: { metric: 'y', labels: [] }, operations: [{ kind: 'scalar', operator: '-', value: '1' }] };
    expect(chain({ kind: 'binary', operator: '/', query: y })).toBe('x / (y - 1)');
    expect(chain({ kind: 'binary', operator: '-', query: y })).toBe('x - (y - 1)');
    expect(chain({ kind: 'binary', operator: 'or', query: y })).toBe('x or y - 1');
  });

  it('renders ranges, arguments and groupings', () => {
    expect(
      renderQuery({
        selector: x,
        operations: [
          { kind: 'range', fn: 'quantile_over_time', range: '1h', args: ['0.9'] },
          { kind: 'function', fn: 'label_replace', args: ['dst', '$1', 'src', '(.*)'] },
          { kind: 'aggregation', op: 'count_values', param: 'v', grouping: { mode: 'without', labels: ['a', 'b'] } },
        ],
      })
    ).toBe('count_values without (a, b) ("v", label_replace(quantile_over_time(0.9, x[1h]), "dst", "$1", "src", "(.*)"))');
    expect(renderQuery({ selector: x, operations: [{ kind: 'range', fn: 'predict_linear', range: '6h', args: ['14400'] }] })).toBe(
      'predict_linear(x[6h], 14400)'
    );
  });
});
