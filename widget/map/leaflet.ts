/**
 * What loads when a map is first shown: Leaflet and its stylesheet, about half of the widget's bytes,
 * which the first steps of a report do not need. Built as a file of its own, named by its content hash
 * (`loadLeaflet()`).
 */
import { leafletCss } from '../styles/leaflet.css.ts';

export { control, divIcon, latLngBounds, layerGroup, map, marker, tileLayer } from 'leaflet/dist/leaflet-src.esm.js';

/** Leaflet's stylesheet, one constructable sheet adopted by every shadow root that shows a map. */
export const leafletSheet = new CSSStyleSheet();
leafletSheet.replaceSync(leafletCss);
