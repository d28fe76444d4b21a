import { LEAFLET_CHUNK } from './leaflet-chunk.ts';

/** Leaflet's functions the widget uses, and its stylesheet. */
export type Leaflet = typeof import('./leaflet.ts');

/**
 * Where this script came from, read while it first runs: a classic script only knows it then
 * (`document.currentScript`, which the build reads for `import.meta.url`). The chunk is beside it, so a
 * page embedding `https://311.ville.example/widget/georeport.js` gets Leaflet from there too.
 */
const here = import.meta.url;
let loading: Promise<Leaflet> | undefined;

/**
 * Leaflet, loaded once for the page when a map is first shown (a module script from the widget's own
 * server, allowed by the same `script-src`). A failed load is tried again on the next call.
 */
export function loadLeaflet(): Promise<Leaflet> {
  loading ??= (import(new URL(LEAFLET_CHUNK, here).href) as Promise<Leaflet>).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/**
 * Adopts Leaflet's stylesheet into the shadow root holding `node`, before the element's own sheets so
 * that theirs win where both style the map.
 */
export function adoptLeafletStyles(node: Node, leaflet: Leaflet) {
  const root = node.getRootNode();
  if (root instanceof ShadowRoot && !root.adoptedStyleSheets.includes(leaflet.leafletSheet)) {
    root.adoptedStyleSheets = [leaflet.leafletSheet, ...root.adoptedStyleSheets];
  }
}
