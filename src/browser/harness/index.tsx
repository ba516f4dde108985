import React from 'react';
import { createRoot } from 'react-dom/client';

import { createTheme, ThemeContext } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';

import { HarnessApp, HarnessConfig, instanceSettings } from './HarnessApp';
import { installRuntimeServices } from './services';

declare global {
  interface Window {
    harnessConfig: HarnessConfig;
  }
}

// The page sets window.grafanaBootData (read by @grafana/runtime's config when it loads) and window.harnessConfig
// before this bundle runs.
const config = window.harnessConfig;
installRuntimeServices(
  { job: 'api' },
  { getInstanceSettings: () => instanceSettings(config.queryDataSource) }
);

const theme = createTheme({ colors: { mode: 'light' } });
createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <HarnessApp config={config} />
  </ThemeContext.Provider>
);
