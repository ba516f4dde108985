import { PATTERNS } from './patterns';
import { renderQuery } from './render';

const counter = { metric: 'fixture_http_requests_total', labels: [{ label: 'job', op: '=' as const, value: 'api' }] };

function apply(name: string, selector = counter): string {
  const pattern = PATTERNS.find((p) => p.name === name);
  if (!pattern) {
    throw new Error(`no pattern ${name}`);
  }
  return renderQuery(pattern.apply(selector));
}

describe('Kick start patterns', () => {
  it('rate of a counter', () => {
    expect(apply('Rate of a counter')).toBe('sum(rate(fixture_http_requests_total{job="api"}[$__rate_interval]))');
  });

  it('error ratio divides the 5xx rate by the whole rate', () => {
    expect(apply('Error ratio')).toBe(
      'sum(rate(fixture_http_requests_total{job="api", status=~"5.."}[$__rate_interval])) / sum(rate(fixture_http_requests_total{job="api"}[$__rate_interval]))'
    );
  });

  it('histogram quantile reads the bucket series of a histogram', () => {
    expect(apply('Histogram quantile', { metric: 'fixture_request_duration_seconds_count', labels: [] })).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(fixture_request_duration_seconds_bucket[$__rate_interval])))'
    );
    expect(apply('Histogram quantile', { metric: 'fixture_request_duration_seconds_bucket', labels: [] })).toContain(
      'fixture_request_duration_seconds_bucket['
    );
    // Not a histogram series: the metric stays for the user to change rather than becoming a name that does not exist.
    expect(apply('Histogram quantile')).toContain('(rate(fixture_http_requests_total{job="api"}[');
  });

  it('top N', () => {
    expect(apply('Top N')).toBe('topk(10, sum by (instance) (rate(fixture_http_requests_total{job="api"}[$__rate_interval])))');
  });
});
