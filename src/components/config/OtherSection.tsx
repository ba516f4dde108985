import React, { ChangeEvent } from 'react';

import { Button, IconButton, InlineField, InlineFieldRow, Input, Text } from '@grafana/ui';

import { ExemplarTraceIdDestination } from '../../types';

import { ConfigSection, ConfigSubSection } from './ConfigSection';
import { LABEL_WIDTH, SectionProps, withJsonData } from './settings_props';

/** The one-line explanation shown with the exemplar settings. */
export const NO_EXEMPLARS =
  'Amazon Managed Service for Prometheus stores no exemplars, so these links appear only if this data source points at another Prometheus-compatible server that does.';

/**
 * Settings that mean little on AMP but came with migrated data sources. They are shown, with what they do here,
 * rather than hidden, so nothing in the saved JSON is invisible.
 */
export function OtherSection(props: SectionProps) {
  const { options, onOptionsChange } = props;
  const destinations = options.jsonData.exemplarTraceIdDestinations ?? [];
  const write = (next: ExemplarTraceIdDestination[]) =>
    onOptionsChange(withJsonData(options, 'exemplarTraceIdDestinations', next.length ? next : undefined));
  const update = (i: number, change: Partial<ExemplarTraceIdDestination>) =>
    write(destinations.map((d, j) => (j === i ? { ...d, ...change } : d)));

  return (
    <ConfigSection title="Other" collapsible initiallyOpen={destinations.length > 0}>
      <ConfigSubSection title="Exemplars" description={NO_EXEMPLARS}>
        {destinations.map((d, i) => (
          <InlineFieldRow key={i}>
            <InlineField label={`Trace link ${i + 1}`} labelWidth={LABEL_WIDTH} tooltip="The exemplar label that holds the trace ID.">
              <Input
                aria-label={`Trace link ${i + 1} label name`}
                width={20}
                value={d.name}
                placeholder="traceID"
                onChange={(e: ChangeEvent<HTMLInputElement>) => update(i, { name: e.currentTarget.value })}
              />
            </InlineField>
            {d.datasourceUid !== undefined ? (
              <InlineField label="Data source UID" labelWidth={18}>
                <Input
                  aria-label={`Trace link ${i + 1} data source UID`}
                  width={30}
                  value={d.datasourceUid}
                  onChange={(e: ChangeEvent<HTMLInputElement>) => update(i, { datasourceUid: e.currentTarget.value })}
                />
              </InlineField>
            ) : (
              <InlineField label="URL" labelWidth={8}>
                <Input
                  aria-label={`Trace link ${i + 1} URL`}
                  width={40}
                  value={d.url ?? ''}
                  placeholder="https://tracing.example.com/trace/${__value.raw}"
                  onChange={(e: ChangeEvent<HTMLInputElement>) => update(i, { url: e.currentTarget.value })}
                />
              </InlineField>
            )}
            <IconButton
              name="trash-alt"
              aria-label={`Remove trace link ${i + 1}`}
              tooltip={`Remove trace link ${i + 1}`}
              onClick={() => write(destinations.filter((_, j) => j !== i))}
            />
          </InlineFieldRow>
        ))}
        {destinations.length === 0 && (
          <Text color="secondary" variant="bodySmall">
            No trace links.
          </Text>
        )}
        <div>
          <Button variant="secondary" size="sm" icon="plus" onClick={() => write([...destinations, { name: 'traceID', url: '' }])}>
            Add trace link
          </Button>
        </div>
      </ConfigSubSection>
    </ConfigSection>
  );
}
