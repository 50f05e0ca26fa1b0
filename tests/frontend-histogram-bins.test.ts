// Histograms are drawn on finite axes only; bad steps are named and left out (B19, B20).
import { describe, expect, it } from 'vitest';
import {
  binHistograms,
  isUsableEdge,
  rebin,
  ridgeLabels,
} from '../plugin-frontend/src/lib/histogram-bins.js';
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

  it('marks a step with an infinite or NaN edge even on a bucket whose count is 0 (B19)', () => {
    const entries = [0, 1, 2, 3, 4].map(unit);
    entries.push(
      entry(5, [
        [-1, 1, 8],
        [1, Infinity, 0],
      ]),
    );
    entries.push(
      entry(6, [
        [NaN, -1, 0],
        [-1, 1, 8],
      ]),
    );
    const binned = binHistograms(entries, 4);
    expect(binned.bad).toEqual([
      { step: 5, reason: 'bucket edge Infinity' },
      { step: 6, reason: 'bucket edge NaN' },
    ]);
    expect(binned.edges).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(binned.frames.map((frame) => frame.step)).toEqual([0, 1, 2, 3, 4]);
  });

  it('marks a step with a non-finite count whatever its edges', () => {
    const binned = binHistograms([unit(0), entry(1, [[-1, 1, NaN]])], 2);
    expect(binned.bad).toEqual([{ step: 1, reason: 'bucket count NaN' }]);
  });

  it('ignores legacy ±DBL_MAX limits of empty buckets: they are finite, just not placeable', () => {
    const binned = binHistograms(
      [
        entry(0, [
          [-1.7976931348623157e308, -1, 0],
          [-1, 1, 4],
          [1, 1.7976931348623157e308, 0],
        ]),
      ],
      2,
    );
    expect(binned.bad).toEqual([]);
    expect(binned.edges).toEqual([-1, 0, 1]);
  });

  it('says a finite ±1e308 edge of a non-empty bucket is too large to place, not non-finite', () => {
    const binned = binHistograms([unit(0), entry(1, [[-1e308, 1, 3]])], 2);
    expect(binned.bad).toEqual([
      { step: 1, reason: 'bucket edge -1e+308 of a non-empty bucket, too large to place' },
    ]);
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

describe('ridgeLabels', () => {
  const binned = binHistograms([0, 1, 2, 3, 4].map(unit).concat(entry(5, [[-1, Infinity, 0]])), 4);

  it("labels a bad step once, with its red mark, where the last step's label would be", () => {
    const labels = ridgeLabels(binned, 2);
    expect(labels.filter((label) => label.step === 5)).toEqual([
      { step: 5, kind: 'bad', text: '✕ step 5' },
    ]);
    expect(labels.map((label) => label.step).sort()).toEqual([0, 2, 5]);
  });

  it('labels the step on screen once, in its colour, when it is the first step', () => {
    expect(ridgeLabels(binned, 0).filter((label) => label.step === 0)).toEqual([
      { step: 0, kind: 'shown', text: 'step 0' },
    ]);
  });

  it('leaves out a label that would overprint one placed before it', () => {
    const px = (step: number) => step * 5;
    const steps = ridgeLabels(binned, 4, px, 12).map((label) => label.step);
    // Step 4 is 5px from the bad step 5: the mark of the bad step wins.
    expect(steps).toEqual([5, 0]);
  });
});

describe('rebin', () => {
  it('spreads a bucket over the bins it overlaps in proportion to the overlap', () => {
    expect(rebin(entry(0, [[0, 2, 10]]), [0, 1, 2, 3, 4])).toEqual([5, 5, 0, 0]);
    expect(rebin(entry(0, [[0.5, 1.5, 4]]), [0, 1, 2])).toEqual([2, 2]);
  });
});
