import React, { useRef, useState } from 'react';

import { CoreApp, DataFrame, getFieldDisplayName, TimeRange } from '@grafana/data';
import { Text } from '@grafana/ui';

import { QueryEditor } from '../../../components/QueryEditor';
import { DataSource } from '../../../datasource';
import { PromQuery } from '../../../types';
import { Graph } from '../Graph';
import { Column, Table } from '../Table';

import { runQueries } from './request';

/** One row of the results table: a frame's value field with the name a panel would show. */
interface SeriesRow {
  name: string;
  type: string;
  points: number;
  last: string;
}

const COLUMNS: Column[] = [
  { header: 'Series', cell: 'name' },
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
  // The editor reports the new query before asking for a run; keep the latest one for the run.
  const latest = useRef(query);

  const run = async () => {
    setRunning(true);
    const result = await runQueries(datasource, CoreApp.Explore, range, [latest.current]);
    setRunning(false);
    setError(result.error);
    setFrames(result.frames);
  };

  return (
    <section aria-label="Query editor">
      <h2>Explore</h2>
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
            rows={seriesRows(frames).map((r) => [r.name, r.type, String(r.points), r.last])}
          />
        )}
      </div>
    </section>
  );
}
