import { Observable, of } from 'rxjs';

import { AnnotationEvent, AnnotationQuery, AnnotationSupport, DataFrame, FieldType } from '@grafana/data';

import { AnnotationQueryEditor } from '../components/AnnotationQueryEditor';
import { PromAnnotationFields, PromQuery } from '../types';

/** An annotation as stored in the dashboard: Grafana's fields plus the Prometheus ones on the annotation itself. */
export type PromAnnotation = AnnotationQuery<PromQuery> & PromAnnotationFields;

const GO_DURATION_UNITS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  'µs': 0.001,
  ns: 0.000001,
};

/** Parses a Go duration string such as `1m0s` or `1h30m` into milliseconds; undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') {
    return 0;
  }
  const part = /(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = part.exec(trimmed))) {
    total += parseFloat(m[1]) * GO_DURATION_UNITS[m[2]];
    matched += m[0].length;
  }
  return matched > 0 && matched === trimmed.length ? total : undefined;
}

/** The step the backend used, from `meta.executedQueryString` (`Expr: ...\nStep: 1m0s`). */
export function stepOf(frame: DataFrame): number | undefined {
  const executed = frame.meta?.executedQueryString ?? '';
  const m = /^Step:\s*(\S+)\s*$/m.exec(executed);
  return m ? parseGoDuration(m[1]) : undefined;
}

/** Replaces `{{ label }}` placeholders with label values; a missing label becomes the empty string. */
export function renderTemplate(template: string | undefined, labels: Record<string, string>): string {
  return (template ?? '').replace(/\{\{\s*(.+?)\s*\}\}/g, (_match, name: string) => labels[name] ?? '');
}

/**
 * Copies the PromQL of an annotation into its `target`, so both places agree. Dashboards from Grafana's Prometheus
 * data source keep `expr` on the annotation; newer editors may only have `target.expr`.
 */
export function prepareAnnotation(json: PromAnnotation): PromAnnotation {
  const expr = json.expr ?? json.target?.expr ?? '';
  return { ...json, expr, target: { ...json.target, refId: json.target?.refId ?? 'Anno', expr } };
}

/** The backend query of an annotation: a range query whose min step is the annotation's step. */
export function prepareQuery(anno: PromAnnotation): PromQuery | undefined {
  const expr = anno.expr ?? anno.target?.expr ?? '';
  if (!expr.trim()) {
    return undefined;
  }
  return {
    ...anno.target,
    refId: anno.target?.refId ?? 'Anno',
    expr,
    interval: anno.step ?? anno.target?.interval ?? '',
    range: true,
    instant: false,
    exemplar: false,
    format: 'time_series',
    legendFormat: '',
  };
}

/**
 * Turns the series of an annotation query into events: every sample with a non-zero value marks an event, and
 * samples no further apart than the query's step are merged into one region. Title, text and tags come from the
 * series' labels.
 */
export function framesToEvents(anno: PromAnnotation, frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  const tagKeys = (anno.tagKeys ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const responseStep = frames.map(stepOf).find((s) => s !== undefined);
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    const value = frame.fields.find((f) => f.type === FieldType.number);
    if (!time || !value) {
      continue;
    }
    // Only the first frame of a response carries executedQueryString; every range frame has the step as its time
    // field's interval.
    const step = stepOf(frame) ?? time.config?.interval ?? responseStep ?? 60_000;
    const labels = value.labels ?? {};
    const base: AnnotationEvent = {
      title: renderTemplate(anno.titleFormat, labels),
      text: renderTemplate(anno.textFormat, labels),
      tags: tagKeys.map((k) => labels[k]).filter((v): v is string => v !== undefined && v !== ''),
    };
    let open: AnnotationEvent | undefined;
    const close = () => {
      if (open) {
        events.push(finish(open));
        open = undefined;
      }
    };
    for (let i = 0; i < frame.length; i++) {
      const v = Number(value.values[i]);
      if (v === 0 || Number.isNaN(v)) {
        close();
        continue;
      }
      const at = anno.useValueForTime ? Math.floor(v) : Number(time.values[i]);
      if (open && at - open.timeEnd! <= step) {
        open.timeEnd = at;
        continue;
      }
      close();
      open = { ...base, time: at, timeEnd: at };
    }
    close();
  }
  return events;
}

function finish(e: AnnotationEvent): AnnotationEvent {
  if (e.timeEnd === e.time) {
    const { timeEnd: _unused, ...point } = e;
    return point;
  }
  return { ...e, isRegion: true };
}

/** Annotation support: PromQL through the backend query path, events built from the returned series. */
export function createAnnotationSupport(): AnnotationSupport<PromQuery, PromAnnotation> {
  return {
    prepareAnnotation,
    prepareQuery,
    processEvents: (anno: PromAnnotation, frames: DataFrame[]): Observable<AnnotationEvent[] | undefined> =>
      of(framesToEvents(anno, frames)),
    QueryEditor: AnnotationQueryEditor,
  };
}
