// Histograms are drawn on finite axes only; bad steps are named and left out (B19, B20).
import { describe, expect, it } from 'vitest';
import { binHistograms, isUsableEdge, rebin } from '../plugin-frontend/src/lib/histogram-bins.js';
import type { HistogramEntry } from '../plugin-frontend/src/api-types.js';

function entry(step: number, buckets: [number, number, number][]): HistogramEntry {
  return { step, wallTime: step, segment: 0, buckets };
}

const unit = (step: number) =>
  entry(step, [
    [-1, 0, 3],
    [0, 1, 5],
  ]);

describe('binHistograms', () => {
  it('builds axes from finite steps and marks a step with an infinite or NaN edge (B19)', () => {
    const entries = [0, 1, 2, 3, 4].map(unit);
    entries.push(entry(5, [[-1, Infinity, 8]]));
    entries.push(entry(6, [[NaN, 1, 8]]));
    const binned = binHistograms(entries, 4);
    expect(binned.edges).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(binned.frames.map((frame) => frame.step)).toEqual([0, 1, 2, 3, 4]);
    expect(binned.bad).toEqual([
      { step: 5, reason: 'bucket edge Infinity' },
      { step: 6, reason: 'bucket edge NaN' },
    ]);
  });

  it('treats legacy ±DBL_MAX outer limits as non-finite', () => {
    expect(isUsableEdge(1.7976931348623157e308)).toBe(false);
    expect(isUsableEdge(-1e300)).toBe(false);
    expect(isUsableEdge(1e299)).toBe(true);
    const binned = binHistograms(
      [
        unit(0),
        entry(1, [
          [-1.7976931348623157e308, 0, 4],
          [0, 1, 4],
        ]),
      ],
      2,
    );
    expect(binned.edges).toEqual([-1, 0, 1]);
    expect(binned.bad.map((item) => item.step)).toEqual([1]);
  });

  it('ignores empty buckets whatever their edges', () => {
    const binned = binHistograms(
      [
        entry(0, [
          [-Infinity, -1, 0],
          [-1, 1, 4],
          [1, Infinity, 0],
        ]),
      ],
      2,
    );
    expect(binned.bad).toEqual([]);
    expect(binned.edges).toEqual([-1, 0, 1]);
  });

  it('shows 1000 zeros of a dead ReLU as one visible spike, with no NaN anywhere (B20)', () => {
    const binned = binHistograms([entry(0, [[0, 0, 1000]])], 5);
    expect(binned.edges.every(Number.isFinite)).toBe(true);
    expect(binned.frames[0].counts).toEqual([0, 0, 1000, 0, 0]);
    expect(binned.maxCount).toBe(1000);
  });

  it('draws an empty histogram as an empty frame, not an error', () => {
    const binned = binHistograms([entry(0, [])], 3);
    expect(binned.frames[0].counts).toEqual([0, 0, 0]);
    expect(binned.edges.every(Number.isFinite)).toBe(true);
  });
});

describe('rebin', () => {
  it('spreads a bucket over the bins it overlaps in proportion to the overlap', () => {
    expect(rebin(entry(0, [[0, 2, 10]]), [0, 1, 2, 3, 4])).toEqual([5, 5, 0, 0]);
    expect(rebin(entry(0, [[0.5, 1.5, 4]]), [0, 1, 2])).toEqual([2, 2]);
  });
});
