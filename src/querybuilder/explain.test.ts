import { explainTree, summarize } from './explain';
import { parsePromQL } from './parse';

function q(expr: string) {
  const r = parsePromQL(expr);
  if (!r.ok) {
    throw new Error(r.reason);
  }
  return r.query;
}

describe('Explain', () => {
  it('describes a query in one sentence', () => {
    expect(summarize(q('sum by (status) (rate(fixture_http_requests_total{job="api"}[$__rate_interval]))'))).toBe(
      'fixture_http_requests_total where job is "api": per-second rate over the last $__rate_interval, then summed by status'
    );
  });

  it('builds a tree with the outermost operation at the root and the selector at the leaf', () => {
    const tree = explainTree(q('histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))'));
    expect(tree.title).toBe('Histogram quantile');
    expect(tree.sentence).toBe('0.9 quantile estimated from the histogram buckets (le)');
    expect(tree.promql).toBe('histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))');
    const sum = tree.children[0];
    expect(sum.sentence).toBe('summed by le');
    expect(sum.promql).toBe('sum by (le) (rate(x_bucket[5m]))');
    const rate = sum.children[0];
    expect(rate.sentence).toBe('per-second rate over the last 5m');
    expect(rate.children[0]).toEqual({ title: 'Metric', promql: 'x_bucket', sentence: 'x_bucket', children: [] });
  });

  it('gives a binary operation both queries as children and describes the matching', () => {
    const tree = explainTree(q('a / on (job) group_left (team) b'));
    expect(tree.children.map((c) => c.promql)).toEqual(['a', 'b']);
    expect(tree.sentence).toBe('divided by (b), matching series on job, many-to-one copying team from the other side');
  });

  it.each([
    ['x > 0.5', 'only values where the value > 0.5'],
    ['x > bool 0.5', '1 where the value > 0.5, otherwise 0'],
    ['1 - x', 'subtracted from 1'],
    ['x * 100', 'multiplied by 100'],
    ['topk(5, x)', 'the 5 largest series'],
    ['sum without (instance) (x)', 'summed by every label except instance'],
    ['avg(x)', 'averaged across all series'],
    ['increase(x[1h])', 'increase over the last 1h'],
    ['predict_linear(x[6h], 3600)', 'value predicted 3600 seconds ahead from the trend over the last 6h'],
    ['x unless y', 'without the series that exist in (y)'],
    ['clamp(x, 0, 1)', 'kept between 0 and 1'],
  ])('%s: %s', (expr, sentence) => {
    expect(explainTree(q(expr)).sentence).toBe(sentence);
  });

  it('names the matchers of the selection', () => {
    expect(explainTree(q('up{job!="a", instance=~"b.*"}')).sentence).toBe('up where job is not "a" and instance matches "b.*"');
  });
});
