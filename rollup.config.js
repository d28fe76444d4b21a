// Builds the widget from one entry into an ES module and an IIFE (Lit and Leaflet bundled), with source
// maps, into dist/widget/. The server serves them at /widget/georeport.mjs and /widget/georeport.js.
// The back office is a separate ES module, dist/admin/admin.js, served at /admin/admin.js.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const plugins = () => [
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2021', minify: true, tsconfig: 'tsconfig.json', legalComments: 'none' }),
];

export default [
  {
    input: 'widget/index.ts',
    output: { file: 'dist/widget/georeport.mjs', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'widget/index.ts',
    output: { file: 'dist/widget/georeport.js', format: 'iife', name: 'georeport', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'widget/admin/index.ts',
    output: { file: 'dist/admin/admin.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
];
