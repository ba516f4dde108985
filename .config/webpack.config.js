// Builds src/module.ts into dist/module.js as an AMD module, the format Grafana's plugin loader (SystemJS) expects,
// and copies the plugin's metadata and images beside it.
'use strict';

const path = require('path');
const CopyPlugin = require('copy-webpack-plugin');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const pluginJson = require(path.join(root, 'plugin.json'));

// Packages Grafana shares with plugins at run time (its SystemJS shared-dependency map). They must not be bundled:
// a second copy of React or @grafana/* would break hooks, theming and instanceof checks. @grafana/schema is not
// shared, so it is bundled when used at run time.
const EXTERNALS = [
  'react',
  'react-dom',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@emotion/css',
  '@emotion/react',
  'lodash',
  'moment',
  'rxjs',
  'rxjs/operators',
];

// Files this build writes into dist/. Anything else there (the Go backend executables, its build manifest)
// belongs to other builds and is never removed.
const OWN_OUTPUT = /^(module\.js(\.map|\.LICENSE\.txt)?|[^/\\]+\.chunk\.js(\.map)?|img[/\\].*)$/;

// Files copied verbatim from the repository root; a missing one fails the build.
const ROOT_FILES = ['README.md', 'LICENSE', 'CHANGELOG.md'];

function today() {
  return new Date().toISOString().slice(0, 10);
}

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';

  return {
    mode: production ? 'production' : 'development',
    context: root,
    entry: { module: './src/module.ts' },
    devtool: 'source-map',
    target: 'web',
    output: {
      path: path.join(root, 'dist'),
      filename: '[name].js',
      library: { type: 'amd' },
      // Grafana serves plugin assets from here; also used for any lazily loaded chunk.
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
      clean: { keep: (asset) => !OWN_OUTPUT.test(asset) },
    },
    externals: EXTERNALS,
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          // Type errors fail the build; tsconfig's "jsx": "react" keeps the classic React.createElement output,
          // so module.js never imports react/jsx-runtime (older Grafana versions do not provide it).
          // Only files in the bundle are checked here; `npm run typecheck` checks the tests as well.
          use: {
            loader: 'ts-loader',
            options: { configFile: path.join(root, 'tsconfig.json'), onlyCompileBundledFiles: true },
          },
        },
      ],
    },
    plugins: [
      new CopyPlugin({
        patterns: [
          {
            from: 'plugin.json',
            to: 'plugin.json',
            transform: (content) =>
              content.toString().replace(/%VERSION%/g, pkg.version).replace(/%TODAY%/g, today()),
          },
          { from: 'src/img', to: 'img' },
          ...ROOT_FILES.map((file) => ({ from: file, to: file, toType: 'file' })),
        ],
      }),
    ],
    performance: { hints: false },
    watchOptions: { ignored: /node_modules/ },
  };
};
