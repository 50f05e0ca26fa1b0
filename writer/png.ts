/**
 * Pixels to PNG: the one float-to-uint8 rule every image in lensboard follows,
 * and the encoder (pngjs) behind it.
 *
 * The rule (`pixelsToUint8`, scaling "auto"):
 * - uint8 pixels pass unchanged;
 * - float pixels whose finite colour values all lie in [0, 1] are scaled by
 *   255, rounded and clamped;
 * - signed float pixels (some value below 0) are scaled symmetrically around
 *   0: 0 is mid-grey (128), +max|v| is 255 and -max|v| is 0, so the sign of an
 *   activation stays readable;
 * - other float pixels (non-negative, beyond 1) are min-max normalised to
 *   [0, 255]; a constant image above 1 is white;
 * - NaN becomes 0, +Infinity 255, -Infinity 0; none of them sets the range;
 * - an alpha channel (the 4th of 4, the 2nd of 2) is opacity: always the
 *   [0, 1] rule, never normalised with the colours, so transparency is kept.
 */
import { PNG } from 'pngjs';
import { describe } from './arguments.js';

export type Channels = 1 | 2 | 3 | 4;

/** Raw pixels, row-major, channels interleaved (height x width x channels). */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray | Float32Array | Float64Array;
  width: number;
  height: number;
  channels: Channels;
}

export interface Uint8Image extends RawImage {
  data: Uint8Array | Uint8ClampedArray;
}

/** "auto" is the rule above; the others force one branch of it for float pixels. */
export type PixelScaling = 'auto' | 'unit' | 'symmetric' | 'minmax';

const SCALINGS: readonly unknown[] = ['auto', 'unit', 'symmetric', 'minmax'];

/** The scaling, "auto" when left out; any other string would silently mean "minmax". */
export function checkScaling(scaling: unknown): PixelScaling {
  if (scaling === undefined) return 'auto';
  if (SCALINGS.includes(scaling)) return scaling as PixelScaling;
  const Kind = typeof scaling === 'string' ? RangeError : TypeError;
  throw new Kind(
    `invalid scaling: ${describe(scaling)} (want "auto", "unit", "symmetric" or "minmax")`,
  );
}

/** PNG colour types by channel count: grey, grey+alpha, RGB, RGBA. */
const COLOR_TYPE: Record<Channels, 0 | 2 | 4 | 6> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/** Level 6 compresses feature maps nearly as well as 9 at a fraction of the time. */
const DEFLATE_LEVEL = 6;

export function encodePng(image: Uint8Image): Uint8Array {
  const colorType = COLOR_TYPE[image.channels];
  const data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const bytes = PNG.sync.write({ width: image.width, height: image.height, data } as PNG, {
    colorType,
    inputColorType: colorType,
    inputHasAlpha: image.channels === 2 || image.channels === 4,
    deflateLevel: DEFLATE_LEVEL,
  });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Applies the float-to-uint8 rule; uint8 input is returned as it is. */
export function pixelsToUint8(
  data: RawImage['data'],
  channels: Channels,
  scaling: PixelScaling = 'auto',
): Uint8Array | Uint8ClampedArray {
  checkScaling(scaling);
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return data;
  const alphaChannel = channels === 2 || channels === 4 ? channels - 1 : -1;
  const mapColour = colourMapping(colourRange(data, channels, alphaChannel), scaling);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const isAlpha = i % channels === alphaChannel;
    out[i] = toByte(isAlpha ? data[i] * 255 : mapColour(data[i]));
  }
  return out;
}

interface Range {
  min: number;
  max: number;
}

function colourRange(data: ArrayLike<number>, channels: number, alphaChannel: number): Range {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (i % channels === alphaChannel || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Maps a colour value to [0, 255] (before rounding and clamping). */
function colourMapping({ min, max }: Range, scaling: PixelScaling): (v: number) => number {
  const empty = min > max;
  const branch =
    scaling !== 'auto'
      ? scaling
      : empty || (min >= 0 && max <= 1)
        ? 'unit'
        : min < 0
          ? 'symmetric'
          : 'minmax';
  if (branch === 'unit' || empty) return (v) => v * 255;
  if (branch === 'symmetric') {
    const extent = Math.max(Math.abs(min), Math.abs(max));
    return extent === 0 ? () => 127.5 : (v) => 127.5 + (v / extent) * 127.5;
  }
  return max === min ? () => 255 : (v) => ((v - min) / (max - min)) * 255;
}

/** Rounds and clamps; NaN is 0, and infinities clamp to the ends. */
function toByte(v: number): number {
  if (v !== v) return 0;
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
