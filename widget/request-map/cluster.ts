/** A point on the screen, in pixels, with what it stands for. */
export interface Placed<T> {
  x: number;
  y: number;
  item: T;
}

/**
 * Groups points that fall in the same square of `cell` pixels (the browser's clusters at street level,
 * where the server sends every request in view). A group of one is a single point; the others are
 * drawn as one cluster. Squares keep the work linear: thousands of markers group in a few milliseconds.
 */
export function clusterByGrid<T>(points: Placed<T>[], cell: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const p of points) {
    const key = `${Math.floor(p.x / cell)}:${Math.floor(p.y / cell)}`;
    const group = groups.get(key);
    if (group) group.push(p.item);
    else groups.set(key, [p.item]);
  }
  return [...groups.values()];
}
