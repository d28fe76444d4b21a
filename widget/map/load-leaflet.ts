/** Leaflet's functions the widget uses, and its stylesheet. */
export type Leaflet = typeof import('./leaflet.ts');

let loading: Promise<Leaflet> | undefined;

/**
 * Leaflet, loaded once for the page when a map is first shown: a file of its own, named by its content,
 * beside the widget's other files (the build resolves the import relative to the file that asks, so a
 * page embedding `https://311.ville.example/widget/georeport.js` gets Leaflet from there too, allowed by
 * the same `script-src`). A failed load is tried again on the next call.
 */
export function loadLeaflet(): Promise<Leaflet> {
  loading ??= import('./leaflet.ts').catch((err: unknown) => {
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
