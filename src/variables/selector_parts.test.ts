import { formatSelector, parseSelector } from './selector_parts';

describe('parseSelector and formatSelector', () => {
  it.each([
    ['', { metric: '', filters: [] }, ''],
    ['fixture_up', { metric: 'fixture_up', filters: [] }, 'fixture_up'],
    [
      'fixture_up{job="api", instance=~"api-.*"}',
      {
        metric: 'fixture_up',
        filters: [
          { label: 'job', op: '=', value: 'api' },
          { label: 'instance', op: '=~', value: 'api-.*' },
        ],
      },
      'fixture_up{job="api", instance=~"api-.*"}',
    ],
    ['{job!="a\\"b"}', { metric: '', filters: [{ label: 'job', op: '!=', value: 'a"b' }] }, '{job!="a\\"b"}'],
  ])('%s', (text, parts, back) => {
    expect(parseSelector(text)).toEqual(parts);
    expect(formatSelector(parts as never)).toBe(back);
  });

  it.each(['up or down', 'sum(up)', '{"utf8.name"}', 'up{job=api}', 'up{job="a"'])('leaves %s to the classic query', (text) => {
    expect(parseSelector(text)).toBeUndefined();
  });

  it('drops incomplete filter rows', () => {
    expect(formatSelector({ metric: 'up', filters: [{ label: 'job', op: '=', value: '' }, { label: '', op: '=', value: 'x' }] })).toBe('up');
  });
});
