/**
 * Where tiles go when many maps share one canvas: a layer's channels, a
 * kernel's filters, a template's classes. Pure geometry so that a click at a
 * canvas pixel resolves to (tile, y, x) in the same arithmetic that placed it.
 */

export interface GridGeometry {
  count: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** Empty pixels between tiles; 0 for a strip of units, which reads as one bar. */
  gap: number;
  width: number;
  height: number;
}

/** A canvas pixel resolved to the tile under it and the map cell inside that tile. */
export interface GridHit {
  index: number;
  y: number;
  x: number;
}

/** Units of a dense layer wrap after this many, so a 512-unit strip stays on screen. */
const UNITS_PER_ROW = 32;
/** The widest row a square count of units may wrap at to keep its picture. */
const SQUARE_UNITS_MAX_ROW = 64;

/**
 * Lays out `count` tiles of tileHeight x tileWidth. Without `columns`, maps are
 * arranged in a near-square block and single-value tiles (units) in rows of 32,
 * except a square count of units (a flattened 28 x 28 image), which wraps at its
 * side so that the picture it came from reads as that picture.
 */
export function gridGeometry(
  count: number,
  tileHeight: number,
  tileWidth: number,
  gap: number,
  columns?: number,
): GridGeometry {
  const cols = Math.max(
    1,
    Math.min(count, columns ?? defaultColumns(count, tileHeight, tileWidth, gap)),
  );
  const rows = Math.max(1, Math.ceil(count / cols));
  return {
    count,
    columns: cols,
    rows,
    tileWidth,
    tileHeight,
    gap,
    width: cols * tileWidth + (cols - 1) * gap,
    height: rows * tileHeight + (rows - 1) * gap,
  };
}

function defaultColumns(count: number, tileHeight: number, tileWidth: number, gap: number): number {
  if (tileHeight === 1 && tileWidth === 1) {
    const side = Math.round(Math.sqrt(count));
    const square = side * side === count && side > 1 && side <= SQUARE_UNITS_MAX_ROW;
    return square ? side : UNITS_PER_ROW;
  }
  return Math.ceil(Math.sqrt((count * (tileHeight + gap)) / (tileWidth + gap)));
}

export function tileOrigin(grid: GridGeometry, index: number): { x: number; y: number } {
  const column = index % grid.columns;
  const row = Math.floor(index / grid.columns);
  return { x: column * (grid.tileWidth + grid.gap), y: row * (grid.tileHeight + grid.gap) };
}

/** The tile and cell at canvas pixel (px, py), or null over a gap or past the last tile. */
export function tileAt(grid: GridGeometry, px: number, py: number): GridHit | null {
  const column = Math.floor(px / (grid.tileWidth + grid.gap));
  const row = Math.floor(py / (grid.tileHeight + grid.gap));
  const x = Math.floor(px) - column * (grid.tileWidth + grid.gap);
  const y = Math.floor(py) - row * (grid.tileHeight + grid.gap);
  const index = row * grid.columns + column;
  const inside = x >= 0 && y >= 0 && x < grid.tileWidth && y < grid.tileHeight;
  if (!inside || column >= grid.columns || row < 0 || column < 0 || index >= grid.count)
    return null;
  return { index, y, x };
}

/**
 * CSS pixels per value that make a tile about `target` pixels across: small maps
 * are enlarged more.
 */
export function zoomFor(tileHeight: number, tileWidth: number, target: number): number {
  return Math.max(1, Math.floor(target / Math.max(1, tileHeight, tileWidth)));
}

/**
 * CSS pixels per value for a whole grid: each tile about `target` pixels
 * across, but the grid no wider than `maxWidth`, and never below 1.
 */
export function gridZoom(grid: GridGeometry, target: number, maxWidth: number): number {
  const byTile = zoomFor(grid.tileHeight, grid.tileWidth, target);
  const byWidth = Math.floor(maxWidth / Math.max(1, grid.width));
  return Math.max(1, Math.min(byTile, byWidth));
}
