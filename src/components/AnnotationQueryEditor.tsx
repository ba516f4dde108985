import React, { ChangeEvent, useMemo, useRef, useState } from 'react';

import { AnnotationQuery, QueryEditorProps } from '@grafana/data';
import { Field, Input, Stack, Switch } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { defaultTimeRange } from '../time_range';
import { AmpOptions, PromAnnotationFields, PromQuery } from '../types';

import { dashboardVariableNames, PromQLEditor } from './PromQLEditor';
import { NO_MARGIN } from './field_style';

type Props = QueryEditorProps<DataSource, PromQuery, AmpOptions> & {
  annotation?: AnnotationQuery<PromQuery> & PromAnnotationFields;
  onAnnotationChange?: (annotation: AnnotationQuery<PromQuery> & PromAnnotationFields) => void;
};

type TextKey = 'step' | 'titleFormat' | 'textFormat' | 'tagKeys';

/**
 * The annotation editor. Like Grafana's Prometheus data source it stores the PromQL, step and label templates on
 * the annotation itself, so dashboards keep their annotations when they move between the two data sources.
 */
export function AnnotationQueryEditor({ annotation, onAnnotationChange, datasource, range }: Props) {
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const client = useMemo(
    () => datasource.completionClient?.(() => rangeRef.current ?? defaultTimeRange()),
    [datasource]
  );
  const [drafts, setDrafts] = useState<Record<TextKey, string>>({
    step: annotation?.step ?? '',
    titleFormat: annotation?.titleFormat ?? '',
    textFormat: annotation?.textFormat ?? '',
    tagKeys: annotation?.tagKeys ?? '',
  });
  if (!annotation || !onAnnotationChange) {
    return null;
  }

  const update = (change: Partial<PromAnnotationFields>) => {
    const next = { ...annotation, ...change };
    onAnnotationChange({ ...next, target: { ...annotation.target, refId: annotation.target?.refId ?? 'Anno', expr: next.expr ?? '' } });
  };

  const text = (key: TextKey, label: string, placeholder: string, description?: string) => (
    <Field label={label} description={description} style={NO_MARGIN}>
      <Input
        id={`amp-annotation-${key}`}
        width={40}
        value={drafts[key]}
        placeholder={placeholder}
        onChange={(event: ChangeEvent<HTMLInputElement>) => setDrafts({ ...drafts, [key]: event.currentTarget.value })}
        onBlur={() => {
          if (drafts[key] !== (annotation[key] ?? '')) {
            update({ [key]: drafts[key] });
          }
        }}
      />
    </Field>
  );

  return (
    <Stack direction="column" gap={1}>
      <Field label="PromQL query" description="Every non-zero sample becomes an event" style={NO_MARGIN}>
        <PromQLEditor
          value={annotation.expr ?? annotation.target?.expr ?? ''}
          ariaLabel="Annotation PromQL query"
          client={client}
          placeholder='ALERTS{alertstate="firing"}'
          onBlur={(expr) => expr !== (annotation.expr ?? '') && update({ expr })}
          onRunQuery={(expr) => update({ expr })}
          variables={dashboardVariableNames}
        />
      </Field>
      {text('step', 'Min step', '60s', 'Samples closer together than the step form one region')}
      {text('titleFormat', 'Title', '{{alertname}}')}
      {text('textFormat', 'Text', '{{instance}}')}
      {text('tagKeys', 'Tags', 'job,severity', 'Comma-separated label names whose values become tags')}
      <Field label="Series value as timestamp" description="The sample value is the event time in milliseconds" style={NO_MARGIN}>
        <Switch
          id="amp-annotation-use-value"
          value={Boolean(annotation.useValueForTime)}
          onChange={(event: ChangeEvent<HTMLInputElement>) => update({ useValueForTime: event.currentTarget.checked })}
        />
      </Field>
    </Stack>
  );
}
