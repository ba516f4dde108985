import React, { useEffect, useRef } from 'react';

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintKeymap } from '@codemirror/lint';
import { EditorState, Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderText } from '@codemirror/view';
import { GrafanaTheme2 } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { useTheme2 } from '@grafana/ui';
import { tags } from '@lezer/highlight';
import { PromQLExtension, type PrometheusClient } from '@prometheus-io/codemirror-promql';

import { lintPromQL } from '../promql/lint';
import { variableCompletionSource } from '../promql/variable_completion';

export interface PromQLEditorProps {
  value: string;
  /** Accessible name of the editable area. */
  ariaLabel: string;
  /** Called with the text when the editor loses focus. */
  onBlur: (value: string) => void;
  /** Called with the text on every change, for state that follows typing (the stale indicator). */
  onChange?: (value: string) => void;
  /** Called with the text on Shift+Enter. */
  onRunQuery: (value: string) => void;
  /** Feeds metric, label and label-value completion; without it only functions and keywords complete. */
  client?: PrometheusClient;
  placeholder?: string;
  /**
   * Names of the dashboard's variables, offered as completions where a duration or label value goes; read when a
   * completion is asked for, not on every render.
   */
  variables?: () => string[];
}

/** The names of the dashboard's variables, for completion; none when no template service is there. */
export function dashboardVariableNames(): string[] {
  try {
    return getTemplateSrv()
      .getVariables()
      .map((v) => v.name);
  } catch {
    return [];
  }
}

function highlightStyle(theme: GrafanaTheme2): HighlightStyle {
  const c = theme.visualization.getColorByName;
  return HighlightStyle.define([
    { tag: tags.comment, color: theme.colors.text.secondary, fontStyle: 'italic' },
    { tag: tags.string, color: c('green') },
    { tag: tags.number, color: c('orange') },
    { tag: tags.labelName, color: c('purple') },
    { tag: tags.function(tags.variableName), color: c('blue') },
    { tag: [tags.operatorKeyword, tags.modifier, tags.logicOperator, tags.keyword], color: c('red') },
    { tag: tags.variableName, color: theme.colors.text.primary },
  ]);
}

function editorTheme(theme: GrafanaTheme2): Extension {
  return EditorView.theme(
    {
      '&': {
        backgroundColor: theme.components.input.background,
        color: theme.colors.text.primary,
        border: `1px solid ${theme.components.input.borderColor}`,
        borderRadius: theme.shape.radius.default,
        fontFamily: theme.typography.fontFamilyMonospace,
        fontSize: theme.typography.bodySmall.fontSize,
        minHeight: '32px',
      },
      '&.cm-focused': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: '1px' },
      '.cm-content': { padding: '6px 8px', caretColor: theme.colors.text.primary },
      '.cm-scroller': { fontFamily: 'inherit' },
      '.cm-placeholder': { color: theme.colors.text.disabled },
      '.cm-tooltip': {
        backgroundColor: theme.colors.background.elevated,
        border: `1px solid ${theme.colors.border.medium}`,
        color: theme.colors.text.primary,
      },
      '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
        backgroundColor: theme.colors.action.selected,
        color: theme.colors.text.primary,
      },
      '.cm-completionDetail': { color: theme.colors.text.secondary },
    },
    { dark: theme.isDark }
  );
}

/**
 * A PromQL code editor (CodeMirror 6 with Prometheus's PromQL language package): highlighting, completion of
 * functions, metric names with their HELP text, label names and values, and Grafana's variables; linting that
 * knows Grafana's variables (lintPromQL). The text is local while typing; the parent hears about it on blur and on
 * Shift+Enter only.
 */
export function PromQLEditor({
  value,
  ariaLabel,
  onBlur,
  onChange,
  onRunQuery,
  client,
  placeholder,
  variables,
}: PromQLEditorProps) {
  const theme = useTheme2();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Callbacks change every render; the editor is built once and reads them through refs.
  const callbacks = useRef({ onBlur, onRunQuery, onChange });
  callbacks.current = { onBlur, onRunQuery, onChange };
  const variableNames = useRef(variables);
  variableNames.current = variables;

  useEffect(() => {
    // The library's linter flags Grafana's variables; lintPromQL masks them first.
    const variableCompletion = { autocomplete: variableCompletionSource(() => variableNames.current?.() ?? []) };
    const promql = new PromQLExtension().setComplete({ remote: client, maxMetricsMetadata: 10000 }).activateLinter(false);
    const state = EditorState.create({
      doc: value,
      extensions: [
        history(),
        closeBrackets(),
        bracketMatching(),
        autocompletion({ icons: false }),
        keymap.of([
          {
            key: 'Shift-Enter',
            preventDefault: true,
            run: (v) => {
              callbacks.current.onRunQuery(v.state.doc.toString());
              return true;
            },
          },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          ...completionKeymap,
          ...lintKeymap,
        ]),
        promql.asExtension(),
        // One source object for the editor's life: the completion state tells sources apart by identity.
        EditorState.languageData.of(() => [variableCompletion]),
        linter((v) => lintPromQL(v.state.doc.toString()), { delay: 300 }),
        syntaxHighlighting(highlightStyle(theme)),
        editorTheme(theme),
        EditorView.lineWrapping,
        placeholderText(placeholder ?? ''),
        EditorView.contentAttributes.of({ 'aria-label': ariaLabel }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            callbacks.current.onChange?.(update.state.doc.toString());
          }
        }),
        EditorView.domEventHandlers({
          blur: (_event, v) => {
            callbacks.current.onBlur(v.state.doc.toString());
            return false;
          },
        }),
      ],
    });
    const created = new EditorView({ state, parent: host.current! });
    view.current = created;
    return () => {
      created.destroy();
      promql.destroy();
      view.current = null;
    };
    // Rebuilt only when the completion source or theme changes; text changes arrive through the effect below.
  }, [client, theme]);

  // A new value from outside (another editor, a query library) replaces the text unless the user is typing.
  useEffect(() => {
    const v = view.current;
    if (v && !v.hasFocus && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} data-testid="promql-editor" />;
}
