/** Which runs a ViewState selects, given the runs the server knows. */
import type { RunInfo } from '../api-types.js';
import type { ViewState } from '../view-state.js';

/** Selected run names in the server's order; an empty selection means every run. */
export function selectedRunNames(
  state: Pick<ViewState, 'runs'>,
  runs: readonly RunInfo[],
): string[] {
  if (state.runs.length === 0) return runs.map((run) => run.name);
  const wanted = new Set(state.runs);
  return runs.filter((run) => wanted.has(run.name)).map((run) => run.name);
}

/**
 * The selection after toggling some runs on or off; every run selected is
 * stored as empty. An empty selection already means "every run", so turning
 * off the last selected runs keeps the selection as it was.
 */
export function toggleRuns(
  state: Pick<ViewState, 'runs'>,
  runs: readonly RunInfo[],
  names: readonly string[],
  on: boolean,
): string[] {
  const selected = new Set(selectedRunNames(state, runs));
  for (const name of names) {
    if (on) selected.add(name);
    else selected.delete(name);
  }
  if (selected.size === 0) return [...state.runs];
  if (runs.every((run) => selected.has(run.name))) return [];
  return runs.filter((run) => selected.has(run.name)).map((run) => run.name);
}

/** The newest step over the selected runs, or null before any values. */
export function newestStep(names: readonly string[], runs: readonly RunInfo[]): number | null {
  const wanted = new Set(names);
  let newest: number | null = null;
  for (const run of runs) {
    if (!wanted.has(run.name) || run.lastStep === null) continue;
    newest = newest === null ? run.lastStep : Math.max(newest, run.lastStep);
  }
  return newest;
}
