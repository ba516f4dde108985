// Jest runs the frontend unit tests in jsdom. Sources and the ESM-only packages Grafana's UI pulls in are
// compiled with Babel (pure JavaScript, no platform binaries).
'use strict';

const path = require('path');

// ESM-only packages that @grafana/data and @grafana/ui load while these tests run (found by running them);
// everything else in node_modules ships CommonJS and is not transformed, which keeps runs fast.
const ESM_PACKAGES = [
  'd3-[a-z-]+',
  'marked',
  'react-calendar',
  'get-user-locale',
  'memoize',
  'mimic-function',
  '@wojtekmaj',
];

const babelOptions = {
  babelrc: false,
  configFile: false,
  presets: [
    ['@babel/preset-env', { targets: { node: 'current' } }],
    // Classic runtime, as in the build (tsconfig "jsx": "react").
    ['@babel/preset-react', { runtime: 'classic' }],
    '@babel/preset-typescript',
  ],
};

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  roots: ['<rootDir>/src'],
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
  setupFiles: ['<rootDir>/.config/jest-setup-env.js'],
  setupFilesAfterEnv: ['<rootDir>/.config/jest-setup.js'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.[mc]js$': ['babel-jest', babelOptions],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: {
    // @grafana/ui imports uPlot's stylesheet.
    '\\.css$': '<rootDir>/.config/jest-style-stub.js',
    '^react-inlinesvg$': '<rootDir>/.config/jest-inlinesvg-stub.js',
  },
  clearMocks: true,
  // The @grafana/* major version the suite runs against; src/grafana_packages.test.ts checks it.
  globals: { GRAFANA_MAJOR: 13 },
  // Six test runs share two CPU cores on CI machines; user-event tests of Grafana's UI need the headroom.
  testTimeout: 30000,
};

// Not a jest option: the Grafana 11 configuration extends this list.
Object.defineProperty(module.exports, 'esmPackages', { value: ESM_PACKAGES, enumerable: false });
