import React, { useState } from 'react';

import { getBackendSrv } from '@grafana/runtime';
import { Button, Stack } from '@grafana/ui';

import { ConfigEditor } from '../../../components/ConfigEditor';
import { DataSource } from '../../../datasource';
import { instanceSettings, Settings } from '../settings';

/** The data source settings page: the real config editor, Save and Save & test as in Grafana. */
export function ConfigPage({ initial }: { initial: Settings }) {
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
