/**
 * Scalar points kept in typed columns: the same sampling as the object
 * reservoir, points built on request in offer order, exact values whatever
 * their precision, and removal by event file and step.
 */
import { describe, expect, it } from 'vitest';
import { ScalarSeries } from '../server/scalar-series.js';

function filled(capacity: number, count: number, file = 0): ScalarSeries {
  const series = new ScalarSeries(capacity, 7);
  for (let step = 0; step < count; step++) {
    series.offer(step, 1000 + step, Math.fround(step / 3), 0, file);
  }
  return series;
}

describe('ScalarSeries', () => {
  it('builds points with step, wall time, segment and value, in offer order', () => {
    const series = new ScalarSeries(Infinity, 1);
    series.offer(0, 10.5, 0.25, 0, 3);
    series.offer(5, 11.5, -1, 1, 3);
    expect(series.points()).toEqual([
      { step: 0, wallTime: 10.5, segment: 0, value: 0.25 },
      { step: 5, wallTime: 11.5, segment: 1, value: -1 },
    ]);
  });

  it('keeps at most its capacity, the first and the newest point, and counts every offer', () => {
    const series = filled(100, 50_000);
    const steps = series.points().map((point) => point.step);
    expect(steps).toHaveLength(100);
    expect(steps[0]).toBe(0);
    expect(steps[99]).toBe(49_999);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(series.total).toBe(50_000);
    expect([series.firstStep, series.lastStep]).toEqual([0, 49_999]);
  });

  it('keeps float32 values exactly and widens for good when a double needs it', () => {
    const series = new ScalarSeries(Infinity, 1);
    series.offer(0, 1, Math.fround(0.1), 0, 0);
    series.offer(1, 1, NaN, 0, 0);
    series.offer(2, 1, -0, 0, 0);
    series.offer(3, 1, 0.1, 0, 0);
    series.offer(4, 1, 1e300, 0, 0);
    const values = series.points().map((point) => point.value);
    expect(values).toEqual([Math.fround(0.1), NaN, -0, 0.1, 1e300]);
    expect(Object.is(values[2], -0)).toBe(true);
  });

  it('removes the points of one file from a step on, and every point of a removed file', () => {
    const series = new ScalarSeries(Infinity, 1);
    for (let step = 0; step < 10; step++) series.offer(step, step, step, 0, step % 2);
    expect(series.removeFrom(1, 5)).toBe(3); // steps 5, 7 and 9 are file 1's
    expect(series.points().map((point) => point.step)).toEqual([0, 1, 2, 3, 4, 6, 8]);
    expect(series.removeFile(0)).toBe(5);
    expect(series.points().map((point) => point.step)).toEqual([1, 3]);
    expect(series.total).toBe(2);
  });

  it('keeps sampling after a removal, into the freed slots', () => {
    const series = filled(20, 1000);
    series.removeFrom(0, 500);
    for (let step = 500; step < 600; step++) series.offer(step, step, 0, 1, 0);
    const steps = series.points().map((point) => point.step);
    expect(steps).toHaveLength(20);
    expect(steps[0]).toBe(0);
    expect(steps[19]).toBe(599);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });
});
