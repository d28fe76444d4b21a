import { html, render } from 'lit';
import type { DivIcon, PointExpression } from 'leaflet/dist/leaflet-src.esm.js';
import type { DetailedStatus, Status } from '../api/types.ts';
import type { Leaflet } from '../map/load-leaflet.ts';

/** How the map tells requests apart: still open, fixed, or closed some other way. */
export type MarkerKind = 'open' | 'fixed' | 'closed';
export const MARKER_KINDS: readonly MarkerKind[] = ['open', 'fixed', 'closed'];

export const markerKind = (status: Status, detailed: DetailedStatus): MarkerKind =>
  status === 'open' ? 'open' : detailed === 'fixed' ? 'fixed' : 'closed';

/**
 * Each kind's shape and white glyph (32-unit box), so that kinds differ by shape as well as colour (WCAG
 * 1.4.1): a disc with a dot for open, a rounded square with a tick for fixed, a diamond with a bar for
 * closed. The same data draws the markers and the legend.
 */
const SHAPES: Record<MarkerKind, { outline: string; glyph: string }> = {
  open: { outline: 'M16 3a13 13 0 1 1 0 26a13 13 0 1 1 0-26z', glyph: 'M16 16h0' },
  fixed: { outline: 'M7 4h18a3 3 0 0 1 3 3v18a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3z', glyph: 'M9.5 16.5l4.5 4.5l8.5-9' },
  closed: { outline: 'M16 1.5L30.5 16L16 30.5L1.5 16z', glyph: 'M10.5 16h11' },
};
const GLYPH_WIDTH: Record<MarkerKind, number> = { open: 8, fixed: 3.5, closed: 3.5 };

/** Leaflet sets neither size nor offset on an icon whose size is null (its types do not say so). */
const NO_SIZE = null as unknown as PointExpression;

/** A kind's shape (class `reports__shape--{kind}`, which colours it), for the legend and the markers. */
export const shapeTemplate = (kind: MarkerKind) => html`<svg class=${`reports__shape reports__shape--${kind}`} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
  <path d=${SHAPES[kind].outline} fill="currentColor" stroke="#fff" stroke-width="2"/>
  <path d=${SHAPES[kind].glyph} fill="none" stroke="#fff" stroke-width=${GLYPH_WIDTH[kind]} stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/** Each kind's shape drawn once; markers get copies (a map may show 2,000). */
const drawn = new Map<MarkerKind, Element>();
function shapeElement(kind: MarkerKind): Node {
  let shape = drawn.get(kind);
  if (!shape) {
    const holder = document.createElement('span');
    render(shapeTemplate(kind), holder);
    shape = holder.querySelector('svg')!;
    drawn.set(kind, shape);
  }
  return shape.cloneNode(true);
}

/**
 * A request: its kind's shape and colour (BEM `reports__marker--open|fixed|closed`). No size is given to
 * Leaflet: the stylesheet sizes and centres markers, larger on touch screens.
 */
export function markerIcon(L: Leaflet, kind: MarkerKind): DivIcon {
  return L.divIcon({ html: shapeElement(kind) as HTMLElement, className: `reports__marker reports__marker--${kind}`, iconSize: NO_SIZE });
}

/** A cluster's size class by how many requests it holds. */
const sizeOf = (count: number) => (count < 10 ? 's' : count < 100 ? 'm' : count < 1000 ? 'l' : 'xl');
const shortCount = (count: number) => (count < 10_000 ? String(count) : `${Math.round(count / 1000)}k`);

/**
 * Several requests: a dark disc with their number (as text, hidden from assistive technology: the marker's
 * name says it), and a badge in the open requests' shape and colour when some of them are open.
 * Sized by the stylesheet.
 */
export function clusterIcon(L: Leaflet, count: number, open: number): DivIcon {
  const disc = document.createElement('span');
  disc.className = 'reports__count';
  disc.textContent = shortCount(count);
  disc.setAttribute('aria-hidden', 'true');
  if (open > 0) disc.append(Object.assign(document.createElement('span'), { className: 'reports__badge' }));
  return L.divIcon({ html: disc, className: `reports__cluster reports__cluster--${sizeOf(count)}`, iconSize: NO_SIZE });
}
