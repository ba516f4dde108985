import React from 'react';
import { createRoot } from 'react-dom/client';

import { createTheme, ThemeContext } from '@grafana/data';
import { DataSourceRef } from '@grafana/schema';
import { GlobalStyles } from '@grafana/ui';

import { Playground } from './Playground';
import { installRuntimeServices } from './services';
import { HarnessConfig, instanceSettings, Settings } from './settings';

declare global {
  interface Window {
    harnessConfig: HarnessConfig;
  }
}

// The page sets window.grafanaBootData (read by @grafana/runtime's config when it loads) and window.harnessConfig
// before this bundle runs.
const config = window.harnessConfig;
const dataSources = [config.queryDataSource, config.configDataSource, config.migratedDataSource];

/** Grafana's lookup: no reference means the default data source; a string is a uid or a name. */
function findDataSource(ref: DataSourceRef | string | null | undefined): Settings | undefined {
  if (ref === null || ref === undefined) {
    return config.queryDataSource;
  }
  const key = typeof ref === 'string' ? ref : ref.uid;
  return dataSources.find((ds) => ds.uid === key || ds.name === key);
}

const templateSrv = installRuntimeServices(
  { job: 'api' },
  {
    getInstanceSettings: (ref) => {
      const found = findDataSource(ref);
      return found && instanceSettings(found);
    },
  }
);

const theme = createTheme({ colors: { mode: 'light' } });
createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <Playground config={config} templateSrv={templateSrv} />
  </ThemeContext.Provider>
);
