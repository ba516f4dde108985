import React, { useMemo, useState } from 'react';
import { lastValueFrom } from 'rxjs';

import {
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataSourceSettings,
  dateTime,
  getFieldDisplayName,
  MetricFindValue,
  TimeRange,
} from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Field, Input, Stack, Text } from '@grafana/ui';

import { ConfigEditor } from '../../components/ConfigEditor';
import { QueryEditor } from '../../components/QueryEditor';
import { DataSource } from '../../datasource';
import { AmpOptions, AmpSecureOptions, PromQuery } from '../../types';

import { MigratedDashboard } from './MigratedDashboard';
import { HarnessTemplateSrv } from './services';

export type Settings = DataSourceSettings<AmpOptions, AmpSecureOptions>;

/** What the harness server writes into the page. */
export interface HarnessConfig {
  queryDataSource: Settings;
  configDataSource: Settings;
  /** A core Prometheus data source after Grafana's type migration; the saved dashboard fixture refers to it. */
  migratedDataSource: Settings;
  /** The dashboard time range, Unix milliseconds. */
  range: { from: number; to: number };
}

/** DataSourceInstanceSettings as Grafana builds them from stored settings. */
export function instanceSettings(s: Settings) {
  return {
    id: s.id,
    uid: s.uid,
    type: s.type,
    name: s.name,
    access: s.access,
    url: s.url,
    readOnly: s.readOnly,
    jsonData: s.jsonData,
    meta: { id: s.type, name: s.typeName, type: 'datasource', module: '', baseUrl: '', info: {} },
  } as never;
}

function frameSummary(frame: DataFrame): string {
  const value = frame.fields[1];
  if (!value) {
    return `${frame.name ?? 'frame'} (no values)`;
  }
  const last = value.values[value.values.length - 1];
  return `${getFieldDisplayName(value, frame)} = ${last} (${frame.length} points)`;
}

function ConfigSection({ initial }: { initial: Settings }) {
  const [options, setOptions] = useState(initial);
  const [status, setStatus] = useState<string>('');

  const save = async () => {
    const saved = await getBackendSrv().put<{ datasource: Settings }>(`/api/datasources/uid/${options.uid}`, options);
    setOptions(saved.datasource);
    setStatus(`Saved (version ${saved.datasource.version})`);
    return saved.datasource;
  };

  const saveAndTest = async () => {
    const saved = await save();
    try {
      const result = await new DataSource(instanceSettings(saved)).testDatasource();
      setStatus(`Test: ${result.status}: ${result.message}`);
    } catch (err) {
      setStatus(`Test: error: ${(err as { message?: string }).message}`);
    }
  };

  return (
    <section aria-label="Config editor" style={{ maxWidth: 900 }}>
      <h2>Data source settings</h2>
      <ConfigEditor options={options} onOptionsChange={setOptions} />
      <Stack direction="row" gap={1}>
        <Button variant="secondary" onClick={save}>
          Save
        </Button>
        <Button onClick={saveAndTest}>Save &amp; test</Button>
      </Stack>
      <p role="status" aria-label="Config status">
        {status}
      </p>
    </section>
  );
}

function QuerySection({ datasource, range }: { datasource: DataSource; range: TimeRange }) {
  const [query, setQuery] = useState<PromQuery>({ refId: 'A', ...datasource.getDefaultQuery(CoreApp.PanelEditor), expr: '' });
  const [results, setResults] = useState<string[]>([]);
  const [error, setError] = useState<string>('');

  const run = async (target: PromQuery) => {
    const request = {
      requestId: 'harness',
      app: CoreApp.PanelEditor,
      range,
      interval: '1m',
      intervalMs: 60_000,
      maxDataPoints: 400,
      scopedVars: {},
      targets: [target],
      timezone: 'utc',
      startTime: Date.now(),
    } as unknown as DataQueryRequest<PromQuery>;
    const response = await lastValueFrom(datasource.query(request));
    setError(response.errors?.map((e) => e.message).join('; ') ?? '');
    setResults((response.data as DataFrame[]).map(frameSummary));
  };

  // The editor reports the new query before asking for a run; keep the latest one for the run.
  const latest = React.useRef(query);
  return (
    <section aria-label="Query editor" style={{ maxWidth: 900 }}>
      <h2>Query</h2>
      <QueryEditor
        datasource={datasource}
        query={query}
        range={range}
        onChange={(q) => {
          latest.current = q;
          setQuery(q);
        }}
        onRunQuery={() => run(latest.current)}
      />
      <div aria-label="Query results">
        {error && <Text color="error">{error}</Text>}
        <ul>
          {results.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function VariableSection({ datasource, range }: { datasource: DataSource; range: TimeRange }) {
  const [text, setText] = useState('label_values(fixture_up, job)');
  const [values, setValues] = useState<MetricFindValue[]>([]);
  const [error, setError] = useState('');
  const resolve = async () => {
    try {
      setError('');
      setValues(await datasource.metricFindQuery(text, { range }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section aria-label="Variable" style={{ maxWidth: 900 }}>
      <h2>Template variable</h2>
      <Stack direction="row" gap={1} alignItems="flex-end">
        <Field label="Variable query" noMargin>
          <Input id="harness-variable" width={50} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        </Field>
        <Button onClick={resolve}>Resolve</Button>
      </Stack>
      {error && <Text color="error">{error}</Text>}
      <ul aria-label="Variable values">
        {values.map((v) => (
          <li key={v.text}>{v.text}</li>
        ))}
      </ul>
    </section>
  );
}

/** The harness page: the real editors against the local server standing in for Grafana. */
export function HarnessApp({ config, templateSrv }: { config: HarnessConfig; templateSrv: HarnessTemplateSrv }) {
  const datasource = useMemo(() => new DataSource(instanceSettings(config.queryDataSource)), [config]);
  const range: TimeRange = useMemo(() => {
    const from = dateTime(config.range.from);
    const to = dateTime(config.range.to);
    return { from, to, raw: { from, to } };
  }, [config]);
  return (
    <div style={{ padding: 16 }}>
      <h1>Amazon Managed Service for Prometheus: editor harness</h1>
      <QuerySection datasource={datasource} range={range} />
      <VariableSection datasource={datasource} range={range} />
      <ConfigSection initial={config.configDataSource} />
      <MigratedDashboard range={range} templateSrv={templateSrv} migratedUids={[config.migratedDataSource.uid]} />
    </div>
  );
}
