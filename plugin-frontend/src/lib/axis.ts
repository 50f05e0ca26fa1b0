/**
 * Numeric chart axes that fit their labels: tick increments for any magnitude
 * (uPlot's own stop near 1e16, so a scalar of 3.4e38 got no ticks), compact
 * labels, and an axis as wide or tall as its longest label, so "0.9675" is
 * never cut to ".9675" and step 1.1e12 never runs into its neighbour.
 */
import type uPlot from 'uplot';
import { tickLabels } from './format.js';

/** Mantissas of "round" tick increments, as uPlot uses them. */
const MANTISSAS = [1, 2, 2.5, 5];

/** Pixels between the axis line and its labels: uPlot's tick length plus its gap. */
const TICK_AND_GAP = 15;
/** Room kept beside the longest label so antialiasing never clips it. */
const LABEL_MARGIN = 4;

/**
 * Round increments from well below to above `max - min`: enough for uPlot to
 * pick a spacing for any finite range, from 1e-30 to 1e308.
 */
export function tickIncrements(min: number, max: number): number[] {
  const span = Math.abs(max - min) || Math.abs(max) || 1;
  if (!Number.isFinite(span)) return [];
  const top = Math.floor(Math.log10(span));
  const increments: number[] = [];
  for (let exponent = top - 8; exponent <= top + 1; exponent++) {
    for (const mantissa of MANTISSAS) {
      const increment = mantissa * 10 ** exponent;
      if (Number.isFinite(increment) && increment > 0) increments.push(increment);
    }
  }
  return increments;
}

/**
 * The axis size that holds its longest label: width for a y axis, height for
 * an x axis (one line of text); never below `least`.
 */
export function axisSize(
  labelWidths: readonly number[],
  side: 'x' | 'y',
  fontSize: number,
  least: number,
): number {
  const across = side === 'y' ? Math.max(0, ...labelWidths) : fontSize;
  return Math.max(least, Math.ceil(across + TICK_AND_GAP + LABEL_MARGIN));
}

/** The CSS pixel widths of `labels` in the axis's own font. */
function measure(chart: uPlot, axisIndex: number, labels: readonly string[]): number[] {
  const axis = chart.axes[axisIndex] as uPlot.Axis & { font?: unknown };
  const font = Array.isArray(axis.font) ? String(axis.font[0]) : String(axis.font ?? '');
  const ctx = chart.ctx;
  ctx.save();
  if (font) ctx.font = font;
  const widths = labels.map((label) => ctx.measureText(label ?? '').width / devicePixelRatio);
  ctx.restore();
  return widths;
}

/**
 * A linear numeric axis: compact labels with the decimals their spacing needs,
 * increments for any magnitude, and a size taken from the labels drawn.
 */
export function numericAxis(side: 'x' | 'y', extra: uPlot.Axis = {}): uPlot.Axis {
  const least = side === 'y' ? 36 : 30;
  return {
    values: tickLabels,
    incrs: (_chart, _axis, min, max) => tickIncrements(min, max),
    // Room between ticks grows with the labels: wide exponent labels never overlap.
    space: side === 'x' ? 70 : 30,
    size: (chart, values, axisIndex) =>
      axisSize(measure(chart, axisIndex, values ?? []), side, 12, least),
    ...extra,
  };
}

/** An axis uPlot labels itself (log scale, clock time), sized from those labels. */
export function fittedAxis(side: 'x' | 'y', extra: uPlot.Axis = {}): uPlot.Axis {
  const least = side === 'y' ? 36 : 30;
  return {
    size: (chart, values, axisIndex) =>
      axisSize(measure(chart, axisIndex, values ?? []), side, 12, least),
    ...extra,
  };
}

/**
 * The value range of a series that never changes (a divergence of exactly 0,
 * a constant learning rate): uPlot would show 0..100 for all zeros, so the
 * value is centred with a margin of a tenth of its size, or of 1 for zero.
 * Null when the values vary (or there are none), for the chart's usual range.
 */
export function flatRange(min: number | null, max: number | null): [number, number] | null {
  if (min === null || max === null || min !== max || !Number.isFinite(min)) return null;
  const margin = Math.abs(min) / 10 || 1;
  return [min - margin, max + margin];
}

/** uPlot's own padding of a linear value axis: a tenth of the range, never past 0 softly. */
export const VALUE_PADDING: uPlot.Range.Config = {
  min: { pad: 0.1, soft: 0, mode: 3 },
  max: { pad: 0.1, soft: 0, mode: 3 },
};
