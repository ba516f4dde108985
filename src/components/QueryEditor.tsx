import React, { ChangeEvent, KeyboardEvent, useEffect, useState } from 'react';

import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Field, Input, RadioButtonGroup, Stack, TextArea } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { AmpOptions, PromQuery } from '../types';

type Props = QueryEditorProps<DataSource, PromQuery, AmpOptions>;

/** How the query is evaluated; "both" sets both flags and the backend runs the two requests. */
export type QueryType = 'range' | 'instant' | 'both';

export const QUERY_TYPE_OPTIONS: Array<SelectableValue<QueryType>> = [
  { label: 'Range', value: 'range' },
  { label: 'Instant', value: 'instant' },
  { label: 'Both', value: 'both' },
];

/** Reads the query type from the saved flags; neither flag set means range, as the backend treats it. */
export function queryTypeOf(query: PromQuery): QueryType {
  if (query.range && query.instant) {
    return 'both';
  }
  return query.instant ? 'instant' : 'range';
}

function flagsOf(type: QueryType): Pick<PromQuery, 'range' | 'instant'> {
  return { range: type !== 'instant', instant: type !== 'range' };
}

/** A plain PromQL editor: text fields are committed, and the query run, on blur or Shift+Enter. */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  // Drafts keep every keystroke local, so panels do not re-query while the user is typing.
  const [expr, setExpr] = useState(query.expr ?? '');
  const [legend, setLegend] = useState(query.legendFormat ?? '');
  useEffect(() => setExpr(query.expr ?? ''), [query.expr]);
  useEffect(() => setLegend(query.legendFormat ?? ''), [query.legendFormat]);

  const run = (next: PromQuery) => {
    onChange(next);
    onRunQuery();
  };

  const commitExpr = () => {
    if (expr !== (query.expr ?? '')) {
      run({ ...query, expr });
    }
  };

  const onExprKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && event.shiftKey) {
      // Shift+Enter runs the query even when nothing changed, like the other Grafana query editors.
      event.preventDefault();
      run({ ...query, expr });
    }
  };

  const commitLegend = () => {
    if (legend !== (query.legendFormat ?? '')) {
      run({ ...query, legendFormat: legend });
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <Field label="PromQL query" noMargin>
        <TextArea
          id={`amp-expr-${query.refId}`}
          rows={3}
          value={expr}
          placeholder="rate(http_requests_total[$__rate_interval])"
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => setExpr(event.currentTarget.value)}
          onBlur={commitExpr}
          onKeyDown={onExprKeyDown}
        />
      </Field>
      <Stack direction="row" gap={2}>
        <Field label="Legend" noMargin>
          <Input
            id={`amp-legend-${query.refId}`}
            width={40}
            value={legend}
            placeholder="{{instance}} or __auto"
            onChange={(event: ChangeEvent<HTMLInputElement>) => setLegend(event.currentTarget.value)}
            onBlur={commitLegend}
          />
        </Field>
        <Field label="Type" noMargin>
          <RadioButtonGroup<QueryType>
            aria-label="Type"
            options={QUERY_TYPE_OPTIONS}
            value={queryTypeOf(query)}
            onChange={(type) => run({ ...query, ...flagsOf(type) })}
          />
        </Field>
      </Stack>
    </Stack>
  );
}
