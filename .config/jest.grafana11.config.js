// The same jest suite against the oldest Grafana the plugin supports: @grafana/data, ui, runtime, schema and
// e2e-selectors resolve to the 11.6.0 packages installed under npm aliases (package.json "@grafana/*-11"), for the
// test files and for every package that imports them, so one copy of each is loaded.
'use strict';

const base = require('./jest.config');

const GRAFANA_11 = ['data', 'ui', 'runtime', 'schema', 'e2e-selectors'];

// ESM-only packages that only Grafana 11.6's @grafana/ui loads (it bundles OpenLayers); they sit in
// node_modules/@grafana/ui-11/node_modules, so the pattern looks at the innermost node_modules directory.
const ESM_PACKAGES = [...base.esmPackages, 'ol', 'color-space', 'color-rgba', 'color-parse', 'rbush', 'quickselect', 'earcut'];

module.exports = {
  ...base,
  globals: { GRAFANA_MAJOR: 11 },
  transformIgnorePatterns: [`/node_modules/(?!.*/node_modules/)(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    ...Object.fromEntries(
      GRAFANA_11.map((name) => [`^@grafana/${name}(/.*)?$`, `<rootDir>/node_modules/@grafana/${name}-11$1`])
    ),
  },
};
