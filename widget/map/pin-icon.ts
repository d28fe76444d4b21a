import type { DivIcon } from 'leaflet/dist/leaflet-src.esm.js';
import type { Leaflet } from './load-leaflet.ts';

/**
 * The pin, drawn in SVG so no marker image is fetched (Leaflet's default PNGs are found through a probe
 * in the page and 404). It takes the accent colour through `currentColor`; the markup is a constant,
 * never built from anything a resident or a site sent.
 */
const PIN_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 36" width="30" height="45" aria-hidden="true" focusable="false">' +
  '<path d="M12 1C5.9 1 1 5.9 1 12c0 8.3 11 23 11 23s11-14.7 11-23C23 5.9 18.1 1 12 1z" fill="currentColor" stroke="#fff" stroke-width="1.5"/>' +
  '<circle cx="12" cy="12" r="4.5" fill="#fff"/></svg>';

/**
 * A fresh pin icon (BEM class `map__pin`: its colour is the element's `color`), anchored at its tip, made
 * by the Leaflet that draws it (the widget's, loaded when first needed, or the back office's own bundle).
 */
export const pinIcon = (divIcon: Leaflet['divIcon']): DivIcon =>
  divIcon({ html: PIN_SVG, className: 'map__pin', iconSize: [30, 45], iconAnchor: [15, 45] });
