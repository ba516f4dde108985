import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';

import { AnnotationEvent, CoreApp, TimeRange } from '@grafana/data';
import { Button, Text } from '@grafana/ui';

import { PromAnnotation } from '../../../annotations/annotation_support';
import { AnnotationQueryEditor } from '../../../components/AnnotationQueryEditor';
import { DataSource } from '../../../datasource';

import { Column, Table } from '../Table';

import { runQueries } from './request';

const initial: PromAnnotation = {
  name: 'Errors',
  enable: true,
  iconColor: 'red',
  expr: 'fixture_http_requests_total{status="500"} > 0',
  step: '5m',
  titleFormat: '{{job}} errors',
  textFormat: '{{instance}}',
  tagKeys: 'job',
  target: { refId: 'Anno', expr: 'fixture_http_requests_total{status="500"} > 0' },
};

const COLUMNS: Column[] = [
  { header: 'Time', cell: 'time', mono: true },
  { header: 'End', cell: 'end', mono: true },
  { header: 'Title', cell: 'title' },
  { header: 'Text', cell: 'text' },
  { header: 'Tags', cell: 'tags' },
];

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : '');

/** Annotations: the real annotation editor; Run sends the query through the backend and turns frames into
 * events with the data source's annotation support, as a dashboard does. */
export function AnnotationsPage({ datasource, range }: { datasource: DataSource; range: TimeRange }) {
  const [annotation, setAnnotation] = useState<PromAnnotation>(initial);
  const [events, setEvents] = useState<AnnotationEvent[]>([]);
  const [error, setError] = useState('');

  const run = async () => {
    const support = datasource.annotations!;
    const prepared = support.prepareAnnotation!(annotation) as PromAnnotation;
    const target = support.prepareQuery!(prepared);
    if (!target) {
      setError('The annotation has no query');
      return;
    }
    const result = await runQueries(datasource, CoreApp.Dashboard, range, [target]);
    setError(result.error);
    setEvents((await lastValueFrom(support.processEvents!(prepared, result.frames))) ?? []);
  };

  return (
    <section aria-label="Annotations">
      <h2>Annotation query</h2>
      <AnnotationQueryEditor
        datasource={datasource}
        query={annotation.target!}
        onChange={() => {}}
        onRunQuery={run}
        range={range}
        annotation={annotation}
        onAnnotationChange={setAnnotation}
      />
      <p>
        <Button onClick={run}>Run annotation query</Button>
      </p>
      {error && (
        <Text color="error" element="p">
          {error}
        </Text>
      )}
      <Table
        label="Annotation events"
        columns={COLUMNS}
        rows={events.map((e) => [
          iso(e.time),
          iso(e.timeEnd),
          e.title ?? '',
          e.text ?? '',
          e.tags?.join(', ') ?? '',
        ])}
      />
    </section>
  );
}
