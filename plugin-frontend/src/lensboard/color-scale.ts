/**
 * Colour scales for raw tensor values, kept apart from any DOM so that they
 * can be tested in node: a diverging map centred on zero for signed values
 * (red negative, white zero, blue positive) and a sequential map for values
 * that are never negative. Colours come from d3-scale-chromatic, sampled once
 * into lookup tables so that painting a pixel is an index, not a CSS parse.
 */
import { interpolateGreys, interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

/** `greys` draws inputs (probe digits) as ink on paper; the others draw values. */
export type ScaleKind = 'diverging' | 'sequential' | 'greys';

/**
 * How values map to colours. Invariant: a diverging scale is symmetric
 * (`min === -max`) so that zero is always its centre colour; a sequential
 * scale starts at zero.
 */
export interface ColorScale {
  kind: ScaleKind;
  min: number;
  max: number;
}

/** The finite extremes of some values; `count` finite values were seen, `nonFinite` others. */
export interface ValueRange {
  min: number;
  max: number;
  count: number;
  nonFinite: number;
}

/** Entries in each lookup table: enough that neighbouring entries look alike. */
export const LUT_SIZE = 256;

/** An RGBA lookup table of LUT_SIZE colours, lowest value first. */
export type Lut = Uint8ClampedArray;

export const EMPTY_RANGE: Readonly<ValueRange> = {
  min: Infinity,
  max: -Infinity,
  count: 0,
  nonFinite: 0,
};

/** Reads d3's colour strings, which are `rgb(r, g, b)` or `#rrggbb`. */
export function parseColor(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unreadable colour: got ${JSON.stringify(css)}, want rgb(r, g, b) or #rrggbb`);
}

function buildLut(interpolate: (t: number) => string): Lut {
  const lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = parseColor(interpolate(i / (LUT_SIZE - 1)));
    lut.set([r, g, b, 255], i * 4);
  }
  return lut;
}

const LUTS: Record<ScaleKind, Lut> = {
  diverging: buildLut(interpolateRdBu),
  sequential: buildLut(interpolateViridis),
  greys: buildLut(interpolateGreys),
};

export function lutFor(kind: ScaleKind): Lut {
  return LUTS[kind];
}

/** Adds one value to a range in place; non-finite values are counted, not ranged. */
export function widenRange(range: ValueRange, value: number): void {
  if (!Number.isFinite(value)) {
    range.nonFinite++;
    return;
  }
  if (value < range.min) range.min = value;
  if (value > range.max) range.max = value;
  range.count++;
}

export function mergeRanges(ranges: readonly ValueRange[]): ValueRange {
  const merged = { ...EMPTY_RANGE };
  for (const range of ranges) {
    merged.min = Math.min(merged.min, range.min);
    merged.max = Math.max(merged.max, range.max);
    merged.count += range.count;
    merged.nonFinite += range.nonFinite;
  }
  return merged;
}

/**
 * The scale for values in `range`: diverging and symmetric when any value is
 * negative, sequential from zero otherwise. A range with no finite value gets
 * the degenerate sequential scale [0, 0].
 */
export function scaleFor(range: ValueRange): ColorScale {
  if (range.count === 0) return { kind: 'sequential', min: 0, max: 0 };
  if (range.min < 0) {
    const limit = Math.max(-range.min, Math.abs(range.max));
    return { kind: 'diverging', min: -limit, max: limit };
  }
  return { kind: 'sequential', min: 0, max: range.max };
}

/** A symmetric diverging scale reaching `limit`, for weights and differences. */
export function symmetricScale(range: ValueRange): ColorScale {
  const limit = range.count === 0 ? 0 : Math.max(Math.abs(range.min), Math.abs(range.max));
  return { kind: 'diverging', min: -limit, max: limit };
}

/**
 * The lookup-table index of `value`, or -1 for NaN. Infinities clamp to the
 * ends. On a zero-width scale every finite value takes the centre colour of a
 * diverging map and the lowest of a sequential one, so a dead map reads as zero.
 */
export function lutIndex(scale: ColorScale, value: number): number {
  if (Number.isNaN(value)) return -1;
  const width = scale.max - scale.min;
  if (!(width > 0)) return scale.kind === 'diverging' ? (LUT_SIZE - 1) >> 1 : 0;
  const t = (value - scale.min) / width;
  if (t <= 0) return 0;
  if (t >= 1) return LUT_SIZE - 1;
  return Math.round(t * (LUT_SIZE - 1));
}

/** The CSS colour of `value`, for legends and table cells; NaN is transparent. */
export function cssColor(scale: ColorScale, value: number): string {
  const index = lutIndex(scale, value);
  if (index < 0) return 'transparent';
  const lut = LUTS[scale.kind];
  return `rgb(${lut[index * 4]}, ${lut[index * 4 + 1]}, ${lut[index * 4 + 2]})`;
}
