import React, { ChangeEvent, useState } from 'react';

import { SelectableValue } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, Switch } from '@grafana/ui';

import { AmpOptions } from '../../types';

import { SectionProps, withJsonData } from './settings_props';

type HttpMethod = 'GET' | 'POST';

const METHOD_OPTIONS: Array<SelectableValue<HttpMethod>> = [
  { label: 'POST', value: 'POST', description: 'Parameters in the request body (recommended)' },
  { label: 'GET', value: 'GET', description: 'Parameters in the URL' },
];

/** A Prometheus duration such as `15s`, `1m30s` or `2h`. */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

type NumberKey = 'timeout' | 'maxSamplesProcessedWarningThreshold' | 'maxSamplesProcessedErrorThreshold';
type TextKey = 'queryTimeout' | 'timeInterval' | 'customQueryParameters';
type SwitchKey = 'queryStatsEnabled' | 'forwardGrafanaUserHeader';

interface NumberFieldProps extends SectionProps {
  field: NumberKey;
  label: string;
  description: string;
  placeholder: string;
  /** Returns an error message for a value the backend would reject. */
  check: (n: number) => string | undefined;
}

/** A numeric jsonData key: an empty field removes the key, anything else must be a number the backend accepts. */
function NumberField({ options, onOptionsChange, field, label, description, placeholder, check }: NumberFieldProps) {
  const saved = options.jsonData[field];
  const [text, setText] = useState(saved === undefined ? '' : String(saved));
  const n = Number(text);
  const problem = text.trim() === '' ? undefined : Number.isFinite(n) ? check(n) : 'Enter a number';
  return (
    <Field label={label} description={description} invalid={Boolean(problem)} error={problem}>
      <Input
        id={`amp-${field}`}
        width={20}
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
    </Field>
  );
}

const wholeSamples = (n: number) => (n < 0 || !Number.isInteger(n) ? 'Enter a whole number of samples, 0 turns it off' : undefined);

/** Query behaviour: HTTP method, timeouts, scrape interval, extra parameters, AMP thresholds and statistics. */
export function QuerySettings(props: SectionProps) {
  const { options, onOptionsChange } = props;
  const jsonData = options.jsonData;

  const text = (key: TextKey, label: string, description: string, placeholder: string, duration: boolean) => {
    const value = jsonData[key] ?? '';
    const invalid = duration && value !== '' && !DURATION.test(value);
    return (
      <Field label={label} description={description} invalid={invalid} error="Use a duration such as 30s or 1m">
        <Input
          id={`amp-${key}`}
          width={duration ? 20 : 60}
          value={value}
          placeholder={placeholder}
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange(withJsonData(options, key, event.currentTarget.value || undefined))
          }
        />
      </Field>
    );
  };

  const toggle = (key: SwitchKey, label: string, description: string) => (
    <Field label={label} description={description}>
      <Switch
        id={`amp-${key}`}
        value={Boolean(jsonData[key])}
        onChange={(event: ChangeEvent<HTMLInputElement>) =>
          onOptionsChange(withJsonData<keyof AmpOptions>(options, key, event.currentTarget.checked))
        }
      />
    </Field>
  );

  return (
    <FieldSet label="Queries">
      <Field label="HTTP method" description="POST keeps long queries out of the URL">
        <RadioButtonGroup<HttpMethod>
          aria-label="HTTP method"
          options={METHOD_OPTIONS}
          value={jsonData.httpMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST'}
          onChange={(method) => onOptionsChange(withJsonData(options, 'httpMethod', method))}
        />
      </Field>
      {text('timeInterval', 'Scrape interval', 'The smallest step queries use; match the scrape interval', '15s', true)}
      {text('queryTimeout', 'Query timeout', 'Sent to Prometheus as the timeout parameter', '60s', true)}
      <NumberField
        {...props}
        field="timeout"
        label="HTTP timeout (seconds)"
        description="How long the plugin waits for an answer"
        placeholder="30"
        check={(n) => (n <= 0 || n > 600 ? 'Use a value between 1 and 600 seconds' : undefined)}
      />
      {text(
        'customQueryParameters',
        'Custom query parameters',
        'Added to every request, e.g. dedup=false&partial_response=true',
        'key=value&key2=value2',
        false
      )}
      <NumberField
        {...props}
        field="maxSamplesProcessedWarningThreshold"
        label="Samples processed warning threshold"
        description="AMP warns about queries that process more samples; 0 or empty turns it off"
        placeholder="0"
        check={wholeSamples}
      />
      <NumberField
        {...props}
        field="maxSamplesProcessedErrorThreshold"
        label="Samples processed error threshold"
        description="AMP rejects queries that process more samples; 0 or empty turns it off"
        placeholder="0"
        check={wholeSamples}
      />
      {toggle('queryStatsEnabled', 'Query statistics', 'Ask for and show the number of samples each query processed')}
      {toggle('forwardGrafanaUserHeader', 'Forward Grafana user header', 'Send X-Grafana-User with each request (not signed)')}
    </FieldSet>
  );
}
