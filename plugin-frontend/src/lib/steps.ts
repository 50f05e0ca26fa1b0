/**
 * The logic of the global step control, apart from any element: which loaded
 * step is on screen for a requested step, where the arrow keys go, and what
 * the control says. Steps lists are sorted ascending and hold no duplicates.
 */

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

/** "10 of 100 steps loaded", or "all 100 steps loaded" when nothing was sampled away. */
export function loadedLabel(loaded: number, total: number): string {
  const noun = total === 1 ? 'step' : 'steps';
  if (loaded >= total) return `all ${total} ${noun} loaded`;
  return `${loaded} of ${total} ${noun} loaded`;
}

/** Parses a typed step; an error message in the "invalid step: NaN" tone when unusable. */
export function parseStep(text: string): { step: number } | { error: string } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isSafeInteger(value)) {
    return { error: `invalid step: ${JSON.stringify(text)} (want an integer)` };
  }
  return { step: value };
}
