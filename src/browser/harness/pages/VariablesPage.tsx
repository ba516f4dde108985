import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';

import { CoreApp, DataQueryRequest, MetricFindValue, TimeRange } from '@grafana/data';
import { Button, Text } from '@grafana/ui';

import { VariableQueryEditor } from '../../../components/VariableQueryEditor';
import { DataSource } from '../../../datasource';
import { PromVariableQuery } from '../../../types';
import { AmpVariableSupport } from '../../../variables/variable_support';

/** Template variables: the real variable editor, resolved through the data source's variable support as a
 * dashboard does. */
export function VariablesPage({ datasource, range }: { datasource: DataSource; range: TimeRange }) {
  const [query, setQuery] = useState<PromVariableQuery>({ refId: 'variable', query: 'label_values(fixture_up, job)' });
  const [values, setValues] = useState<MetricFindValue[]>([]);
  const [error, setError] = useState('');

  const resolve = async () => {
    setError('');
    const request = {
      app: CoreApp.Dashboard,
      requestId: 'playground-variable',
      range,
      interval: '',
      intervalMs: 0,
      scopedVars: {},
      targets: [query],
      timezone: 'utc',
      startTime: Date.now(),
    } as unknown as DataQueryRequest<PromVariableQuery>;
    try {
      const response = await lastValueFrom((datasource.variables as AmpVariableSupport).query(request));
      setValues(response.data as MetricFindValue[]);
    } catch (err) {
      setValues([]);
      setError((err as Error).message);
    }
  };

  return (
    <section aria-label="Variable">
      <h2>Template variable</h2>
      <VariableQueryEditor datasource={datasource} query={query} onChange={setQuery} onRunQuery={resolve} range={range} />
      <p>
        <Text color="secondary">
          Saved query: <code aria-label="Variable query text">{query.query}</code>
        </Text>
      </p>
      <Button onClick={resolve}>Resolve</Button>
      {error && (
        <Text color="error" element="p">
          {error}
        </Text>
      )}
      <ul aria-label="Variable values">
        {values.map((v) => (
          <li key={String(v.text)}>{v.text}</li>
        ))}
      </ul>
    </section>
  );
}
