// Builds the widget into dist/widget/: an ES module and an IIFE from one entry (Lit bundled), and Leaflet
// with its stylesheet as a third file, named by its content hash, that either format loads when a map is
// first shown. Each file gets brotli and gzip copies beside it; source maps for all. The server serves
// them at /widget/. The back office is one ES module, dist/admin/admin.js, served at /admin/admin.js.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { chunkName, cleanFirst, precompress, separateChunk } from './scripts/rollup-plugins.mjs';

const plugins = () => [
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2021', minify: true, tsconfig: 'tsconfig.json', legalComments: 'none' }),
  precompress(),
];
/** The Leaflet chunk's file name, known once its build (the first) has run. */
const leaflet = { fileName: '' };
const leafletName = () => chunkName('widget/map/leaflet-chunk.ts', 'LEAFLET_CHUNK', leaflet);

export default [
  {
    input: { leaflet: 'widget/map/leaflet.ts' },
    output: { dir: 'dist/widget', format: 'es', entryFileNames: '[name]-[hash].js', sourcemap: true },
    plugins: [cleanFirst('dist/widget'), ...plugins(), separateChunk(leaflet)],
  },
  {
    input: 'widget/index.ts',
    output: { file: 'dist/widget/georeport.mjs', format: 'es', sourcemap: true },
    plugins: [leafletName(), ...plugins()],
  },
  {
    input: 'widget/index.ts',
    output: { file: 'dist/widget/georeport.js', format: 'iife', name: 'georeport', sourcemap: true },
    plugins: [leafletName(), ...plugins()],
  },
  {
    input: 'widget/admin/index.ts',
    output: { file: 'dist/admin/admin.js', format: 'es', sourcemap: true },
    plugins: [cleanFirst('dist/admin'), ...plugins()],
  },
];
