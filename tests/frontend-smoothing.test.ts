// TensorBoard's debiased exponential moving average, as the scalar charts draw it.
import { describe, expect, it } from 'vitest';
import { smoothEma } from '../plugin-frontend/src/lib/smoothing.js';

describe('smoothEma', () => {
  it('starts at the first value instead of being dragged towards zero', () => {
    const smoothed = smoothEma([10, 10, 10, 20], 0.9);
    expect(smoothed[0]).toBeCloseTo(10);
    expect(smoothed[1]).toBeCloseTo(10);
  });

  it('matches the debiased average computed by hand', () => {
    const weight = 0.6;
    const [a, b, c] = [1, 3, 2];
    const m1 = (1 - weight) * a;
    const m2 = weight * m1 + (1 - weight) * b;
    const m3 = weight * m2 + (1 - weight) * c;
    const smoothed = smoothEma([a, b, c], weight);
    expect(smoothed[0]).toBeCloseTo(m1 / (1 - weight));
    expect(smoothed[1]).toBeCloseTo(m2 / (1 - weight ** 2));
    expect(smoothed[2]).toBeCloseTo(m3 / (1 - weight ** 3));
  });

  it('returns the values unchanged with weight 0 and for a constant series', () => {
    expect(smoothEma([1, 5, 2], 0)).toEqual([1, 5, 2]);
    expect(smoothEma([0.1, 0.1, 0.1], 0.99)).toEqual([0.1, 0.1, 0.1]);
  });

  it('passes non-finite values through without letting them into the average', () => {
    const smoothed = smoothEma([2, 3, Number.NaN, Infinity, 4, -Infinity], 0.5);
    expect(smoothed[2]).toBeNaN();
    expect(smoothed[3]).toBe(Infinity);
    expect(smoothed[5]).toBe(-Infinity);
    expect(smoothed[1]).toBeCloseTo((0.25 * 2 + 0.5 * 3) / 0.75);
  });

  it('draws an isolated point (non-finite on both sides) at its own value (B22)', () => {
    const smoothed = smoothEma([NaN, 2, NaN, 3, Infinity, 4], 0.6);
    expect(smoothed[1]).toBe(2);
    expect(smoothed[3]).toBeCloseTo(3);
    expect(smoothed[5]).toBeCloseTo(4);
  });

  it('starts the average afresh after a non-finite value, as at the start of the series', () => {
    const weight = 0.6;
    const after = smoothEma([10, 10, 20, NaN, 1, 3], weight);
    const fresh = smoothEma([1, 3], weight);
    expect(after.slice(4)).toEqual(fresh);
  });

  it('rejects a weight outside [0, 1) with the value in the message', () => {
    expect(() => smoothEma([1], 1)).toThrow(
      'invalid smoothing weight: 1 (want a number in [0, 1))',
    );
    expect(() => smoothEma([1], Number.NaN)).toThrow('invalid smoothing weight: NaN');
  });
});
