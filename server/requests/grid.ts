/**
 * The two grids of migration 004 (cells per degree, and the generated column and index of each), their
 * cells computed as SQLite computes them, and the choice of how to search a box: by the R*Tree (boxes
 * smaller than a fine cell), by the cells of one grid merged in date order, or by date alone (boxes so
 * large that most requests are inside).
 */
export interface Box {
  minLat: number;
  maxLat: number;
  minLong: number;
  maxLong: number;
}

export interface Grid {
  name: 'fine' | 'coarse';
  perDegree: number;
  column: string;
  index: string;
}

/** Finest first; must match the expressions of migration 004 (a test checks them against SQLite). */
export const GRIDS: readonly Grid[] = [
  { name: 'fine', perDegree: 1024, column: 'cell_fine', index: 'requests_public_by_cell_fine' },
  { name: 'coarse', perDegree: 64, column: 'cell_coarse', index: 'requests_public_by_cell_coarse' },
];

/** Most cells one search merges; a box that needs more in the coarse grid is searched by date. */
export const MAX_CELLS = 64;

const ROW = 2 ** 20;

/** The cell of a point, as the generated column computes it (`(lat + 90) * n` truncated, shifted by 20 bits). */
export function cellOf(grid: Grid, lat: number, long: number): number {
  return Math.trunc((lat + 90) * grid.perDegree) * ROW + Math.trunc((long + 180) * grid.perDegree);
}

/**
 * Every cell of `grid` that the box touches and `keep` accepts (given the cell's own box), or null when
 * the box touches more than `max`.
 */
export function cellsCovering(grid: Grid, box: Box, keep: (cell: Box) => boolean = () => true, max = MAX_CELLS): number[] | null {
  const n = grid.perDegree;
  const [y0, y1] = [Math.trunc((box.minLat + 90) * n), Math.trunc((box.maxLat + 90) * n)];
  const [x0, x1] = [Math.trunc((box.minLong + 180) * n), Math.trunc((box.maxLong + 180) * n)];
  if ((y1 - y0 + 1) * (x1 - x0 + 1) > max) return null;
  const cells: number[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const bounds = { minLat: y / n - 90, maxLat: (y + 1) / n - 90, minLong: x / n - 180, maxLong: (x + 1) / n - 180 };
      if (keep(bounds)) cells.push(y * ROW + x);
    }
  }
  return cells;
}

export type BoxPlan =
  | { kind: 'rtree' }
  | { kind: 'cells'; grid: Grid; cells: number[] }
  | { kind: 'date' };

/**
 * How to find the newest requests in `box` with the least reading (measured: `npm run bench`, phase 2).
 * `keep` leaves out cells that cannot hold a match (those outside a radius query's circle): every cell
 * searched is read until its first match, so a cell without one is read whole.
 */
export function planBox(box: Box, keep?: (cell: Box) => boolean): BoxPlan {
  const finest = GRIDS[0]!;
  const area = (box.maxLat - box.minLat) * (box.maxLong - box.minLong);
  // A box within about one fine cell holds few requests: the R*Tree finds them all, then they are sorted.
  if (area < 1 / finest.perDegree ** 2) return { kind: 'rtree' };
  for (const grid of GRIDS) {
    const cells = cellsCovering(grid, box, keep);
    if (cells) return { kind: 'cells', grid, cells };
  }
  return { kind: 'date' };
}
