import React, { ChangeEvent, useState } from 'react';

import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Field, Input, Select, Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { AmpOptions, PromQuery, PromVariableQuery } from '../types';
import { formatVariableQuery, parseVariableQuery, VariableQueryKind } from '../variables/metric_find_query';

type Props = QueryEditorProps<DataSource, PromQuery, AmpOptions, PromVariableQuery>;

type Kind = VariableQueryKind['kind'];

export const VARIABLE_KIND_OPTIONS: Array<SelectableValue<Kind>> = [
  { label: 'Label names', value: 'label_names', description: 'label_names()' },
  { label: 'Label values', value: 'label_values', description: 'label_values(label) or label_values(selector, label)' },
  { label: 'Metrics', value: 'metrics', description: 'metrics(regex)' },
  { label: 'Query result', value: 'query_result', description: 'query_result(query)' },
  { label: 'Series query', value: 'series', description: 'A series selector such as up{job="api"}' },
];

/** The editable parts of every kind, kept together so switching kinds does not lose what was typed. */
interface Draft {
  kind: Kind;
  label: string;
  match: string;
  regex: string;
  expr: string;
  selector: string;
}

function draftOf(text: string): Draft {
  const draft: Draft = { kind: 'label_names', label: '', match: '', regex: '', expr: '', selector: '' };
  if (!text.trim()) {
    return draft;
  }
  const q = parseVariableQuery(text);
  switch (q.kind) {
    case 'label_names':
      return { ...draft, kind: q.kind, match: q.match ?? '' };
    case 'label_values':
      return { ...draft, kind: q.kind, label: q.label, match: q.match ?? '' };
    case 'metrics':
      return { ...draft, kind: q.kind, regex: q.regex };
    case 'query_result':
      return { ...draft, kind: q.kind, expr: q.expr };
    case 'series':
      return { ...draft, kind: q.kind, selector: q.selector };
  }
}

function textOf(d: Draft): string {
  const match = d.match.trim() || undefined;
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
  }
}

/**
 * The variable query editor. It writes the same `query` text as Grafana's Prometheus data source
 * (`label_values(up, job)`), so variables keep working when a dashboard moves between the two.
 */
export function VariableQueryEditor({ query, onChange }: Props) {
  // Older dashboards store the query as a bare string.
  const saved = typeof query === 'string' ? (query as string) : (query?.query ?? '');
  const refId = (typeof query === 'object' && query?.refId) || 'PrometheusVariableQueryEditor-VariableQuery';
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));

  const commit = (next: Draft) => {
    const text = textOf(next);
    if (text !== saved) {
      onChange({ ...(typeof query === 'object' ? query : {}), refId, query: text });
    }
  };

  const field = (key: keyof Omit<Draft, 'kind'>, label: string, placeholder: string, width = 50) => (
    <Field label={label} noMargin>
      <Input
        id={`amp-variable-${key}`}
        width={width}
        value={draft[key]}
        placeholder={placeholder}
        onChange={(event: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: event.currentTarget.value })}
        onBlur={() => commit(draft)}
      />
    </Field>
  );

  return (
    <Stack direction="column" gap={1}>
      <Field label="Query type" noMargin>
        <Select<Kind>
          inputId="amp-variable-kind"
          width={30}
          options={VARIABLE_KIND_OPTIONS}
          value={draft.kind}
          onChange={(option) => {
            const next = { ...draft, kind: option.value ?? 'label_names' };
            setDraft(next);
            commit(next);
          }}
        />
      </Field>
      {draft.kind === 'label_values' && field('label', 'Label', 'job', 30)}
      {(draft.kind === 'label_names' || draft.kind === 'label_values') &&
        field('match', 'Series selector (optional)', 'up{env="prod"}')}
      {draft.kind === 'metrics' && field('regex', 'Metric regex', 'http_.*')}
      {draft.kind === 'query_result' && field('expr', 'PromQL query', 'topk(5, sum by (job) (up))')}
      {draft.kind === 'series' && field('selector', 'Series selector', 'up{job="api"}')}
    </Stack>
  );
}
