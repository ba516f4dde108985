import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { AmpOptions, AmpSecureOptions, PromQuery } from './types';

/** The entry point Grafana loads: it reads the `plugin` export of module.js. */
export const plugin = new DataSourcePlugin<DataSource, PromQuery, AmpOptions, AmpSecureOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
