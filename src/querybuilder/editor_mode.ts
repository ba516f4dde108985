import { BuilderQuery, ParseResult } from './model';
import { parsePromQL } from './parse';

/** The modes of Grafana's Prometheus query editor, saved on the query as `editorMode`. */
export type EditorMode = 'builder' | 'code';

/**
 * The mode a query opens in, as Grafana's Prometheus editor decides it: the saved `editorMode` wins; a query
 * without one but with PromQL opens as code (it was written before modes existed); a new, empty query takes the
 * data source's `defaultEditor`, and the builder when that is not set.
 */
export function initialEditorMode(query: { expr?: string; editorMode?: string }, defaultEditor?: string): EditorMode {
  if (query.editorMode === 'builder' || query.editorMode === 'code') {
    return query.editorMode;
  }
  if ((query.expr ?? '').trim() !== '') {
    return 'code';
  }
  return defaultEditor === 'code' ? 'code' : 'builder';
}

/** What the editor shows: the builder with its model, or code with the reason the builder cannot show the query. */
export type EditorView = { mode: 'builder'; query: BuilderQuery } | { mode: 'code'; reason?: string };

/** Decides the view for a mode: builder mode falls back to code, with the reason, when the PromQL does not fit. */
export function editorView(expr: string, mode: EditorMode): EditorView {
  if (mode === 'code') {
    return { mode: 'code' };
  }
  const parsed: ParseResult = parsePromQL(expr);
  return parsed.ok ? { mode: 'builder', query: parsed.query } : { mode: 'code', reason: parsed.reason };
}
