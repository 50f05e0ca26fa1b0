/**
 * Colour scales for the PNGs the adapter writes for TensorBoard. Signed data
 * (weights, templates, signed activations) uses the diverging RdBu scheme of
 * d3-scale-chromatic, symmetric around zero: -limit full red, 0 white-grey,
 * +limit full blue. Non-negative activations use grey from black (0) to white
 * (limit). Non-finite values are magenta in both, a colour neither scale uses.
 */
import { interpolateRdBu } from 'd3-scale-chromatic';

export interface ColourScale {
  readonly kind: 'diverging' | 'grey';
  /** The value drawn at full intensity: +-limit for diverging, limit for grey. */
  readonly limit: number;
  /** Writes the RGB colour of `value` at `out[at..at+3]`. */
  paint(value: number, out: Uint8Array, at: number): void;
}

export const NON_FINITE_RGB = [255, 0, 255] as const;

// Odd, so that zero falls exactly on the middle level.
const LEVELS = 257;

// The scheme sampled once: interpolateRdBu answers CSS strings, far too slow
// to call per pixel.
const RDBU = sampleScheme(interpolateRdBu);

function sampleScheme(interpolate: (t: number) => string): Uint8Array {
  const table = new Uint8Array(LEVELS * 3);
  for (let level = 0; level < LEVELS; level++) {
    const match = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(interpolate(level / (LEVELS - 1)));
    if (!match) throw new Error(`unexpected colour from d3-scale-chromatic at level ${level}`);
    table.set([Number(match[1]), Number(match[2]), Number(match[3])], level * 3);
  }
  return table;
}

function paintNonFinite(out: Uint8Array, at: number): void {
  out[at] = NON_FINITE_RGB[0];
  out[at + 1] = NON_FINITE_RGB[1];
  out[at + 2] = NON_FINITE_RGB[2];
}

function level(fraction: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * (LEVELS - 1));
}

/** Red below zero, blue above, symmetric: `limit` 0 draws everything as zero's colour. */
export function divergingScale(limit: number): ColourScale {
  const half = limit > 0 && Number.isFinite(limit) ? 2 * limit : Infinity;
  return {
    kind: 'diverging',
    limit,
    paint(value, out, at) {
      if (!Number.isFinite(value)) return paintNonFinite(out, at);
      // RdBu runs red (0) to blue (1); zero sits in the middle.
      const from = level(0.5 + value / half) * 3;
      out[at] = RDBU[from];
      out[at + 1] = RDBU[from + 1];
      out[at + 2] = RDBU[from + 2];
    },
  };
}

/** Black at zero (or below), white at `limit`. */
export function greyScale(limit: number): ColourScale {
  const span = limit > 0 && Number.isFinite(limit) ? limit : Infinity;
  return {
    kind: 'grey',
    limit,
    paint(value, out, at) {
      if (!Number.isFinite(value)) return paintNonFinite(out, at);
      // A grey byte, not a table index: `level` reaches LEVELS - 1 = 256, which
      // a Uint8Array would wrap to black at the very maximum.
      out.fill(Math.round(Math.min(1, Math.max(0, value / span)) * 255), at, at + 3);
    },
  };
}

/** The smallest and largest finite values; both 0 when there are none. */
export function finiteRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  // Comparisons are false for NaN, but +-Infinity would pass them.
  if (!Number.isFinite(min) || !Number.isFinite(max)) return finiteRangeSlow(values);
  return { min, max };
}

function finiteRangeSlow(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min > max ? { min: 0, max: 0 } : { min, max };
}

/** The largest finite |value|, 0 when there is none. */
export function finiteAbsMax(values: ArrayLike<number>): number {
  const { min, max } = finiteRange(values);
  return Math.max(Math.abs(min), Math.abs(max));
}

/**
 * The rule for activation maps: signed data (any finite value below zero) is
 * drawn diverging around zero at +-max|value|; non-negative data in grey
 * from 0 to its maximum. One scale per image, so channels compare.
 */
export function activationScale(values: ArrayLike<number>): ColourScale {
  const { min, max } = finiteRange(values);
  if (min < 0) return divergingScale(Math.max(-min, max));
  return greyScale(max);
}

/** A scale's limit as written in image descriptions: four significant digits. */
export function formatLimit(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
