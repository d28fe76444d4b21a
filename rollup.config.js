// Builds the widget into dist/widget/: its core as an ES module split where a page does not need it yet
// (the other elements, the form's later steps, each language's texts and Leaflet are files of their own,
// named by their content hash, sharing Lit), and two small entry files that load it from beside
// themselves, georeport.js (a classic script) and georeport.mjs (an ES module), from one source
// (widget/loader.ts). Each file gets brotli and gzip copies beside it; source maps for all. The server
// serves them at /widget/. The back office is one ES module, dist/admin/admin.js, served at /admin/admin.js.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { chunkFileName, cleanFirst, importTogether, loaderFiles, precompress, recordLoaderFiles } from './scripts/rollup-plugins.mjs';

const plugins = () => [
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2021', minify: true, tsconfig: 'tsconfig.json', legalComments: 'none' }),
  precompress(),
];
/** What the entry files import, known once the core's build (the first) has run. */
const files = {};

export default [
  {
    input: { core: 'widget/index.ts' },
    output: { dir: 'dist/widget', format: 'es', entryFileNames: '[name]-[hash].js', chunkFileNames: chunkFileName, experimentalMinChunkSize: 1000, sourcemap: true },
    plugins: [cleanFirst('dist/widget'), ...plugins(), importTogether(), recordLoaderFiles(files)],
  },
  {
    input: 'widget/loader.ts',
    output: { file: 'dist/widget/georeport.mjs', format: 'es', sourcemap: true },
    plugins: [loaderFiles('widget/loader-files.ts', files), ...plugins()],
  },
  {
    input: 'widget/loader.ts',
    output: { file: 'dist/widget/georeport.js', format: 'iife', sourcemap: true },
    plugins: [loaderFiles('widget/loader-files.ts', files), ...plugins()],
  },
  {
    input: 'widget/admin/index.ts',
    output: { file: 'dist/admin/admin.js', format: 'es', sourcemap: true },
    plugins: [cleanFirst('dist/admin'), ...plugins()],
  },
];
