import React, { ChangeEvent, useState } from 'react';

import { InlineField, InlineSwitch, Input } from '@grafana/ui';

import { AmpOptions } from '../../types';

import { LABEL_WIDTH, SectionProps, SHORT_WIDTH, withJsonData } from './settings_props';

/** A Prometheus duration such as `15s`, `1m30s` or `2h`. */
export const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

type BooleanKey = {
  [K in keyof AmpOptions]-?: AmpOptions[K] extends boolean | undefined ? K : never;
}[keyof AmpOptions] &
  string;

interface SwitchFieldProps extends SectionProps {
  field: BooleanKey;
  label: string;
  tooltip: string;
  /** The value Grafana assumes when the key is missing. */
  defaultValue?: boolean;
}

/** An inline switch bound to a boolean jsonData key. */
export function SwitchField({ options, onOptionsChange, field, label, tooltip, defaultValue = false }: SwitchFieldProps) {
  const value = options.jsonData[field] ?? defaultValue;
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip}>
      <InlineSwitch
        id={`amp-${field}`}
        value={Boolean(value)}
        onChange={(event: ChangeEvent<HTMLInputElement>) =>
          onOptionsChange(withJsonData<keyof AmpOptions>(options, field, event.currentTarget.checked))
        }
      />
    </InlineField>
  );
}

type StringKey = 'queryTimeout' | 'timeInterval' | 'customQueryParameters' | 'incrementalQueryOverlapWindow' | 'serverName';

interface TextFieldProps extends SectionProps {
  field: StringKey;
  label: string;
  tooltip: string;
  placeholder: string;
  duration?: boolean;
  width?: number;
  disabled?: boolean;
}

/** An inline text input bound to a string jsonData key; empty removes the key. */
export function TextField({ options, onOptionsChange, field, label, tooltip, placeholder, duration, width, disabled }: TextFieldProps) {
  const value = options.jsonData[field] ?? '';
  const invalid = Boolean(duration) && value !== '' && !DURATION.test(value);
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip} invalid={invalid} error="Use a duration such as 30s or 1m" disabled={disabled}>
      <Input
        id={`amp-${field}`}
        width={width ?? (duration ? SHORT_WIDTH : 60)}
        value={value}
        placeholder={placeholder}
        onChange={(event: ChangeEvent<HTMLInputElement>) =>
          onOptionsChange(withJsonData(options, field, event.currentTarget.value || undefined))
        }
      />
    </InlineField>
  );
}

type NumberKey = 'timeout' | 'maxSamplesProcessedWarningThreshold' | 'maxSamplesProcessedErrorThreshold' | 'seriesLimit';

interface NumberFieldProps extends SectionProps {
  field: NumberKey;
  label: string;
  tooltip: string;
  placeholder: string;
  /** Returns an error message for a value the backend or the editors would reject. */
  check: (n: number) => string | undefined;
}

/** A numeric jsonData key: an empty field removes the key, anything else must be a number that passes check. */
export function NumberField({ options, onOptionsChange, field, label, tooltip, placeholder, check }: NumberFieldProps) {
  const saved = options.jsonData[field];
  const [text, setText] = useState(saved === undefined ? '' : String(saved));
  const n = Number(text);
  const problem = text.trim() === '' ? undefined : Number.isFinite(n) ? check(n) : 'Enter a number';
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip} invalid={Boolean(problem)} error={problem}>
      <Input
        id={`amp-${field}`}
        width={SHORT_WIDTH}
        value={text}
        placeholder={placeholder}
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          const value = event.currentTarget.value;
          setText(value);
          const parsed = Number(value);
          if (value.trim() === '') {
            onOptionsChange(withJsonData(options, field, undefined));
          } else if (Number.isFinite(parsed) && !check(parsed)) {
            onOptionsChange(withJsonData(options, field, parsed));
          }
        }}
      />
    </InlineField>
  );
}
