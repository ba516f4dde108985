import React, { ChangeEvent, useMemo, useState } from 'react';

import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Field, Input, Select, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { defaultTimeRange } from '../time_range';
import { AmpOptions, PromQuery, PromVariableQuery } from '../types';
import { formatVariableQuery, parseVariableQuery, VariableQueryKind } from '../variables/metric_find_query';
import { formatSelector, LabelFilter, parseSelector } from '../variables/selector_parts';

import { LabelFiltersEditor, useLabelNames, useMetricNames, WorkspacePicker } from './VariablePickers';
import { NO_MARGIN } from './field_style';

type Props = QueryEditorProps<DataSource, PromQuery, AmpOptions, PromVariableQuery>;

type Kind = VariableQueryKind['kind'] | 'classic';

export const VARIABLE_KIND_OPTIONS: Array<SelectableValue<Kind>> = [
  { label: 'Label names', value: 'label_names', description: 'label_names()' },
  { label: 'Label values', value: 'label_values', description: 'label_values(label) or label_values(selector, label)' },
  { label: 'Metrics', value: 'metrics', description: 'metrics(regex)' },
  { label: 'Query result', value: 'query_result', description: 'query_result(query)' },
  { label: 'Series query', value: 'series', description: 'A series selector such as up{job="api"}' },
  { label: 'Classic query', value: 'classic', description: 'Any of the above as text, as Grafana Prometheus saves it' },
];

const KIND_LABELS = Object.fromEntries(VARIABLE_KIND_OPTIONS.map((o) => [o.value, o.label]));

/** The editable parts of every kind, kept together so switching kinds does not lose what was picked or typed. */
interface Draft {
  kind: Kind;
  label: string;
  metric: string;
  filters: LabelFilter[];
  regex: string;
  expr: string;
  selector: string;
  classic: string;
}

function draftOf(text: string): Draft {
  const draft: Draft = { kind: 'label_names', label: '', metric: '', filters: [], regex: '', expr: '', selector: '', classic: text };
  if (!text.trim()) {
    return draft;
  }
  const q = parseVariableQuery(text);
  switch (q.kind) {
    case 'label_names':
    case 'label_values': {
      // A selector the pickers cannot show exactly stays a classic query, so nothing is lost.
      const parts = parseSelector(q.match ?? '');
      if (!parts) {
        return { ...draft, kind: 'classic' };
      }
      return { ...draft, kind: q.kind, label: q.kind === 'label_values' ? q.label : '', ...parts };
    }
    case 'metrics':
      return { ...draft, kind: q.kind, regex: q.regex };
    case 'query_result':
      return { ...draft, kind: q.kind, expr: q.expr };
    case 'series':
      return { ...draft, kind: q.kind, selector: q.selector };
  }
}

function textOf(d: Draft): string {
  const match = formatSelector({ metric: d.metric.trim(), filters: d.filters }) || undefined;
  switch (d.kind) {
    case 'label_names':
      return formatVariableQuery({ kind: 'label_names', match });
    case 'label_values':
      return formatVariableQuery({ kind: 'label_values', label: d.label.trim(), match });
    case 'metrics':
      return formatVariableQuery({ kind: 'metrics', regex: d.regex.trim() });
    case 'query_result':
      return formatVariableQuery({ kind: 'query_result', expr: d.expr.trim() });
    case 'series':
      return formatVariableQuery({ kind: 'series', selector: d.selector.trim() });
    case 'classic':
      return d.classic.trim();
  }
}

/**
 * The variable query editor. Label names and label values get pickers over the workspace (label name, a
 * searchable metric, label filters); a classic query field takes any text Grafana's Prometheus variables accept.
 * It writes the same `query` text as Grafana's Prometheus data source (`label_values(up{job="api"}, instance)`),
 * so variables keep working when a dashboard moves between the two.
 */
export function VariableQueryEditor({ query, onChange, datasource, range }: Props) {
  // Older dashboards store the query as a bare string.
  const saved = typeof query === 'string' ? (query as string) : (query?.query ?? '');
  const refId = (typeof query === 'object' && query?.refId) || 'PrometheusVariableQueryEditor-VariableQuery';
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  // Without a range from Grafana, one default range for the editor's life: a new one every render would reload the lists.
  const timeRange = useMemo(() => range ?? defaultTimeRange(), [range]);
  const usesPickers = draft.kind === 'label_names' || draft.kind === 'label_values';
  // The lists are read only while the pickers are shown.
  const metrics = useMetricNames(datasource, timeRange, usesPickers);
  const labels = useLabelNames(datasource, timeRange, draft.metric.trim() || undefined, usesPickers);

  const commit = (next: Draft) => {
    setDraft(next);
    const text = textOf(next);
    if (text !== saved) {
      onChange({ ...(typeof query === 'object' ? query : {}), refId, query: text });
    }
  };

  const text = (key: 'regex' | 'expr' | 'selector' | 'classic', label: string, placeholder: string, description?: string) => (
    <Field label={label} description={description} style={NO_MARGIN}>
      <Input
        id={`amp-variable-${key}`}
        width={60}
        value={draft[key]}
        placeholder={placeholder}
        onChange={(event: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: event.currentTarget.value })}
        onBlur={() => commit(draft)}
      />
    </Field>
  );

  const classicKind = draft.kind === 'classic' && draft.classic.trim() ? parseVariableQuery(draft.classic).kind : undefined;

  return (
    <Stack direction="column" gap={1}>
      <Field label="Query type" style={NO_MARGIN}>
        <Select<Kind>
          inputId="amp-variable-kind"
          width={30}
          options={VARIABLE_KIND_OPTIONS}
          value={draft.kind}
          onChange={(option) => {
            const kind = option.value ?? 'label_names';
            // The classic field starts from what the pickers built, and the pickers from the classic text.
            const next = kind === 'classic' ? { ...draft, kind, classic: textOf(draft) } : { ...draftOf(draft.kind === 'classic' ? draft.classic : ''), ...pick(draft), kind };
            commit(next);
          }}
        />
      </Field>
      {draft.kind === 'label_values' && (
        <WorkspacePicker
          id="amp-variable-label"
          label="Label"
          value={draft.label}
          onChange={(label) => commit({ ...draft, label })}
          list={labels}
          placeholder="Select a label"
        />
      )}
      {usesPickers && (
        <WorkspacePicker
          id="amp-variable-metric"
          label="Metric"
          description="Optional: only series of this metric"
          value={draft.metric}
          onChange={(metric) => commit({ ...draft, metric })}
          list={metrics}
          placeholder="Search metrics"
          clearable
        />
      )}
      {usesPickers && <LabelFiltersEditor filters={draft.filters} onChange={(filters) => commit({ ...draft, filters })} labels={labels} />}
      {draft.kind === 'metrics' && text('regex', 'Metric regex', 'http_.*')}
      {draft.kind === 'query_result' && text('expr', 'PromQL query', 'topk(5, sum by (job) (up))')}
      {draft.kind === 'series' && text('selector', 'Series selector', 'up{job="api"}')}
      {draft.kind === 'classic' &&
        text(
          'classic',
          'Classic query',
          'label_values(up{job="api"}, instance)',
          'label_names(), label_values(label), label_values(metric, label), metrics(regex), query_result(query) or a series selector'
        )}
      {classicKind && (
        <Text color="secondary" variant="bodySmall">
          <span aria-label="Reads as">Reads as: {KIND_LABELS[classicKind]}</span>
        </Text>
      )}
    </Stack>
  );
}

/** The picked parts a kind switch carries over. */
function pick(d: Draft): Partial<Draft> {
  return d.kind === 'classic' ? {} : { label: d.label, metric: d.metric, filters: d.filters, regex: d.regex, expr: d.expr, selector: d.selector };
}
