import { DataSourceInstanceSettings, PluginType } from '@grafana/data';

import { AmpOptions } from '../types';

/** The instance settings Grafana gives the plugin for a data source with uid `amp` and the given jsonData. */
export function ampInstanceSettings(jsonData: AmpOptions): DataSourceInstanceSettings<AmpOptions> {
  return {
    id: 1,
    uid: 'amp',
    type: 'grafana-amazonprometheus-datasource',
    name: 'AMP',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'grafana-amazonprometheus-datasource',
      name: 'AMP',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: {
        author: { name: '' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
}
