import { lastValueFrom } from 'rxjs';

import { DataFrame, FieldType, toDataFrame } from '@grafana/data';

import {
  createAnnotationSupport,
  framesToEvents,
  parseGoDuration,
  prepareAnnotation,
  prepareQuery,
  PromAnnotation,
  renderTemplate,
  stepOf,
} from './annotation_support';

/** A backend range-query frame: time, value with labels, and the executed query string. */
function frame(step: string, labels: Record<string, string>, samples: Array<[number, number]>): DataFrame {
  return toDataFrame({
    meta: { executedQueryString: `Expr: ALERTS\nStep: ${step}` },
    fields: [
      { name: 'Time', type: FieldType.time, values: samples.map((s) => s[0]) },
      { name: 'Value', type: FieldType.number, values: samples.map((s) => s[1]), labels },
    ],
  });
}

// An annotation exactly as Grafana's Prometheus data source saves it in a dashboard.
const coreAnnotation: PromAnnotation = {
  datasource: { type: 'prometheus', uid: 'prom' },
  enable: true,
  iconColor: 'red',
  name: 'Firing alerts',
  expr: 'ALERTS{alertstate="firing", job="$job"}',
  step: '60s',
  titleFormat: '{{alertname}} on {{ instance }}',
  textFormat: 'severity {{severity}}',
  tagKeys: 'job, severity,missing',
  useValueForTime: false,
};

describe('parseGoDuration', () => {
  it.each<[string, number | undefined]>([
    ['1s', 1000],
    ['1m0s', 60_000],
    ['15m0s', 900_000],
    ['1h30m0s', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['0', 0],
    ['', undefined],
    ['abc', undefined],
    ['1m x', undefined],
  ])('%s -> %s', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});

describe('stepOf', () => {
  it('reads Step from executedQueryString', () => {
    expect(stepOf(frame('2m0s', {}, []))).toBe(120_000);
    expect(stepOf(toDataFrame({ fields: [] }))).toBeUndefined();
  });
});

describe('renderTemplate', () => {
  it('fills labels, with whitespace inside braces allowed and missing labels empty', () => {
    expect(renderTemplate('{{a}}-{{ b }}-{{c}}', { a: '1', b: '2' })).toBe('1-2-');
    expect(renderTemplate(undefined, {})).toBe('');
  });
});

describe('prepareAnnotation and prepareQuery', () => {
  it('keeps a core Prometheus annotation as it is and mirrors the PromQL into target', () => {
    const prepared = prepareAnnotation(coreAnnotation);
    expect(prepared).toMatchObject(coreAnnotation);
    expect(prepared.target).toEqual({ refId: 'Anno', expr: coreAnnotation.expr });
  });

  it('builds a range query with the step as min step', () => {
    expect(prepareQuery(prepareAnnotation(coreAnnotation))).toEqual({
      refId: 'Anno',
      expr: coreAnnotation.expr,
      interval: '60s',
      range: true,
      instant: false,
      exemplar: false,
      format: 'time_series',
      legendFormat: '',
    });
  });

  it('skips an annotation without PromQL', () => {
    expect(prepareQuery({ ...coreAnnotation, expr: ' ' })).toBeUndefined();
  });

  it('reads the PromQL from target when the annotation has none', () => {
    const anno = prepareAnnotation({ name: 'x', enable: true, iconColor: 'red', target: { refId: 'Q', expr: 'up == 0' } });
    expect(anno.expr).toBe('up == 0');
    expect(prepareQuery(anno)?.refId).toBe('Q');
  });
});

describe('framesToEvents', () => {
  const labels = { alertname: 'HighLatency', instance: 'api-1', severity: 'page', job: 'api' };

  it('merges samples within one step into a region and splits at zeros and gaps', () => {
    const events = framesToEvents(coreAnnotation, [
      frame('1m0s', labels, [
        [0, 1],
        [60_000, 1],
        [120_000, 1], // region 0..120000
        [180_000, 0], // zero: ends it
        [240_000, 1], // a single point
        [480_000, 1], // gap larger than the step: a new point
        [540_000, NaN],
      ]),
    ]);
    expect(events).toEqual([
      {
        time: 0,
        timeEnd: 120_000,
        isRegion: true,
        title: 'HighLatency on api-1',
        text: 'severity page',
        tags: ['api', 'page'],
      },
      { time: 240_000, title: 'HighLatency on api-1', text: 'severity page', tags: ['api', 'page'] },
      { time: 480_000, title: 'HighLatency on api-1', text: 'severity page', tags: ['api', 'page'] },
    ]);
  });

  it('uses the step from each frame', () => {
    const samples: Array<[number, number]> = [
      [0, 1],
      [300_000, 1],
    ];
    expect(framesToEvents(coreAnnotation, [frame('5m0s', labels, samples)])).toHaveLength(1);
    expect(framesToEvents(coreAnnotation, [frame('1m0s', labels, samples)])).toHaveLength(2);
  });

  it('uses the step of the response for frames without executedQueryString, as the backend sends them', () => {
    const samples: Array<[number, number]> = [
      [0, 1],
      [300_000, 1],
    ];
    const later = (interval?: number) =>
      toDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: samples.map((s) => s[0]), config: interval ? { interval } : {} },
          { name: 'Value', type: FieldType.number, values: samples.map((s) => s[1]), labels },
        ],
      });
    const events = framesToEvents(coreAnnotation, [frame('5m0s', labels, samples), later(), later(300_000)]);
    expect(events.map((e) => [e.time, e.timeEnd])).toEqual([
      [0, 300_000],
      [0, 300_000],
      [0, 300_000],
    ]);
    // The time field's interval alone is enough.
    expect(framesToEvents(coreAnnotation, [later(300_000)])).toHaveLength(1);
  });

  it('takes the value as the time when asked', () => {
    const events = framesToEvents({ ...coreAnnotation, useValueForTime: true }, [
      frame('1m0s', labels, [[999, 1767225600123.9]]),
    ]);
    expect(events.map((e) => e.time)).toEqual([1767225600123]);
  });

  it('ignores frames without a time or number field', () => {
    expect(framesToEvents(coreAnnotation, [toDataFrame({ fields: [{ name: 'x', type: FieldType.string, values: ['a'] }] })])).toEqual([]);
  });

  it('is what the annotation support emits', async () => {
    const support = createAnnotationSupport();
    const events = await lastValueFrom(support.processEvents!(coreAnnotation, [frame('1m0s', labels, [[0, 1]])]));
    expect(events).toHaveLength(1);
    expect(support.QueryEditor).toBeDefined();
  });
});
