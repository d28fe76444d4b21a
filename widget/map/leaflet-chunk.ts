/**
 * The Leaflet chunk's file, relative to the module that loads it: its source here, in development and
 * tests; the build puts the built file's hashed name in its place (scripts/rollup-plugins.mjs).
 */
export const LEAFLET_CHUNK = './leaflet.ts';
