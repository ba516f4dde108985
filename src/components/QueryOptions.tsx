import React, { ChangeEvent, useEffect, useState } from 'react';

import { Field, Icon, Input, RadioButtonGroup, Select, Stack, Switch, Text, useTheme2 } from '@grafana/ui';

import { PromQuery, PromQueryFormat } from '../types';

import {
  ALERTING_QUERY_TYPE_OPTIONS,
  alertingTypeOf,
  AUTO_LEGEND,
  flagsOf,
  FORMAT_OPTIONS,
  LEGEND_OPTIONS,
  LegendMode,
  legendModeOf,
  MIN_STEP,
  optionsSummary,
  QUERY_TYPE_OPTIONS,
  QueryType,
  queryTypeOf,
} from './query_options';
import { NO_MARGIN } from './field_style';

interface Props {
  query: PromQuery;
  /** Changes the query without running it. */
  onChange: (query: PromQuery) => void;
  /** Changes the query and runs it. */
  run: (query: PromQuery) => void;
  /** Alert rules: one query type (no "Both"), no format, no exemplars. */
  alerting?: boolean;
}

/**
 * The "Options" row of Grafana's Prometheus editor: collapsed to a one-line summary, expanded to legend, min step,
 * format, type and exemplars. Text fields are committed, and the query run, on blur.
 */
export function QueryOptions({ query, onChange, run, alerting = false }: Props) {
  const theme = useTheme2();
  const [open, setOpen] = useState(false);
  const [legendMode, setLegendMode] = useState<LegendMode>(legendModeOf(query.legendFormat));
  const [legend, setLegend] = useState(query.legendFormat ?? '');
  const [minStep, setMinStep] = useState(query.interval ?? '');
  useEffect(() => {
    setLegend(query.legendFormat ?? '');
    setLegendMode((mode) => (mode === 'custom' && !query.legendFormat ? mode : legendModeOf(query.legendFormat)));
  }, [query.legendFormat]);
  useEffect(() => setMinStep(query.interval ?? ''), [query.interval]);

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

  const id = `amp-options-${query.refId}`;
  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: theme.spacing(1),
          background: 'none',
          border: 'none',
          padding: theme.spacing(0.5, 0),
          color: theme.colors.text.primary,
          cursor: 'pointer',
          font: 'inherit',
        }}
      >
        <Icon name={open ? 'angle-down' : 'angle-right'} />
        <span style={{ fontWeight: theme.typography.fontWeightMedium }}>Options</span>
        <Text color="secondary" variant="bodySmall">
          <span aria-label="Options summary">{optionsSummary(query, alerting)}</span>
        </Text>
      </button>
      {open && (
        <div id={id} style={{ paddingLeft: theme.spacing(3), paddingTop: theme.spacing(1) }}>
          <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-start">
            <Field label="Legend" style={NO_MARGIN}>
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
              style={NO_MARGIN}
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
            {!alerting && (
              <Field label="Format" style={NO_MARGIN}>
                <Select<PromQueryFormat>
                  inputId={`amp-format-${query.refId}`}
                  width={16}
                  options={FORMAT_OPTIONS}
                  value={query.format ?? 'time_series'}
                  onChange={(option) => run({ ...query, format: option.value ?? 'time_series' })}
                />
              </Field>
            )}
            <Field label="Type" style={NO_MARGIN}>
              <RadioButtonGroup<QueryType>
                aria-label="Type"
                options={alerting ? ALERTING_QUERY_TYPE_OPTIONS : QUERY_TYPE_OPTIONS}
                value={alerting ? alertingTypeOf(query) : queryTypeOf(query)}
                onChange={(type) => run({ ...query, ...flagsOf(type) })}
              />
            </Field>
            {!alerting && (
              <Field label="Exemplars" style={NO_MARGIN}>
                <Switch
                  id={`amp-exemplars-${query.refId}`}
                  value={Boolean(query.exemplar)}
                  onChange={(event: ChangeEvent<HTMLInputElement>) => run({ ...query, exemplar: event.currentTarget.checked })}
                />
              </Field>
            )}
          </Stack>
        </div>
      )}
    </div>
  );
}
