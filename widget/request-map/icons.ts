import { divIcon, type DivIcon } from 'leaflet/dist/leaflet-src.esm.js';
import type { Status } from '../api/types.ts';

/** A request: a dot coloured by its status (BEM `reports__marker--open|closed`), drawn in SVG. */
export function markerIcon(status: Status): DivIcon {
  const dot = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">' +
    '<circle cx="10" cy="10" r="8" fill="currentColor" stroke="#fff" stroke-width="2"/></svg>';
  return divIcon({ html: dot, className: `reports__marker reports__marker--${status === 'open' ? 'open' : 'closed'}`, iconSize: [20, 20], iconAnchor: [10, 10] });
}

/** Several requests: a disc with their count, sized by it. The count is set as text. */
export function clusterIcon(count: number): DivIcon {
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 44 : 52;
  const disc = document.createElement('span');
  disc.className = 'reports__count';
  disc.textContent = count < 10_000 ? String(count) : `${Math.round(count / 1000)}k`;
  disc.setAttribute('aria-hidden', 'true');
  return divIcon({ html: disc, className: 'reports__cluster', iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}
