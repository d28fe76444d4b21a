import type { LatLong } from './geolocate.ts';

/** OpenStreetMap's standard tiles, the default `tile-url`. */
export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
/** Where OpenStreetMap asks to be credited. */
export const OSM_COPYRIGHT_URL = 'https://www.openstreetmap.org/copyright';

/** A `center` attribute, `lat,long` in decimal degrees; null when missing or not a WGS 84 point. */
export function parseCenter(value: string | null | undefined): LatLong | null {
  const parts = (value ?? '').split(',').map((s) => s.trim());
  if (parts.length !== 2 || parts.some((p) => p === '')) return null;
  const [lat, long] = parts.map(Number) as [number, number];
  return Number.isFinite(lat) &&
    Number.isFinite(long) &&
    Math.abs(lat) <= 90 &&
    Math.abs(long) <= 180
    ? { lat, long }
    : null;
}

/**
 * The tiles' credit, as text: the site's `attribution` when it set one, OpenStreetMap's (with its
 * copyright page) with the default tiles, else none.
 */
export function tilesCredit(attribution: string, tileUrl: string, osmText: string): { text: string; href?: string } {
  if (attribution) return { text: attribution };
  return !tileUrl || tileUrl === OSM_TILE_URL ? { text: osmText, href: OSM_COPYRIGHT_URL } : { text: '' };
}
