// Scalar series become uPlot columns: launches never joined, non-finite values never drawn as 0.
import { describe, expect, it } from 'vitest';
import {
  buildScalarPlot,
  isolatedPoints,
  type RunScalars,
} from '../plugin-frontend/src/lib/scalar-plot.js';
import type { ScalarPoint } from '../plugin-frontend/src/api-types.js';
import { axisSize, flatRange, tickIncrements } from '../plugin-frontend/src/lib/axis.js';
import { formatTick, formatValue } from '../plugin-frontend/src/lib/format.js';

function points(values: number[], segment = 0, firstStep = 0): ScalarPoint[] {
  return values.map((value, i) => ({
    step: firstStep + i,
    wallTime: 1000 + firstStep + i,
    value,
    segment,
  }));
}

const raw = { smoothing: 0, logY: false, xAxis: 'step' as const };

describe('buildScalarPlot', () => {
  it('draws NaN and Infinity as edge marks, never 0, and isolated points as markers (B22)', () => {
    const run: RunScalars = {
      run: 'a',
      color: '#123456',
      points: points([NaN, 2, NaN, 3, Infinity, 4]),
    };
    const plot = buildScalarPlot([run], raw);
    const [series] = plot.series;
    expect(series.values).toEqual([null, 2, null, 3, null, 4]);
    expect(series.isolated).toEqual([1, 3, 5]);
    expect(plot.marks.map((mark) => [mark.step, mark.kind])).toEqual([
      [0, 'nan'],
      [2, 'nan'],
      [4, '+inf'],
    ]);
  });

  it('draws an isolated point at its own value when smoothing is on, not across the gaps (B22)', () => {
    const run: RunScalars = {
      run: 'a',
      color: '#123456',
      points: points([NaN, 2, NaN, 3, Infinity, 4]),
    };
    const plot = buildScalarPlot([run], { ...raw, smoothing: 0.6 });
    const smoothed = plot.series.find((series) => series.role === 'smoothed')!;
    expect(smoothed.values).toEqual([null, 2, null, 3, null, 4]);
    expect(smoothed.isolated).toEqual([1, 3, 5]);
  });

  it('gives each launch its own series so a restart is never joined to the last (B11)', () => {
    const run: RunScalars = {
      run: 'a',
      color: '#123456',
      points: [...points([5, 4, 3]), ...points([9, 8, 7], 1)],
    };
    const plot = buildScalarPlot([run], raw);
    expect(plot.xs).toEqual([0, 1, 2]);
    expect(plot.series.map((series) => [series.segment, series.values])).toEqual([
      [0, [5, 4, 3]],
      [1, [9, 8, 7]],
    ]);
  });

  it('aligns runs with different steps, undefined (bridged) where a run has no point', () => {
    const a: RunScalars = { run: 'a', color: '#111111', points: points([1, 2]) };
    const b: RunScalars = { run: 'b', color: '#222222', points: points([7, 8], 0, 1) };
    const plot = buildScalarPlot([a, b], raw);
    expect(plot.xs).toEqual([0, 1, 2]);
    expect(plot.series[0].values).toEqual([1, 2, undefined]);
    expect(plot.series[1].values).toEqual([undefined, 7, 8]);
  });

  it('adds a faint raw series under the smoothed one when smoothing is on', () => {
    const plot = buildScalarPlot([{ run: 'a', color: '#111111', points: points([1, 3, 2]) }], {
      ...raw,
      smoothing: 0.5,
    });
    expect(plot.series.map((series) => series.role)).toEqual(['raw', 'smoothed']);
    expect(plot.series[0].values).toEqual([1, 3, 2]);
    expect(plot.series[1].values[0]).toBeCloseTo(1);
  });

  it('leaves values of 0 or below out of a log axis and counts them once', () => {
    const plot = buildScalarPlot([{ run: 'a', color: '#111111', points: points([1, 0, -2, 4]) }], {
      ...raw,
      smoothing: 0.5,
      logY: true,
    });
    expect(plot.series[0].values).toEqual([1, null, null, 4]);
    expect(plot.hiddenOnLog).toBe(2);
  });

  it("measures the relative axis from each run's first wall time", () => {
    const run: RunScalars = { run: 'a', color: '#111111', points: points([1, 2, 3], 0, 10) };
    const plot = buildScalarPlot([run], { ...raw, xAxis: 'relative' });
    expect(plot.xs).toEqual([0, 1, 2]);
  });
});

describe('isolatedPoints', () => {
  it('treats a single point and points between breaks as isolated, ignoring alignment gaps', () => {
    expect(isolatedPoints([undefined, 3, undefined])).toEqual([1]);
    expect(isolatedPoints([1, undefined, 2, null, 5])).toEqual([4]);
  });
});

describe('number formatting', () => {
  it('prints axis ticks with the decimals their spacing needs and float noise as 0', () => {
    expect(formatTick(-1.959e-4, 2.5)).toBe('0');
    expect(formatTick(2.4997, 2.5)).toBe('2.5');
    expect(formatTick(0.12345, 0.05)).toBe('0.123');
    expect(formatTick(1e-9, 1e-8)).toBe('1e-9');
  });

  it('prints readout values with five significant digits and names non-finite ones', () => {
    expect(formatValue(0.123456789)).toBe('0.12346');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(-Infinity)).toBe('-Infinity');
    expect(formatValue(1234567)).toBe('1.235e6');
  });

  it('prints huge and tiny ticks as short exponents that stay apart at their spacing', () => {
    expect(formatTick(1.1e12, 1e11)).toBe('1.1e12');
    expect(formatTick(2 ** 40, 2e11)).toBe('1.1e12');
    expect(formatTick(2e11, 2e11)).toBe('2e11');
    expect(formatTick(2.5e11, 2.5e11)).toBe('2.5e11');
    expect(formatTick(-3e38, 1e38)).toBe('-3e38');
    expect(formatTick(3.4e38, 1e37)).toBe('3.4e38');
    expect(formatTick(2.5e-9, 5e-10)).toBe('2.5e-9');
  });
});

describe('numeric axes', () => {
  it('offers tick increments for any finite range, 1e38 included', () => {
    const huge = tickIncrements(-3.4e38, 3.4e38);
    expect(huge.some((increment) => increment >= 1e38 && increment <= 5e38)).toBe(true);
    expect(tickIncrements(0.958, 0.96).some((i) => i === 5e-4 || i === 1e-3)).toBe(true);
    expect(tickIncrements(0, 2 ** 40).some((i) => i === 2e11)).toBe(true);
    expect(tickIncrements(-Infinity, 1)).toEqual([]);
  });

  it('sizes a y axis to its longest label and an x axis to one line', () => {
    expect(axisSize([20, 48.4, 30], 'y', 12, 36)).toBe(Math.ceil(48.4 + 19));
    expect(axisSize([2], 'y', 12, 36)).toBe(36);
    expect(axisSize([400], 'x', 12, 30)).toBe(31);
  });

  it('centres a series that never changes, all zeros included, instead of a 0..100 axis', () => {
    expect(flatRange(0, 0)).toEqual([-1, 1]);
    expect(flatRange(0.5, 0.5)).toEqual([0.45, 0.55]);
    expect(flatRange(-20, -20)).toEqual([-22, -18]);
    expect(flatRange(0, 1)).toBeNull();
    expect(flatRange(null, null)).toBeNull();
  });
});
