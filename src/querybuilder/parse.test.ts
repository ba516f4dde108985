import { parsePromQL } from './parse';
import { renderQuery } from './render';

function model(expr: string) {
  const r = parsePromQL(expr);
  if (!r.ok) {
    throw new Error(r.reason);
  }
  return r.query;
}

function reason(expr: string): string {
  const r = parsePromQL(expr);
  return r.ok ? '' : r.reason;
}

describe('parsePromQL', () => {
  it('reads the metric and every matcher operator', () => {
    expect(model('http_requests_total{job="api", code!="200", path=~"/api/.*", method!~"GET|HEAD"}').selector).toEqual({
      metric: 'http_requests_total',
      labels: [
        { label: 'job', op: '=', value: 'api' },
        { label: 'code', op: '!=', value: '200' },
        { label: 'path', op: '=~', value: '/api/.*' },
        { label: 'method', op: '!~', value: 'GET|HEAD' },
      ],
    });
  });

  it('unquotes escapes, single quotes and raw strings, and renders them double-quoted', () => {
    const q = model(`x{a="say \\"hi\\"", b='it\\'s', c=\`C:\\dir\`, d="\\\\d+"}`);
    expect(q.selector.labels.map((l) => l.value)).toEqual(['say "hi"', "it's", 'C:\\dir', '\\d+']);
    expect(renderQuery(q)).toBe('x{a="say \\"hi\\"", b="it\'s", c="C:\\\\dir", d="\\\\d+"}');
  });

  it('reads and writes back UTF-8 label names, which need quotes', () => {
    const q = model('sum by ("http.route") (up{"http.status"="200"})');
    expect(q.selector.labels).toEqual([{ label: 'http.status', op: '=', value: '200' }]);
    expect(q.operations).toEqual([{ kind: 'aggregation', op: 'sum', grouping: { mode: 'by', labels: ['http.route'] } }]);
    expect(renderQuery(q)).toBe('sum by ("http.route") (up{"http.status"="200"})');
  });

  it('takes __name__ as the metric', () => {
    expect(renderQuery(model('{__name__="up", job="x"}'))).toBe('up{job="x"}');
  });

  it('builds the operation chain innermost first', () => {
    expect(model('sum by (status) (rate(x[$__rate_interval]))').operations).toEqual([
      { kind: 'range', fn: 'rate', range: '$__rate_interval', args: [] },
      { kind: 'aggregation', op: 'sum', grouping: { mode: 'by', labels: ['status'] } },
    ]);
  });

  it('reads binary operations between queries with on, ignoring, group_left and group_right', () => {
    const q = model('a * on (x, y) group_left (z) b');
    expect(q.operations).toEqual([
      {
        kind: 'binary',
        operator: '*',
        matching: { card: 'on', labels: ['x', 'y'], group: 'left', include: ['z'] },
        query: { selector: { metric: 'b', labels: [] }, operations: [] },
      },
    ]);
    expect(renderQuery(model('a + ignoring (code) group_right b'))).toBe('a + ignoring (code) group_right b');
    expect(renderQuery(model('a > bool b'))).toBe('a > bool b');
  });

  it('reads scalars on either side, negative numbers and bool', () => {
    expect(model('1 - x').operations).toEqual([{ kind: 'scalar', operator: '-', value: '1', scalarFirst: true }]);
    expect(model('x < -0.5').operations).toEqual([{ kind: 'scalar', operator: '<', value: '-0.5' }]);
    expect(model('x == bool 0').operations).toEqual([{ kind: 'scalar', operator: '==', value: '0', bool: true }]);
  });

  it.each([
    ['rate(x[$__rate_interval])', { kind: 'range', fn: 'rate', range: '$__rate_interval', args: [] }],
    ['rate(x[${__rate_interval}])', { kind: 'range', fn: 'rate', range: '${__rate_interval}', args: [] }],
    ['rate(x[[[interval]]])', { kind: 'range', fn: 'rate', range: '[[interval]]', args: [] }],
    ['topk($n, x)', { kind: 'aggregation', op: 'topk', param: '$n' }],
    ['x > ${threshold:raw}', { kind: 'scalar', operator: '>', value: '${threshold:raw}' }],
    ['sum by ($label) (x)', { kind: 'aggregation', op: 'sum', grouping: { mode: 'by', labels: ['$label'] } }],
  ])('keeps Grafana variables: %s', (expr, op) => {
    const q = model(expr);
    expect(q.operations).toEqual([op]);
    expect(renderQuery(q)).toBe(expr);
  });

  it('keeps variables in metric names and inside strings', () => {
    const q = model('$metric{job=~"$job", instance="${instance:regex}"}');
    expect(q.selector.metric).toBe('$metric');
    expect(q.selector.labels.map((l) => l.value)).toEqual(['$job', '${instance:regex}']);
  });

  it('reads the empty query as an empty builder', () => {
    expect(model('  ')).toEqual({ selector: { metric: '', labels: [] }, operations: [] });
  });

  it.each([
    ['sum(rate(x[5m])', 'does not parse'],
    ['x offset 5m', 'offset'],
    ['x @ 1700000000', '@ modifier'],
    ['max_over_time(rate(x[5m])[1h:1m])', 'subqueries'],
    ['x[5m]', 'range function'],
    ['-x', 'negated'],
    ['1 + 2', 'two numbers'],
    ['vector(1)', 'vector'],
    ['label_join(x, "a", ",", "b", "c")', 'label_join'],
    ['x > (25 / 100)', 'two numbers'],
    ['topk(x, y)', 'number or a variable'],
    ['rate(sum(x)[5m:])', 'subqueries'],
    ['limitk(2, x)', 'limitk'],
    ['"text"', 'string'],
    ['42', 'only a number'],
    ['{"my.metric"}', 'quoting'],
  ])('gives a one-line reason for %s', (expr, word) => {
    const text = reason(expr);
    expect(text).toContain(word);
    expect(text).not.toContain('\n');
  });
});
