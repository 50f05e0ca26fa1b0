/**
 * Paints maps of raw values into RGBA pixel buffers (the bytes of an
 * ImageData) through a colour scale. One pixel per map cell: enlarging is
 * the canvas's job (CSS with pixelated rendering), so painting cost is the
 * number of logged values, not of screen pixels.
 */
import {
  EMPTY_RANGE,
  lutFor,
  lutIndex,
  widenRange,
  type ColorScale,
  type ValueRange,
} from './color-scale.js';
import { tileOrigin, type GridGeometry } from './map-grid-layout.js';
import { mapValue, type MapRef } from './tensor-maps.js';

export function mapRange(map: MapRef): ValueRange {
  const range = { ...EMPTY_RANGE };
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) widenRange(range, mapValue(map, y, x));
  }
  return range;
}

/**
 * Writes `map` into `pixels` (RGBA rows of `pixelsWidth`) with its top-left at
 * (originX, originY). NaN cells stay transparent so the page behind shows them
 * as missing rather than as a value.
 */
export function paintMap(
  pixels: Uint8ClampedArray,
  pixelsWidth: number,
  originX: number,
  originY: number,
  map: MapRef,
  scale: ColorScale,
): void {
  const lut = lutFor(scale.kind);
  for (let y = 0; y < map.height; y++) {
    let target = ((originY + y) * pixelsWidth + originX) * 4;
    let source = map.offset + y * map.rowStep;
    for (let x = 0; x < map.width; x++, target += 4, source += map.colStep) {
      const index = lutIndex(scale, map.values[source]);
      if (index < 0) continue;
      pixels[target] = lut[index * 4];
      pixels[target + 1] = lut[index * 4 + 1];
      pixels[target + 2] = lut[index * 4 + 2];
      pixels[target + 3] = 255;
    }
  }
}

/**
 * Paints every map into its tile of `grid`; `scales` is one scale for all maps
 * or one per map. Gaps stay transparent.
 */
export function paintGrid(
  maps: readonly MapRef[],
  grid: GridGeometry,
  scales: ColorScale | readonly ColorScale[],
): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(grid.width * grid.height * 4);
  maps.forEach((map, index) => {
    const { x, y } = tileOrigin(grid, index);
    const scale = Array.isArray(scales)
      ? (scales as readonly ColorScale[])[index]
      : (scales as ColorScale);
    paintMap(pixels, grid.width, x, y, map, scale);
  });
  return pixels;
}

/**
 * Paints three maps (red, green, blue channels of one image) into RGBA bytes,
 * each value mapped linearly from [min, max] to 0..255 and clamped. A cell
 * with a non-finite channel stays transparent, as NaN cells do in `paintMap`.
 */
export function paintRgb(
  channels: readonly [MapRef, MapRef, MapRef],
  min: number,
  max: number,
): Uint8ClampedArray {
  const { height, width } = channels[0];
  const pixels = new Uint8ClampedArray(height * width * 4);
  const span = max > min ? max - min : 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const rgb = channels.map((map) => mapValue(map, y, x));
      if (!rgb.every(Number.isFinite)) continue;
      const target = (y * width + x) * 4;
      rgb.forEach((value, c) => (pixels[target + c] = Math.round(((value - min) / span) * 255)));
      pixels[target + 3] = 255;
    }
  }
  return pixels;
}

/**
 * The value range drawn as 0..255 for colour inputs, one for every probe so
 * they compare: [0, 1] for images scaled to 1, [0, 255] for byte images,
 * else the range the values span.
 */
export function rgbRange(range: ValueRange): { min: number; max: number } {
  if (!(range.min <= range.max)) return { min: 0, max: 1 };
  if (range.min >= 0 && range.max <= 1) return { min: 0, max: 1 };
  if (range.min >= 0 && range.max <= 255) return { min: 0, max: 255 };
  return { min: range.min, max: range.max };
}
