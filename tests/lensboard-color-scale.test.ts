/**
 * The lensboard views' colour scales: signed values on a diverging map with
 * zero at its centre (red negative, blue positive), non-negative values on a
 * sequential map, and painting that writes one pixel per logged value.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_RANGE,
  LUT_SIZE,
  lutFor,
  lutIndex,
  parseColor,
  scaleFor,
  symmetricScale,
  widenRange,
  type ValueRange,
} from '../plugin-frontend/src/lensboard/color-scale.js';
import { gridGeometry } from '../plugin-frontend/src/lensboard/map-grid-layout.js';
import { paintGrid, paintMap } from '../plugin-frontend/src/lensboard/paint-map.js';
import { denseMap } from '../plugin-frontend/src/lensboard/tensor-maps.js';

function rangeOf(values: number[]): ValueRange {
  const range = { ...EMPTY_RANGE };
  values.forEach((v) => widenRange(range, v));
  return range;
}

function pixel(pixels: Uint8ClampedArray, index: number): number[] {
  return Array.from(pixels.slice(index * 4, index * 4 + 4));
}

describe('scaleFor', () => {
  it('centres a diverging scale on zero when any value is negative', () => {
    expect(scaleFor(rangeOf([-2, 6]))).toEqual({ kind: 'diverging', min: -6, max: 6 });
  });

  it('starts a sequential scale at zero for non-negative values', () => {
    expect(scaleFor(rangeOf([0.5, 3]))).toEqual({ kind: 'sequential', min: 0, max: 3 });
  });

  it('ranges finite values only and counts the rest apart', () => {
    const range = rangeOf([1, NaN, Infinity, -Infinity, 2]);
    expect(range).toEqual({ min: 1, max: 2, count: 2, nonFinite: 3 });
  });

  it('gives a map with no finite value the degenerate scale [0, 0] instead of NaN bounds', () => {
    expect(scaleFor(rangeOf([NaN]))).toEqual({ kind: 'sequential', min: 0, max: 0 });
  });

  it('makes a symmetric scale reach the largest magnitude on either side', () => {
    expect(symmetricScale(rangeOf([0.1, 0.3]))).toEqual({ kind: 'diverging', min: -0.3, max: 0.3 });
  });
});

describe('lutIndex', () => {
  const diverging = { kind: 'diverging' as const, min: -1, max: 1 };

  it('puts zero at the centre of a diverging map', () => {
    expect(lutIndex(diverging, 0)).toBe(Math.round((LUT_SIZE - 1) / 2));
  });

  it('clamps infinities to the ends and leaves NaN unmapped', () => {
    expect(lutIndex(diverging, Infinity)).toBe(LUT_SIZE - 1);
    expect(lutIndex(diverging, -Infinity)).toBe(0);
    expect(lutIndex(diverging, NaN)).toBe(-1);
  });

  it('draws an all-zero map at the scale floor without dividing by zero', () => {
    expect(lutIndex({ kind: 'sequential', min: 0, max: 0 }, 0)).toBe(0);
    expect(lutIndex({ kind: 'diverging', min: 0, max: 0 }, 0)).toBe((LUT_SIZE - 1) >> 1);
  });
});

describe('the diverging map', () => {
  const lut = lutFor('diverging');
  const colour = (i: number) => Array.from(lut.slice(i * 4, i * 4 + 3));

  it('is red for the most negative value and blue for the most positive', () => {
    const [r0, , b0] = colour(0);
    const [r1, , b1] = colour(LUT_SIZE - 1);
    expect(r0).toBeGreaterThan(b0 + 50);
    expect(b1).toBeGreaterThan(r1 + 50);
  });

  it('is near white at zero', () => {
    for (const channel of colour((LUT_SIZE - 1) >> 1)) expect(channel).toBeGreaterThan(230);
  });
});

describe('parseColor', () => {
  it('reads both colour spellings d3 produces', () => {
    expect(parseColor('rgb(5, 48, 97)')).toEqual([5, 48, 97]);
    expect(parseColor('#fde725')).toEqual([253, 231, 37]);
  });

  it('names the colour it cannot read', () => {
    expect(() => parseColor('hsl(0, 1, 1)')).toThrow(/unreadable colour: got "hsl\(0, 1, 1\)"/);
  });
});

describe('paintMap', () => {
  it('writes one opaque pixel per value and leaves NaN transparent', () => {
    const map = denseMap(Float32Array.from([-1, 0, 1, NaN]), 2, 2);
    const pixels = new Uint8ClampedArray(2 * 2 * 4);
    paintMap(pixels, 2, 0, 0, map, { kind: 'diverging', min: -1, max: 1 });
    const [r, , b, a] = pixel(pixels, 0);
    expect(r).toBeGreaterThan(b);
    expect(a).toBe(255);
    const [r2, , b2] = pixel(pixels, 2);
    expect(b2).toBeGreaterThan(r2);
    expect(pixel(pixels, 3)[3]).toBe(0);
  });

  it('places each map in its own tile of a grid with transparent gaps', () => {
    const maps = [denseMap(Float32Array.from([1]), 1, 1), denseMap(Float32Array.from([1]), 1, 1)];
    const grid = gridGeometry(2, 1, 1, 1, 2);
    const pixels = paintGrid(maps, grid, { kind: 'sequential', min: 0, max: 1 });
    expect(grid.width).toBe(3);
    expect([pixel(pixels, 0)[3], pixel(pixels, 1)[3], pixel(pixels, 2)[3]]).toEqual([255, 0, 255]);
  });
});
