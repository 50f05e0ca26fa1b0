/**
 * Which run a lensboard view shows, and the runs of its job: the worker the
 * state names, else the first selected run. Views offer a switch between the
 * job's workers and its global run.
 */
import type { JobInfo, RunInfo } from '../api-types.js';
import type { ViewState } from '../view-state.js';

/** The run to show: `state.worker` when the server knows it, else the first selected run. */
export function shownRun(
  state: ViewState,
  runs: readonly RunInfo[],
  selected: readonly string[],
): string | null {
  if (state.worker && runs.some((r) => r.name === state.worker)) return state.worker;
  return selected[0] ?? runs[0]?.name ?? null;
}

export function jobOf(run: string | null, jobs: readonly JobInfo[]): JobInfo | null {
  if (run === null) return null;
  return jobs.find((job) => job.global === run || job.workers.includes(run)) ?? null;
}

/** The job's worker runs by rank, then its global run. */
export function jobRuns(job: JobInfo | null): string[] {
  if (!job) return [];
  return job.global ? [...job.workers, job.global] : [...job.workers];
}

/** A short name for a run within its job: `worker-1`, `global`. */
export function runLabel(run: string, job: JobInfo | null): string {
  if (!job) return run;
  return run.startsWith(`${job.name}/`) ? run.slice(job.name.length + 1) : run;
}
