import React, { useEffect, useMemo, useRef, useState } from 'react';

import { CoreApp, QueryEditorProps } from '@grafana/data';
import { Alert, Button, Field, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { QueryModes } from '../querybuilder/components/QueryModes';
import { MetricsCatalog } from '../querybuilder/metrics_catalog';
import { defaultTimeRange } from '../time_range';
import { AmpOptions, PromQuery } from '../types';

import { NO_MARGIN } from './field_style';
import { dashboardVariableNames, PromQLEditor } from './PromQLEditor';
import { QueryOptions } from './QueryOptions';

type Props = QueryEditorProps<DataSource, PromQuery, AmpOptions>;

/** Alert rules: Grafana's Prometheus editor is code-only there, with one query type. */
export function isAlerting(app?: CoreApp): boolean {
  return app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting;
}

/** The parts of a query that decide its data, to tell whether what is shown is stale. */
const runKey = (q: PromQuery) =>
  JSON.stringify([q.expr ?? '', q.legendFormat, q.interval, q.format, q.range, q.instant, q.exemplar]);

/**
 * The query editor: a header with "Run queries" (primary while the shown data is stale), the PromQL code editor
 * with completion from the workspace, query hints with their fixes, and the collapsible Options row Grafana's
 * Prometheus editor saves (legend, min step, format, type, exemplars). Every field of the query is kept as it
 * was, so a query saved by the core Prometheus editor round-trips unchanged. The expression is committed, and
 * the query run, on blur and on Shift+Enter. Outside alert rules the header switches between the Builder and
 * Code (src/querybuilder) and offers Kick start, Explain and the metrics browser.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource, range, app, data }: Props) {
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const client = useMemo(
    () => datasource.completionClient?.(() => rangeRef.current ?? defaultTimeRange()),
    [datasource]
  );
  const catalog = useMemo(
    () => new MetricsCatalog(datasource.resources, () => rangeRef.current ?? defaultTimeRange()),
    [datasource]
  );
  const alerting = isAlerting(app);
  // What the editor holds right now, typed but not yet committed included.
  const [text, setText] = useState(query.expr ?? '');
  useEffect(() => setText(query.expr ?? ''), [query.expr]);
  const [lastRun, setLastRun] = useState(() => runKey(query));
  // The panel's last request says what the shown data came from; without one, the last run from here.
  const shown = data?.request?.targets.find((t) => t.refId === query.refId) as PromQuery | undefined;
  const stale = runKey({ ...query, expr: text }) !== (shown ? runKey(shown) : lastRun);

  const run = (next: PromQuery) => {
    onChange(next);
    setLastRun(runKey(next));
    onRunQuery();
  };

  const commitExpr = (expr: string) => {
    if (expr !== (query.expr ?? '')) {
      run({ ...query, expr });
    }
  };

  // Not on every keystroke: the hints follow the committed query and the data shown.
  const series = data?.series;
  const hints = useMemo(() => datasource.getQueryHints?.(query, series ?? []) ?? [], [datasource, query, series]);

  const runButton = !alerting && app !== CoreApp.Explore && (
    <Button
      size="sm"
      icon="play"
      variant={stale ? 'primary' : 'secondary'}
      aria-label={stale ? 'Run queries (the data shown is stale)' : 'Run queries'}
      onClick={() => run({ ...query, expr: text })}
    >
      Run queries
    </Button>
  );
  const codeEditor = (
    <Field label="PromQL query" style={NO_MARGIN}>
      <PromQLEditor
        value={query.expr ?? ''}
        ariaLabel="PromQL query"
        client={client}
        placeholder="Enter a PromQL query (Shift+Enter to run)"
        onBlur={commitExpr}
        onChange={setText}
        onRunQuery={(expr) => run({ ...query, expr })}
        variables={dashboardVariableNames}
      />
    </Field>
  );

  return (
    <Stack direction="column" gap={1}>
      {alerting ? (
        codeEditor
      ) : (
        <QueryModes
          refId={query.refId}
          expr={query.expr ?? ''}
          editorMode={query.editorMode}
          defaultEditor={datasource.defaultEditor}
          catalog={catalog}
          actions={runButton}
          onChange={(change, runNow) => (runNow ? run({ ...query, ...change }) : onChange({ ...query, ...change }))}
          code={codeEditor}
        />
      )}
      {hints.length > 0 && (
        <div aria-label="Query hints">
          {hints.map((hint) => (
            <Stack key={hint.type} direction="row" gap={1} alignItems="center">
              <Text color="secondary" variant="bodySmall">
                Hint: {hint.label}
              </Text>
              {hint.fix?.action && datasource.modifyQuery && (
                <Button
                  size="sm"
                  variant="secondary"
                  fill="text"
                  onClick={() => run(datasource.modifyQuery!(query, hint.fix!.action!))}
                >
                  {hint.fix.label}
                </Button>
              )}
            </Stack>
          ))}
        </div>
      )}
      <QueryOptions query={query} onChange={onChange} run={run} alerting={alerting} />
      {query.exemplar && !alerting && (
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
