/**
 * The logic of the global step control, apart from any element: which loaded
 * step is on screen for a requested step, where the arrow keys go, and what
 * the control says. Steps lists are sorted ascending and hold no duplicates.
 */
import type { Entry, Series } from '../api-types.js';

/** The step views show: the pinned one, or the newest while following; null before any data. */
export function effectiveStep(pinned: number | null, newest: number | null): number | null {
  return pinned ?? newest;
}

/**
 * Index of the loaded step at or before `step`, or of the first one if all are
 * after it; -1 when none.
 */
export function shownIndex(steps: readonly number[], step: number | null): number {
  if (steps.length === 0) return -1;
  if (step === null) return steps.length - 1;
  let low = 0;
  let high = steps.length - 1;
  if (step < steps[0]) return 0;
  // Invariant: steps[low] <= step; the answer is the last such index.
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (steps[middle] <= step) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The loaded step that is on screen for a requested step, or null when nothing is loaded. */
export function shownStep(steps: readonly number[], step: number | null): number | null {
  const index = shownIndex(steps, step);
  return index < 0 ? null : steps[index];
}

/** The step one loaded sample away from the one shown, clamped at both ends. */
export function stepBy(
  steps: readonly number[],
  step: number | null,
  delta: number,
): number | null {
  const index = shownIndex(steps, step);
  if (index < 0) return null;
  return steps[Math.min(steps.length - 1, Math.max(0, index + delta))];
}

/** Sorted union of several views' or runs' steps. */
export function mergeSteps(lists: Iterable<readonly number[]>): number[] {
  const all = new Set<number>();
  for (const list of lists) for (const step of list) all.add(step);
  return [...all].sort((a, b) => a - b);
}

/**
 * What is loaded, said truthfully: distinct steps, and the values behind them
 * when those are more (a restart or a second file repeats steps) or were
 * sampled: "all 100 steps loaded (200 values)", "50 steps loaded (500 of 2000
 * values kept)".
 */
export function loadedLabel(steps: number, kept: number, total: number): string {
  const noun = steps === 1 ? 'step' : 'steps';
  if (kept >= total) {
    return `all ${steps} ${noun} loaded${total > steps ? ` (${total} values)` : ''}`;
  }
  return `${steps} ${noun} loaded (${kept} of ${total} values kept)`;
}

/** Values logged and kept by the series that logged the most (ties: the one that kept most). */
export function valueCounts(series: readonly Series<Entry>[]): { kept: number; total: number } {
  let largest = { kept: 0, total: 0 };
  for (const one of series) {
    const counts = { kept: one.entries.length, total: one.total };
    const more = counts.total - largest.total || counts.kept - largest.kept;
    if (more > 0) largest = counts;
  }
  return largest;
}

/**
 * Parses a typed step: plain decimal digits with an optional minus, as steps
 * are written, so `0x10` or `1e3` are not read as other numbers. An error
 * message in the "invalid step: NaN" tone when unusable.
 */
export function parseStep(text: string): { step: number } | { error: string } {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) {
    return { error: `invalid step: ${JSON.stringify(text)} (want an integer)` };
  }
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) {
    return { error: `invalid step: ${JSON.stringify(text)} (out of range: steps are below 2^53)` };
  }
  return { step: value };
}
