/**
 * Turns scalar series of several runs into uPlot's aligned columns. Each
 * (run, segment) is its own plot series, so separate launches are never joined
 * by a line. Within a column, `undefined` marks "no point at this x" (uPlot
 * bridges it) and `null` a break in the line (uPlot never bridges it), used for
 * values the axis cannot show: NaN, ±Infinity, and non-positive values on a log
 * axis. Non-finite values become edge marks instead, never a point at 0.
 */
import type { ScalarPoint } from '../api-types.js';
import type { XAxis } from '../view-state.js';
import { smoothEma } from './smoothing.js';

export interface RunScalars {
  run: string;
  color: string;
  points: ScalarPoint[];
}

export interface PlotOptions {
  smoothing: number;
  logY: boolean;
  xAxis: XAxis;
}

export type Cell = number | null | undefined;

export interface PlotSeries {
  run: string;
  segment: number;
  color: string;
  /** Smoothed line, or the raw values drawn faintly under it. */
  role: 'raw' | 'smoothed';
  values: Cell[];
  /** The logged point behind each column, for readouts; undefined where the series has none. */
  points: (ScalarPoint | undefined)[];
  /** Indices of finite points with no drawable neighbour: drawn as markers or they would vanish. */
  isolated: number[];
}

export type MarkKind = 'nan' | '+inf' | '-inf';

/** A value the y axis cannot show, drawn at the plot's top (+Inf, NaN) or bottom (-Inf) edge. */
export interface EdgeMark {
  x: number;
  step: number;
  run: string;
  color: string;
  kind: MarkKind;
}

export interface ScalarPlot {
  xs: number[];
  series: PlotSeries[];
  marks: EdgeMark[];
  /** Values left out on a log axis because they are zero or negative. */
  hiddenOnLog: number;
}

export function buildScalarPlot(runs: RunScalars[], options: PlotOptions): ScalarPlot {
  const pieces = runs.flatMap((run) => splitSegments(run, options.xAxis));
  const xs = [...new Set(pieces.flatMap((piece) => piece.xs))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  const plot: ScalarPlot = { xs, series: [], marks: [], hiddenOnLog: 0 };

  for (const piece of pieces) {
    const raw = piece.points.map((point) => point.value);
    const place = (role: PlotSeries['role'], values: number[]) =>
      plot.series.push(placeSeries(piece, role, values, column, xs.length, options));
    if (options.smoothing > 0) place('raw', raw);
    place('smoothed', options.smoothing > 0 ? smoothEma(raw, options.smoothing) : raw);
    plot.marks.push(...edgeMarks(piece));
    if (options.logY) plot.hiddenOnLog += raw.filter((value) => value <= 0).length;
  }
  return plot;
}

interface Piece {
  run: string;
  color: string;
  segment: number;
  points: ScalarPoint[];
  xs: number[];
}

/** One piece per segment, with the x of each point for the chosen axis. */
function splitSegments(run: RunScalars, xAxis: XAxis): Piece[] {
  const start = Math.min(...run.points.map((point) => point.wallTime));
  const xOf = (point: ScalarPoint) =>
    xAxis === 'step' ? point.step : xAxis === 'wall' ? point.wallTime : point.wallTime - start;
  const bySegment = new Map<number, ScalarPoint[]>();
  for (const point of run.points) {
    const list = bySegment.get(point.segment) ?? [];
    list.push(point);
    bySegment.set(point.segment, list);
  }
  return [...bySegment].map(([segment, points]) => {
    const sorted = [...points].sort((a, b) => xOf(a) - xOf(b));
    return { run: run.run, color: run.color, segment, points: sorted, xs: sorted.map(xOf) };
  });
}

function placeSeries(
  piece: Piece,
  role: PlotSeries['role'],
  values: number[],
  column: Map<number, number>,
  width: number,
  options: PlotOptions,
): PlotSeries {
  const cells: Cell[] = new Array(width).fill(undefined);
  const points: (ScalarPoint | undefined)[] = new Array(width).fill(undefined);
  values.forEach((value, i) => {
    const hidden = options.logY && value <= 0;
    const index = column.get(piece.xs[i])!;
    cells[index] = Number.isFinite(value) && !hidden ? value : null;
    points[index] = piece.points[i];
  });
  const { run, segment, color } = piece;
  return { run, segment, color, role, values: cells, points, isolated: isolatedPoints(cells) };
}

/** Finite cells whose nearest present neighbours on both sides are breaks or absent. */
export function isolatedPoints(cells: readonly Cell[]): number[] {
  const present: number[] = [];
  cells.forEach((cell, i) => cell !== undefined && present.push(i));
  return present.filter((index, k) => {
    if (cells[index] === null) return false;
    const before = k > 0 ? cells[present[k - 1]] : null;
    const after = k < present.length - 1 ? cells[present[k + 1]] : null;
    return before === null && after === null;
  });
}

function edgeMarks(piece: Piece): EdgeMark[] {
  const marks: EdgeMark[] = [];
  piece.points.forEach((point, i) => {
    if (Number.isFinite(point.value)) return;
    const kind: MarkKind = Number.isNaN(point.value) ? 'nan' : point.value > 0 ? '+inf' : '-inf';
    marks.push({ x: piece.xs[i], step: point.step, run: piece.run, color: piece.color, kind });
  });
  return marks;
}

/** The cell of a series nearest to column `index` that holds a value, or -1. */
export function nearestPresent(cells: readonly Cell[], index: number): number {
  for (let distance = 0; distance < cells.length; distance++) {
    if (index - distance >= 0 && cells[index - distance] != null) return index - distance;
    if (index + distance < cells.length && cells[index + distance] != null) return index + distance;
    if (index - distance < 0 && index + distance >= cells.length) break;
  }
  return -1;
}
