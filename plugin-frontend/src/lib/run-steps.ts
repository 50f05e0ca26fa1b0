/**
 * The largest step the viewer knows for each run. A run's `lastStep` from the
 * server is the step of the event read last (TensorBoard's most recent step),
 * which text logged at step 0 after training puts behind the run's real
 * progress; the views' loaded series and the live changes know later steps.
 * Known steps only grow: a smaller report never hides a step seen before.
 */
import type { LogdirChange, RunInfo } from '../api-types.js';

export type KnownSteps = ReadonlyMap<string, number>;

/** `known` with the larger of its step and each reported one; the same map when nothing grew. */
export function noteSteps(
  known: KnownSteps,
  reports: Iterable<readonly [run: string, step: number]>,
): KnownSteps {
  let next: Map<string, number> | null = null;
  for (const [run, step] of reports) {
    const had = (next ?? known).get(run);
    if (!Number.isFinite(step) || (had !== undefined && had >= step)) continue;
    next ??= new Map(known);
    next.set(run, step);
  }
  return next ?? known;
}

/** The (run, step) pairs of live changes that carry a step. */
export function changeSteps(changes: readonly LogdirChange[]): [string, number][] {
  return changes.flatMap((c) => (c.lastStep === undefined ? [] : [[c.run, c.lastStep]]));
}

/** The largest step known for a run, or null before it logged a value. */
export function largestStep(run: RunInfo, known: KnownSteps): number | null {
  const seen = known.get(run.name);
  if (seen === undefined) return run.lastStep;
  return run.lastStep === null ? seen : Math.max(run.lastStep, seen);
}
