// Builds the browser-test harness page (src/browser/harness) into build/harness/. Unlike the plugin build, it
// bundles React and @grafana/* itself, because no Grafana is there to provide them; it is never packaged.
'use strict';

const path = require('path');

const root = path.resolve(__dirname, '..');

module.exports = () => ({
  // Development mode: minifying Grafana's UI library would only slow the test step down.
  mode: 'development',
  context: root,
  entry: { harness: './src/browser/harness/index.tsx' },
  devtool: false,
  target: 'web',
  output: {
    path: path.join(root, 'build', 'harness'),
    filename: '[name].js',
    publicPath: '/build/',
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
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
      // Stylesheets imported by dependencies (uPlot) are not needed to mount the editors.
      { test: /\.css$/, type: 'asset/source' },
    ],
  },
  performance: { hints: false },
  // Several Grafana dependencies are large; the harness is loaded from the local server only.
  stats: 'errors-warnings',
});
