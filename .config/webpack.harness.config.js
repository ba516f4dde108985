// Builds the browser-test harness page (src/browser/harness) into build/harness/. Unlike the plugin build, it
// bundles React and @grafana/* itself, because no Grafana is there to provide them; it is never packaged.
'use strict';

const path = require('path');

const root = path.resolve(__dirname, '..');

// `--env grafana=11` builds the same page against Grafana 11.6's packages (the npm aliases "@grafana/*-11") into
// build/harness-grafana11/, so the browser test can run the editors on the oldest supported Grafana too.
const GRAFANA_11 = ['data', 'ui', 'runtime', 'schema', 'e2e-selectors'];

module.exports = (env = {}) => ({
  // Development mode: minifying Grafana's UI library would only slow the test step down.
  mode: 'development',
  context: root,
  entry: { harness: './src/browser/harness/index.tsx' },
  devtool: false,
  target: 'web',
  output: {
    path: path.join(root, 'build', env.grafana === '11' ? 'harness-grafana11' : 'harness'),
    filename: '[name].js',
    publicPath: '/build/',
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
    alias:
      env.grafana === '11'
        ? Object.fromEntries(
            GRAFANA_11.map((name) => [`@grafana/${name}$`, path.join(root, 'node_modules', '@grafana', `${name}-11`)])
          )
        : {},
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          // Type errors are `npm run typecheck`'s job; here only speed matters.
          options: { configFile: path.join(root, 'tsconfig.json'), transpileOnly: true },
        },
      },
      // Grafana's packages ship ESM that imports without file extensions.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      // Grafana 11.6's .mjs files default-import CommonJS modules (react-use/lib/*) that set __esModule; as
      // strict ESM webpack would hand them the whole exports object, so they are treated as auto modules.
      ...(env.grafana === '11' ? [{ test: /\.mjs$/, include: /node_modules[\\/]@grafana[\\/][a-z-]+-11[\\/]/, type: 'javascript/auto' }] : []),
      // Stylesheets imported by dependencies (uPlot) are not needed to mount the editors.
      { test: /\.css$/, type: 'asset/source' },
    ],
  },
  performance: { hints: false },
  // Several Grafana dependencies are large; the harness is loaded from the local server only.
  stats: 'errors-warnings',
});
