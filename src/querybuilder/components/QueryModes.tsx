import React, { ReactNode, useEffect, useMemo, useRef, useState } from 'react';

import { Alert, Button, InlineSwitch, RadioButtonGroup, Stack } from '@grafana/ui';

import { EditorMode, editorView, initialEditorMode } from '../editor_mode';
import { MetricsCatalog } from '../metrics_catalog';
import { BuilderQuery, emptyQuery, Selector } from '../model';
import { parsePromQL } from '../parse';
import { renderQuery } from '../render';

import { ExplainView } from './ExplainView';
import { KickStart } from './KickStart';
import { MetricsBrowser } from './MetricsBrowser';
import { QueryBuilder } from './QueryBuilder';

/** A change to the two query fields this component owns. */
export interface ModeChange {
  expr: string;
  editorMode: EditorMode;
}

interface Props {
  expr: string;
  /** The saved `editorMode` of the query, if any. */
  editorMode?: string;
  /** `jsonData.defaultEditor` of the data source: the mode of a new query. */
  defaultEditor?: string;
  catalog: MetricsCatalog;
  /** Reports a new expression and mode; `run` asks for the query to be run as well. */
  onChange: (change: ModeChange, run: boolean) => void;
  /** The code editor, shown in Code mode. */
  code: ReactNode;
  refId: string;
  /** Shown at the right of the header, before the mode switch (the query editor's "Run queries"). */
  actions?: ReactNode;
}

const MODE_OPTIONS = [
  { label: 'Builder', value: 'builder' as const },
  { label: 'Code', value: 'code' as const },
];

/**
 * Builder and Code modes over one PromQL expression, with Kick start, Explain and the metrics browser. The
 * expression stays the single source of truth: the builder's model is read from it and written back to it, and a
 * query the builder cannot represent stays in Code with the reason on one line.
 */
export function QueryModes({ expr, editorMode, defaultEditor, catalog, onChange, code, refId, actions }: Props) {
  const wanted = initialEditorMode({ expr, editorMode }, defaultEditor);
  const [mode, setMode] = useState<EditorMode>(wanted);
  const [reason, setReason] = useState<string>();
  const [model, setModel] = useState<BuilderQuery>(emptyQuery);
  const [explain, setExplain] = useState(false);
  const [dialog, setDialog] = useState<'kickstart' | 'browser'>();
  // The expression the builder last wrote: when expr differs, it changed outside and is read again.
  const written = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (mode !== 'builder' || expr === written.current) {
      return;
    }
    const view = editorView(expr, 'builder');
    if (view.mode === 'builder') {
      setModel(view.query);
      setReason(undefined);
      written.current = expr;
    } else {
      setMode('code');
      setReason(view.reason);
    }
  }, [expr, mode]);

  const writeModel = (next: BuilderQuery) => {
    setModel(next);
    const text = renderQuery(next);
    written.current = text;
    onChange({ expr: text, editorMode: 'builder' }, true);
  };

  const switchMode = (next: EditorMode) => {
    if (next === 'code') {
      setMode('code');
      setReason(undefined);
      onChange({ expr, editorMode: 'code' }, false);
      return;
    }
    const view = editorView(expr, 'builder');
    if (view.mode === 'code') {
      setReason(view.reason);
      return;
    }
    setModel(view.query);
    written.current = expr;
    setReason(undefined);
    setMode('builder');
    onChange({ expr, editorMode: 'builder' }, false);
  };

  const applyQuery = (q: BuilderQuery) => {
    setDialog(undefined);
    setReason(undefined);
    setMode('builder');
    writeModel(q);
  };

  const explained = mode === 'builder' ? model : undefined;
  // In Code mode, Explain and Kick start read the query; parsed once per expression, not on every render.
  const readCode = mode === 'code' && (explain || dialog === 'kickstart');
  const parsedCode = useMemo(() => (readCode ? parsePromQL(expr) : undefined), [readCode, expr]);
  const parsedForExplain = explain ? parsedCode : undefined;
  const selector = explained?.selector ?? (parsedCode?.ok ? parsedCode.query.selector : emptyQuery().selector);

  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={1} alignItems="center" justifyContent="space-between" wrap="wrap">
        <Stack direction="row" gap={1} alignItems="center">
          <Button size="sm" variant="secondary" icon="book" onClick={() => setDialog('kickstart')}>
            Kick start your query
          </Button>
          <Button size="sm" variant="secondary" icon="list-ul" onClick={() => setDialog('browser')}>
            Metrics browser
          </Button>
          <InlineSwitch
            id={`amp-explain-${refId}`}
            label="Explain"
            showLabel
            transparent
            value={explain}
            onChange={() => setExplain(!explain)}
          />
        </Stack>
        <Stack direction="row" gap={1} alignItems="center">
          {actions}
          <RadioButtonGroup<EditorMode> aria-label="Editor mode" size="sm" options={MODE_OPTIONS} value={mode} onChange={switchMode} />
        </Stack>
      </Stack>
      {reason && (
        <Alert severity="info" title={`The builder cannot show this query: ${reason}`} />
      )}
      {explain && explained && <ExplainView query={explained} />}
      {parsedForExplain?.ok && <ExplainView query={parsedForExplain.query} />}
      {parsedForExplain && !parsedForExplain.ok && (
        <Alert severity="info" title={`Explain is not available for this query: ${parsedForExplain.reason}`} />
      )}
      {mode === 'builder' ? (
        <QueryBuilder query={model} catalog={catalog} idPrefix={`amp-builder-${refId}`} onChange={writeModel} />
      ) : (
        code
      )}
      {mode === 'builder' && (
        <pre aria-label="Builder PromQL" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {renderQuery(model)}
        </pre>
      )}
      {dialog === 'kickstart' && (
        <KickStart selector={selector} onUse={applyQuery} onDismiss={() => setDialog(undefined)} />
      )}
      {dialog === 'browser' && (
        <MetricsBrowser
          catalog={catalog}
          onUse={(selector: Selector) => applyQuery({ selector, operations: [] })}
          onDismiss={() => setDialog(undefined)}
        />
      )}
    </Stack>
  );
}
