import { lintPromQL } from './lint';

const messages = (q: string) => lintPromQL(q).map((d) => d.message);

describe('lintPromQL', () => {
  it.each([
    'sum by (status) (rate(x{job="$job"}[$__rate_interval]))',
    'rate(x[$__interval])',
    'rate(x[${__rate_interval}])',
    'sum(increase(x[$__range])) / $__range_s',
    'x{job=~"${job:regex}", instance="[[instance]]"}',
    'rate(x{job="$job"}[[[window]]])',
    'histogram_quantile($quantile, sum by (le) (rate(x_bucket[$__rate_interval])))',
    'topk($k, x)',
    'x offset $offset',
    'max_over_time(x[$__range:$__interval])',
    '$metric{job="a"}',
    'sum by ($label) (x)',
    'x / $__interval_ms * 1000',
    'x @ $__to',
    'x > ${threshold}',
    'round(x, $to)',
  ])('does not flag Grafana variables: %s', (q) => {
    expect(lintPromQL(q)).toEqual([]);
  });

  it('flags a grouping without parentheses, as Prometheus does', () => {
    const diagnostics = lintPromQL('sum(x) by job');
    expect(diagnostics).toEqual([
      { from: 10, to: 13, severity: 'error', message: 'unexpected identifier "job" in grouping opts, expected "("' },
    ]);
  });

  it.each([
    ['rate(x[5m]', 'unclosed left parenthesis'],
    ['sum(rate(x[5m])', 'unclosed left parenthesis'],
    ['x)', "unexpected right parenthesis ')'"],
    ['x{a=}', 'unexpected "}" in label matching, expected string'],
    ['x{a="b"', 'unexpected end of input inside braces'],
    ['rate(x[])', 'unexpected "]" in range selector, expected a duration such as 5m or $__rate_interval'],
    ['1 +', 'unexpected end of input'],
    ['foo bar', 'unexpected identifier "bar"'],
    ['sum(x) by (job', 'unexpected end of input in grouping opts, expected label or ")"'],
    ['rate(x{job="$job"}[$__rate_interval]) by job', 'unexpected identifier "by"'],
  ])('flags %s', (q, message) => {
    expect(messages(q)).toEqual([message]);
  });

  it('keeps the library checks on types and arguments', () => {
    const want = 'expected type range vector in call to function "rate", got instant vector';
    expect(messages('rate(x)')).toEqual([want]);
    expect(messages('rate(x{job="$job"})')).toEqual([want]);
    expect(messages('max_over_time(rate(x[5m])[1h:])')).toEqual([]);
    expect(messages('sum(rate(x[5m])[5m:])')).toEqual(['expected type instant vector in aggregation expression, got range vector']);
  });

  it('checks the whole of a query longer than a first parse covers', () => {
    const long = Array.from({ length: 300 }, (_, i) => `sum(x_${i})`).join(' + ');
    expect(messages(`${long} + rate(x)`)).toEqual(['expected type range vector in call to function "rate", got instant vector']);
  });

  it('marks the position in the original text, variables included', () => {
    const q = 'sum(rate(x{job="$job"}[$__rate_interval])) by job';
    const [d] = lintPromQL(q);
    expect(q.slice(d.from, d.to)).toBe('job');
  });

  it('says nothing about an empty query', () => {
    expect(lintPromQL('   ')).toEqual([]);
  });
});
