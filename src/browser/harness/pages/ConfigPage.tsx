import React, { useState } from 'react';

import { getBackendSrv, TestingStatus } from '@grafana/runtime';
import { Alert, Button, Stack } from '@grafana/ui';

import { ConfigEditor } from '../../../components/ConfigEditor';
import { DataSource } from '../../../datasource';
import { instanceSettings, Settings } from '../settings';

/** The data source settings page: the real config editor, Save and Save & test as in Grafana. */
export function ConfigPage({ initial }: { initial: Settings }) {
  const [options, setOptions] = useState(initial);
  const [status, setStatus] = useState<string>('');
  const [tested, setTested] = useState<TestingStatus>();

  const save = async () => {
    const saved = await getBackendSrv().put<{ datasource: Settings }>(`/api/datasources/uid/${options.uid}`, options);
    // Grafana's answer carries no plugin name (its settings page has that from the plugin's meta); keep ours.
    setOptions({ ...saved.datasource, typeName: options.typeName });
    setStatus(`Saved (version ${saved.datasource.version})`);
    return saved.datasource;
  };

  const saveAndTest = async () => {
    // The previous result goes at once, so nobody reads it as this test's.
    setTested(undefined);
    setStatus('Testing...');
    const saved = await save();
    try {
      const result = await new DataSource(instanceSettings(saved)).testDatasource();
      setTested(result);
      setStatus(`Test: ${result.status}: ${result.message}`);
    } catch (err) {
      // A failed check rejects with the status and a HealthCheckError that carries the details, which Grafana's
      // data source page reads from there.
      const failed = err as TestingStatus & { error?: { details?: TestingStatus['details'] } };
      setTested({ ...failed, details: failed.details ?? failed.error?.details });
      setStatus(`Test: error: ${(err as { message?: string }).message}`);
    }
  };

  return (
    <section aria-label="Config editor" style={{ maxWidth: 1200 }}>
      <h2>Data source settings</h2>
      <ConfigEditor options={options} onOptionsChange={setOptions} />
      <Stack direction="row" gap={1}>
        <Button variant="secondary" onClick={save}>
          Save
        </Button>
        <Button onClick={saveAndTest}>Save &amp; test</Button>
      </Stack>
      {tested && <TestResult result={tested} />}
      <p role="status" aria-label="Config status">
        {status}
      </p>
    </section>
  );
}

/**
 * The Save & test result as Grafana's data source page shows it: the message as the alert's title, details.message
 * under it, and details.verboseMessage behind a collapsible "Details" (Grafana passes details only for failures).
 */
function TestResult({ result }: { result: TestingStatus }) {
  const details = result.details as { message?: string; verboseMessage?: string } | undefined;
  return (
    <div aria-label="Test result" data-title={result.message} style={{ marginTop: 16 }}>
      <Alert severity={result.status === 'success' ? 'success' : 'error'} title={result.message ?? ''}>
        {details?.message && <p>{details.message}</p>}
        {details?.verboseMessage && (
          <details>
            <summary>Details</summary>
            <pre style={{ whiteSpace: 'pre-wrap' }}>{details.verboseMessage}</pre>
          </details>
        )}
      </Alert>
    </div>
  );
}
