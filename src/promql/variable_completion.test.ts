import { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';

import { variableCompletionSource } from './variable_completion';

const source = variableCompletionSource(() => ['job', 'window', '__internal']);

/** Completes at the `|` of `doc`. */
function complete(doc: string, explicit = false): CompletionResult | null {
  const pos = doc.indexOf('|');
  const state = EditorState.create({ doc: doc.replace('|', '') });
  return source(new CompletionContext(state, pos, explicit)) as CompletionResult | null;
}

const labels = (r: CompletionResult | null) => r?.options.map((o) => o.label);

describe('variableCompletionSource', () => {
  it('offers the range variables and dashboard variables right after [', () => {
    const r = complete('rate(x[|');
    expect(r?.from).toBe(7);
    expect(labels(r)).toEqual(['$__rate_interval', '$__interval', '$__range', '$job', '$window']);
  });

  it('keeps offering them while a $ name is typed in a range', () => {
    const r = complete('sum(rate(x{job="api"}[$__ra|');
    expect(r?.from).toBe(22);
    expect(labels(r)).toContain('$__rate_interval');
  });

  it('offers them after a subquery colon and after offset', () => {
    expect(labels(complete('max_over_time(x[1h:|'))).toContain('$__interval');
    expect(labels(complete('x offset |'))).toContain('$__range');
  });

  it('offers every time variable and the dashboard variables where a $ is typed elsewhere', () => {
    const r = complete('x / $|');
    expect(r?.from).toBe(4);
    expect(labels(r)).toEqual([
      '$__rate_interval',
      '$__interval',
      '$__range',
      '$__interval_ms',
      '$__range_s',
      '$__range_ms',
      '$job',
      '$window',
    ]);
  });

  it('offers dashboard variables as label values', () => {
    const r = complete('x{job="$|');
    expect(r?.from).toBe(7);
    expect(labels(r)).toEqual(['$job', '$window']);
    expect(labels(complete('x{job=~"|', true))).toEqual(['$job', '$window']);
  });

  it('stays out of the way elsewhere', () => {
    expect(complete('sum(x|')).toBeNull();
    expect(complete('x{job="ap|')).toBeNull();
  });
});
