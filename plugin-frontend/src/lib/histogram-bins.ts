/**
 * Prepares histogram entries for drawing. Axes are built from finite values
 * only. A NaN or infinite edge or count is bad data whatever the bucket's
 * count, so its step is marked and left out of the axes and the drawing,
 * while the other steps are drawn as usual. An edge of magnitude >= 1e300 is
 * a legacy writer's ±DBL_MAX outer limit: harmless on an empty bucket (it is
 * skipped), unplaceable on a non-empty one (the step is marked). Entries are
 * rebinned onto one shared grid so that steps with different bucket edges can
 * be compared.
 */
import type { HistogramEntry } from '../api-types.js';

/** Beyond this magnitude an edge is a sentinel (±DBL_MAX), not a value. */
const SENTINEL_MAGNITUDE = 1e300;

export function isUsableEdge(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) < SENTINEL_MAGNITUDE;
}

export interface BadStep {
  step: number;
  /** Why the step cannot be drawn, e.g. "bucket edge Infinity". */
  reason: string;
}

export interface HistogramFrame {
  step: number;
  wallTime: number;
  /** Counts per bin of the shared grid. */
  counts: number[];
}

export interface BinnedHistograms {
  /** Shared bin edges: `bins + 1` ascending finite values. */
  edges: number[];
  frames: HistogramFrame[];
  bad: BadStep[];
  /** The largest bin count over every frame: the common height scale. */
  maxCount: number;
}

/**
 * The reason an entry cannot be drawn, or null when every value is finite and
 * every non-empty bucket lies within the sentinel limits. A finite edge past
 * them is said to be too large, never "not finite".
 */
export function badReason(entry: HistogramEntry): string | null {
  for (const [left, right, count] of entry.buckets) {
    if (!Number.isFinite(count)) return `bucket count ${count}`;
    for (const edge of [left, right]) {
      const usable = count === 0 ? Number.isFinite(edge) : isUsableEdge(edge);
      if (!usable) {
        return Number.isFinite(edge)
          ? `bucket edge ${edge} of a non-empty bucket, too large to place`
          : `bucket edge ${edge}`;
      }
    }
  }
  return null;
}

/** How a step's label beside the ridges is drawn: a bad step's mark, the shown step, or an end. */
export type RidgeLabelKind = 'bad' | 'shown' | 'end';

export interface RidgeLabel {
  step: number;
  kind: RidgeLabelKind;
  text: string;
}

/**
 * The labels beside the ridges, one per step at most, in the order they win
 * a place: bad steps' red marks, then the step on screen, then the grey first
 * and last step. Labels are drawn at their step's height (`yOf`), so a label
 * closer than `minGap` pixels to one placed before it would overprint it and
 * is left out; the red dashed line and the warning above still name every
 * bad step.
 */
export function ridgeLabels(
  data: BinnedHistograms,
  shownStep: number | null,
  yOf: (step: number) => number = (step) => step,
  minGap = 0,
): RidgeLabel[] {
  const steps = [...data.frames.map((frame) => frame.step), ...data.bad.map((item) => item.step)];
  if (steps.length === 0) return [];
  const [first, last] = [Math.min(...steps), Math.max(...steps)];
  const candidates: RidgeLabel[] = [
    ...data.bad.map((item) => ({
      step: item.step,
      kind: 'bad' as const,
      text: `✕ step ${item.step}`,
    })),
    ...(shownStep === null
      ? []
      : [{ step: shownStep, kind: 'shown' as const, text: `step ${shownStep}` }]),
    { step: first, kind: 'end', text: `step ${first}` },
    { step: last, kind: 'end', text: `step ${last}` },
  ];
  const placed: RidgeLabel[] = [];
  for (const label of candidates) {
    const clash = placed.some(
      (other) => other.step === label.step || Math.abs(yOf(other.step) - yOf(label.step)) < minGap,
    );
    if (!clash) placed.push(label);
  }
  return placed;
}

export function binHistograms(entries: HistogramEntry[], bins = 30): BinnedHistograms {
  const bad: BadStep[] = [];
  const good: HistogramEntry[] = [];
  for (const entry of entries) {
    const reason = badReason(entry);
    if (reason === null) good.push(entry);
    else bad.push({ step: entry.step, reason });
  }
  const edges = gridEdges(good, bins);
  const frames = good.map((entry) => ({
    step: entry.step,
    wallTime: entry.wallTime,
    counts: rebin(entry, edges),
  }));
  const maxCount = Math.max(0, ...frames.flatMap((frame) => frame.counts));
  return { edges, frames, bad, maxCount };
}

/**
 * Even bins over the finite range of every non-empty bucket; a single value gets a
 * unit-wide range.
 */
function gridEdges(entries: HistogramEntry[], bins: number): number[] {
  let low = Infinity;
  let high = -Infinity;
  for (const entry of entries) {
    for (const [left, right, count] of entry.buckets) {
      if (count === 0) continue;
      low = Math.min(low, left);
      high = Math.max(high, right);
    }
  }
  if (low > high) [low, high] = [0, 1];
  if (low === high) [low, high] = [low - 0.5, high + 0.5];
  const width = (high - low) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width));
}

/**
 * Spreads each bucket's count over the bins it overlaps, in proportion to the
 * overlap. A zero-width bucket (1000 zeros of a dead ReLU) puts its whole count
 * into the one bin holding it, which is what makes the spike visible.
 */
export function rebin(entry: HistogramEntry, edges: number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const low = edges[0];
  const width = (edges[bins] - low) / bins;
  const binOf = (x: number) => Math.min(bins - 1, Math.max(0, Math.floor((x - low) / width)));
  for (const [left, right, count] of entry.buckets) {
    if (count === 0 || !isUsableEdge(left) || !isUsableEdge(right)) continue;
    if (right <= left) {
      counts[binOf(left)] += count;
      continue;
    }
    for (let bin = binOf(left); bin <= binOf(right); bin++) {
      const overlap = Math.min(right, edges[bin + 1]) - Math.max(left, edges[bin]);
      if (overlap > 0) counts[bin] += (count * overlap) / (right - left);
    }
  }
  return counts;
}
