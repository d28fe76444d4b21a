import type { LatLng, Map as LeafletMap } from 'leaflet/dist/leaflet-src.esm.js';

/** Pixels an arrow key moves the pin (five times more with Shift). */
const KEY_STEP = 20;
const ARROWS: Record<string, [number, number]> = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

/** Six decimals are about 10 cm: more is noise in a request. */
export const roundCoordinate = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * The keyboard's way to put one pin on a map that has the focus (the residents' location step and the
 * back office's intake alike): Enter or Space puts it at the centre, the arrows move it (Shift: further),
 * or pan while there is none, + and − zoom. Leaflet's own keys are off, as they pan on the same keys.
 * Returns whether the key was the map's (the caller then prevents its default).
 */
export function pinByKey(e: KeyboardEvent, map: LeafletMap, pin: LatLng | null, place: (at: LatLng) => void): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey) return false;
  const arrow = ARROWS[e.key];
  if (e.key === 'Enter' || e.key === ' ') place(map.getCenter());
  else if (arrow) {
    const step = e.shiftKey ? KEY_STEP * 5 : KEY_STEP;
    const offset: [number, number] = [arrow[0] * step, arrow[1] * step];
    if (pin) {
      const moved = map.containerPointToLatLng(map.latLngToContainerPoint(pin).add(offset));
      place(moved);
      map.panInside(moved, { padding: [KEY_STEP * 2, KEY_STEP * 2], animate: false });
    } else map.panBy(offset, { animate: false });
  } else if (e.key === '+' || e.key === '=') map.zoomIn();
  else if (e.key === '-') map.zoomOut();
  else return false;
  return true;
}
