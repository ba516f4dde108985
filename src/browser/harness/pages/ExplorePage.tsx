import React, { useRef, useState } from 'react';

import { CoreApp, DataFrame, getFieldDisplayName, TimeRange } from '@grafana/data';
import { Button, IconButton, Stack, Text } from '@grafana/ui';

import { QueryEditor } from '../../../components/QueryEditor';
import { DataSource } from '../../../datasource';
import { PromQuery } from '../../../types';
import { Graph } from '../Graph';
import { Column, Table } from '../Table';

import { Controls, DashboardControls } from './DashboardControls';
import { runQueries } from './request';

/** One row of the results table: a frame's value field with the name a panel would show. */
interface SeriesRow {
  name: string;
  labels: Record<string, string>;
  type: string;
  points: number;
  last: string;
}

const COLUMNS: Column[] = [
  { header: 'Series', cell: 'name' },
  { header: 'Filter for / out value', cell: 'labels' },
  { header: 'Frame type', cell: 'type' },
  { header: 'Points', cell: 'points' },
  { header: 'Last value', cell: 'last', mono: true },
];

function seriesRows(frames: DataFrame[]): SeriesRow[] {
  return frames.map((frame) => {
    const value = frame.fields[1];
    const last = value?.values[value.values.length - 1];
    return {
      name: value ? getFieldDisplayName(value, frame, frames) : (frame.name ?? 'frame'),
      labels: value?.labels ?? {},
      type: frame.meta?.type ?? '',
      points: frame.length,
      last: typeof last === 'number' ? String(Number(last.toPrecision(6))) : String(last ?? ''),
    };
  });
}

/** Explore: the query editor against the fixture workspace, with the frames as a graph and a table. */
export function ExplorePage({ datasource, range }: { datasource: DataSource; range: TimeRange }) {
  const [query, setQuery] = useState<PromQuery>(() => ({
    refId: 'A',
    ...datasource.getDefaultQuery(CoreApp.Explore),
    expr: '',
  }));
  const [frames, setFrames] = useState<DataFrame[]>([]);
  const [error, setError] = useState('');
  const [running, setRunning] = useState(false);
  const [controls, setControls] = useState<Controls>({ filters: [], groupByKeys: [], scopes: [] });
  const controlsRef = useRef(controls);
  controlsRef.current = controls;
  // The editor reports the new query before asking for a run; keep the latest one for the run.
  const latest = useRef(query);

  const run = async () => {
    setRunning(true);
    const { filters, groupByKeys, scopes } = controlsRef.current;
    const result = await runQueries(datasource, CoreApp.Explore, range, [latest.current], { filters, groupByKeys, scopes });
    setRunning(false);
    setError(result.error);
    setFrames(result.frames);
  };

  /** Explore's "filter for value" / "filter out value": the data source rewrites the query, which runs again. */
  const filter = (type: 'ADD_FILTER' | 'ADD_FILTER_OUT', key: string, value: string) => {
    const next = datasource.modifyQuery(latest.current, { type, options: { key, value } });
    latest.current = next;
    setQuery(next);
    run();
  };

  const labelButtons = (labels: Record<string, string>) => (
    <Stack direction="row" gap={1} wrap="wrap">
      {Object.entries(labels)
        .filter(([k]) => k !== '__name__')
        .map(([k, v]) => (
          <span key={k} style={{ whiteSpace: 'nowrap' }}>
            <code>{`${k}=${v}`}</code>
            <IconButton name="search-plus" size="sm" aria-label={`Filter for ${k}="${v}"`} onClick={() => filter('ADD_FILTER', k, v)} />
            <IconButton name="search-minus" size="sm" aria-label={`Filter out ${k}="${v}"`} onClick={() => filter('ADD_FILTER_OUT', k, v)} />
          </span>
        ))}
    </Stack>
  );

  return (
    <section aria-label="Query editor">
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <h2>Explore</h2>
        {/* Explore's own toolbar button; the query editor shows "Run queries" only in panels. */}
        <Button icon="sync" onClick={run} disabled={running}>
          Run query
        </Button>
      </Stack>
      <DashboardControls
        datasource={datasource}
        range={range}
        controls={controls}
        onChange={(c) => {
          controlsRef.current = c;
          setControls(c);
        }}
      />
      <QueryEditor
        app={CoreApp.Explore}
        datasource={datasource}
        query={query}
        range={range}
        onChange={(q) => {
          latest.current = q;
          setQuery(q);
        }}
        onRunQuery={run}
      />
      <div aria-label="Query results" aria-busy={running} style={{ marginTop: 16 }}>
        {error && (
          <Text color="error" element="p">
            {error}
          </Text>
        )}
        <Graph frames={frames} />
        {frames.length > 0 && (
          <Table
            label="Series"
            columns={COLUMNS}
            rows={seriesRows(frames).map((r) => [r.name, labelButtons(r.labels), r.type, String(r.points), r.last])}
          />
        )}
      </div>
    </section>
  );
}
