/**
 * Lays tiles (feature maps, filters, template channels) out as one RGB image:
 * a near-square grid, tiles in row-major order, one pixel of grey between
 * them, small tiles enlarged by whole pixels so they stay legible in
 * TensorBoard's Images dashboard. Colour comes from one scale for all tiles.
 */
import type { ColourScale } from './colormap.js';

export interface RgbImage {
  /** Row-major pixels, 3 bytes each. */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/** `count` tiles of `height` x `width` values; `at` reads one value. */
export interface TileSet {
  count: number;
  height: number;
  width: number;
  at(tile: number, y: number, x: number): number;
}

export interface GridOptions {
  /** Tiles per row; default the ceiling of the square root of the count. */
  columns?: number;
  /** Tiles are enlarged until their longer side reaches this, at most 8x. */
  minTilePixels?: number;
}

const GAP = 1;
const GAP_GREY = 128;
const MAX_ZOOM = 8;
/** Grids wider or taller than this are drawn without enlargement. */
const MAX_SIDE = 4096;

export function renderGrid(
  tiles: TileSet,
  scale: ColourScale,
  options: GridOptions = {},
): RgbImage {
  const columns = Math.max(
    1,
    Math.min(tiles.count, options.columns ?? Math.ceil(Math.sqrt(tiles.count))),
  );
  const rows = Math.max(1, Math.ceil(tiles.count / columns));
  const zoom = zoomFor(tiles, columns, rows, options.minTilePixels ?? 32);
  const cellW = tiles.width * zoom;
  const cellH = tiles.height * zoom;
  const width = columns * cellW + (columns - 1) * GAP;
  const height = rows * cellH + (rows - 1) * GAP;
  const data = new Uint8Array(width * height * 3).fill(GAP_GREY);

  for (let tile = 0; tile < tiles.count; tile++) {
    const left = (tile % columns) * (cellW + GAP);
    const top = Math.floor(tile / columns) * (cellH + GAP);
    paintTile(tiles, tile, scale, { data, width, left, top, zoom });
  }
  return { data, width, height, channels: 3 };
}

function zoomFor(tiles: TileSet, columns: number, rows: number, minTilePixels: number): number {
  const longer = Math.max(tiles.width, tiles.height, 1);
  const zoom = Math.min(MAX_ZOOM, Math.max(1, Math.ceil(minTilePixels / longer)));
  const side = Math.max(columns * tiles.width, rows * tiles.height) * zoom;
  return side > MAX_SIDE ? 1 : zoom;
}

interface Placement {
  data: Uint8Array;
  width: number;
  left: number;
  top: number;
  zoom: number;
}

function paintTile(tiles: TileSet, tile: number, scale: ColourScale, to: Placement): void {
  const { data, width, left, top, zoom } = to;
  for (let y = 0; y < tiles.height; y++) {
    const rowStart = ((top + y * zoom) * width + left) * 3;
    for (let x = 0; x < tiles.width; x++) {
      const first = rowStart + x * zoom * 3;
      scale.paint(tiles.at(tile, y, x), data, first);
      for (let dx = 1; dx < zoom; dx++) data.copyWithin(first + dx * 3, first, first + 3);
    }
    // The first pixel row of this tile row is complete; repeat it downwards.
    const rowBytes = tiles.width * zoom * 3;
    for (let dy = 1; dy < zoom; dy++) {
      data.copyWithin(rowStart + dy * width * 3, rowStart, rowStart + rowBytes);
    }
  }
}

/** A grid of one tile holding a vector, wrapped into a near-square block. */
export function vectorTiles(values: ArrayLike<number>, offset: number, length: number): TileSet {
  const width = Math.max(1, Math.ceil(Math.sqrt(length)));
  const height = Math.max(1, Math.ceil(length / width));
  return {
    count: 1,
    height,
    width,
    // Cells past the vector's end are drawn as zero.
    at: (_tile, y, x) => (y * width + x < length ? values[offset + y * width + x] : 0),
  };
}
