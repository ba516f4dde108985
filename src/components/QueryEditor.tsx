import React, { ChangeEvent, useEffect, useMemo, useRef, useState } from 'react';

import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, Button, Field, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { defaultTimeRange } from '../time_range';
import { AmpOptions, PromQuery, PromQueryFormat } from '../types';

import { dashboardVariableNames, PromQLEditor } from './PromQLEditor';

type Props = QueryEditorProps<DataSource, PromQuery, AmpOptions>;

/** How the query is evaluated; "both" sets both flags and the backend runs the two requests. */
export type QueryType = 'range' | 'instant' | 'both';

export const QUERY_TYPE_OPTIONS: Array<SelectableValue<QueryType>> = [
  { label: 'Range', value: 'range' },
  { label: 'Instant', value: 'instant' },
  { label: 'Both', value: 'both' },
];

export const FORMAT_OPTIONS: Array<SelectableValue<PromQueryFormat>> = [
  { label: 'Time series', value: 'time_series' },
  { label: 'Table', value: 'table' },
  { label: 'Heatmap', value: 'heatmap' },
];

/** Legend modes of Grafana's Prometheus editor: `__auto`, an empty template, or a `{{label}}` template. */
export type LegendMode = 'auto' | 'verbatim' | 'custom';

export const LEGEND_OPTIONS: Array<SelectableValue<LegendMode>> = [
  { label: 'Auto', value: 'auto', description: 'Only the labels that differ between series' },
  { label: 'Verbatim', value: 'verbatim', description: 'The series name with all labels' },
  { label: 'Custom', value: 'custom', description: 'A template such as {{instance}}' },
];

/** The value `legendFormat` takes in Auto mode. */
export const AUTO_LEGEND = '__auto';

/** Reads the legend mode from a saved legendFormat. */
export function legendModeOf(legendFormat: string | undefined): LegendMode {
  if (legendFormat === AUTO_LEGEND) {
    return 'auto';
  }
  return legendFormat ? 'custom' : 'verbatim';
}

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

// A duration (`30s`, `1m30s`, `<10s>`, a bare number of seconds) or a dashboard variable.
const MIN_STEP = /^(<?(\d+(\.\d+)?(ms|s|m|h|d|w|y)?)+>?|\$\w+|\$\{\w+\})$/;

/**
 * The query editor: a PromQL code editor with completion from the workspace, and the options Grafana's Prometheus
 * editor saves (legend, min step, format, type). Every field of the query is kept as it was, so a query saved
 * by the core Prometheus editor round-trips unchanged. Text fields are committed, and the query run, on blur;
 * the expression also on Shift+Enter.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource, range }: Props) {
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const client = useMemo(
    () => datasource.completionClient?.(() => rangeRef.current ?? defaultTimeRange()),
    [datasource]
  );

  const [legendMode, setLegendMode] = useState<LegendMode>(legendModeOf(query.legendFormat));
  const [legend, setLegend] = useState(query.legendFormat ?? '');
  const [minStep, setMinStep] = useState(query.interval ?? '');
  useEffect(() => {
    setLegend(query.legendFormat ?? '');
    setLegendMode((mode) => (mode === 'custom' && !query.legendFormat ? mode : legendModeOf(query.legendFormat)));
  }, [query.legendFormat]);
  useEffect(() => setMinStep(query.interval ?? ''), [query.interval]);

  const run = (next: PromQuery) => {
    onChange(next);
    onRunQuery();
  };

  const commitExpr = (expr: string) => {
    if (expr !== (query.expr ?? '')) {
      run({ ...query, expr });
    }
  };

  const onLegendMode = (mode: LegendMode) => {
    setLegendMode(mode);
    if (mode === 'auto') {
      run({ ...query, legendFormat: AUTO_LEGEND });
    } else if (mode === 'verbatim') {
      run({ ...query, legendFormat: '' });
    } else if (query.legendFormat === AUTO_LEGEND) {
      // Custom starts empty; the template is written when the field loses focus.
      setLegend('');
      onChange({ ...query, legendFormat: '' });
    }
  };

  const commitLegend = () => {
    if (legend !== (query.legendFormat ?? '')) {
      run({ ...query, legendFormat: legend });
    }
  };

  const minStepValid = minStep.trim() === '' || MIN_STEP.test(minStep.trim());
  const commitMinStep = () => {
    const next = minStep.trim();
    if (minStepValid && next !== (query.interval ?? '')) {
      run({ ...query, interval: next });
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <Field label="PromQL query" noMargin>
        <PromQLEditor
          value={query.expr ?? ''}
          ariaLabel="PromQL query"
          client={client}
          placeholder="Enter a PromQL query (Shift+Enter to run)"
          onBlur={commitExpr}
          onRunQuery={(expr) => run({ ...query, expr })}
          variables={dashboardVariableNames()}
        />
      </Field>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-start">
        <Field label="Legend" noMargin>
          <Stack direction="row" gap={1}>
            <Select<LegendMode>
              inputId={`amp-legend-mode-${query.refId}`}
              aria-label="Legend mode"
              width={14}
              options={LEGEND_OPTIONS}
              value={legendMode}
              onChange={(option) => onLegendMode(option.value ?? 'verbatim')}
            />
            {legendMode === 'custom' && (
              <Input
                aria-label="Legend template"
                width={30}
                value={legend}
                placeholder="{{instance}}"
                onChange={(event: ChangeEvent<HTMLInputElement>) => setLegend(event.currentTarget.value)}
                onBlur={commitLegend}
              />
            )}
          </Stack>
        </Field>
        <Field
          label="Min step"
          noMargin
          invalid={!minStepValid}
          error={minStepValid ? undefined : 'Use a duration such as 30s or 1m, or a variable'}
        >
          <Input
            id={`amp-min-step-${query.refId}`}
            width={12}
            value={minStep}
            placeholder="auto"
            onChange={(event: ChangeEvent<HTMLInputElement>) => setMinStep(event.currentTarget.value)}
            onBlur={commitMinStep}
          />
        </Field>
        <Field label="Format" noMargin>
          <Select<PromQueryFormat>
            inputId={`amp-format-${query.refId}`}
            width={16}
            options={FORMAT_OPTIONS}
            value={query.format ?? 'time_series'}
            onChange={(option) => run({ ...query, format: option.value ?? 'time_series' })}
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
      {query.exemplar && (
        <Alert severity="warning" title="Amazon Managed Service for Prometheus does not support exemplars">
          This query asks for exemplars, which AMP cannot return.{' '}
          <Button size="sm" variant="secondary" onClick={() => run({ ...query, exemplar: false })}>
            Turn exemplars off
          </Button>
        </Alert>
      )}
    </Stack>
  );
}
