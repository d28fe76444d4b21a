/** A ring of [long, lat] positions, closed (first = last). */
type Ring = [number, number][];
/** Polygons, each an outer ring and its holes. */
export type Area = Ring[][];

const isPosition = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
const isRing = (r: unknown): r is Ring =>
  Array.isArray(r) && r.length >= 4 && r.length <= 100_000 && r.every(isPosition) && r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1];

/**
 * Reads a GeoJSON area: a Polygon or MultiPolygon, bare or as a Feature, or a FeatureCollection of them.
 * Returns its polygons, or a message saying what is wrong.
 */
export function parseArea(geojson: unknown): Area | string {
  const g = geojson as { type?: unknown; geometry?: unknown; features?: unknown; coordinates?: unknown } | null;
  if (typeof g !== 'object' || g === null) return 'a GeoJSON object is required';
  if (g.type === 'Feature') return parseArea(g.geometry);
  if (g.type === 'FeatureCollection') {
    if (!Array.isArray(g.features) || g.features.length === 0) return 'a FeatureCollection needs features';
    const parts = g.features.map(parseArea);
    const wrong = parts.find((p) => typeof p === 'string');
    return wrong ?? (parts as Area[]).flat();
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : undefined;
  if (!Array.isArray(polygons)) return 'the geometry must be a Polygon or a MultiPolygon';
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0 || !polygon.every(isRing)) {
      return 'each polygon is a list of closed rings of at least 4 [longitude, latitude] positions';
    }
  }
  return polygons as Area;
}

/** Ray casting: whether (lat, long) is inside the ring (a point on an edge may fall either way). */
function inRing(ring: Ring, lat: number, long: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && long < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether the point lies in the area: in a polygon's outer ring and none of its holes. */
export function contains(area: Area, lat: number, long: number): boolean {
  return area.some(([outer, ...holes]) => inRing(outer!, lat, long) && !holes.some((h) => inRing(h, lat, long)));
}
