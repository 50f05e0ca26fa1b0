/**
 * Which run a lensboard view shows, and the runs of its job. A view draws one
 * run; it must be one that logged what the view draws, so a job's global run
 * (which logs activations only when training ends) never dead-ends the view
 * while its workers have data. Views offer a switch between the job's workers
 * and its global run, and a job picker when several jobs are selected.
 */
import type { JobInfo, RunInfo } from '../api-types.js';
import type { ViewState } from '../view-state.js';

/** The run to show, where it comes from, and which runs of the selection lack the data. */
export interface RunChoice {
  run: string | null;
  /** The job of `run`, or null for a plain run. */
  job: JobInfo | null;
  /** Jobs among the selected runs with data, newest first: the job picker's options. */
  jobs: JobInfo[];
  /** Selected runs without the data, in server order: said in words, never silently skipped. */
  lacking: string[];
}

/**
 * Chooses among the selected runs that have the data: the state's `worker`
 * when it does, else the newest job with data (its first worker with data,
 * else its global run), else the first selected run with data.
 */
export function chooseRun(
  state: Pick<ViewState, 'worker'>,
  runs: readonly RunInfo[],
  jobs: readonly JobInfo[],
  selected: readonly string[],
  hasData: ReadonlySet<string>,
): RunChoice {
  const chosen = new Set(selected);
  const withData = runs.filter((r) => chosen.has(r.name) && hasData.has(r.name)).map((r) => r.name);
  const lacking = runs.filter((r) => chosen.has(r.name) && !hasData.has(r.name)).map((r) => r.name);
  const dataJobs = newestFirst(
    jobs.filter((job) => jobRuns(job).some((run) => withData.includes(run))),
    runs,
  );
  const worker = state.worker !== null && withData.includes(state.worker) ? state.worker : null;
  const job = dataJobs[0] ?? null;
  const inJob = job ? jobRuns(job).filter((run) => withData.includes(run)) : [];
  const run = worker ?? inJob[0] ?? withData[0] ?? null;
  return { run, job: jobOf(run, jobs), jobs: dataJobs, lacking };
}

/** Jobs ordered by their newest wall time over their runs, newest first; ties by name. */
function newestFirst(jobs: JobInfo[], runs: readonly RunInfo[]): JobInfo[] {
  const time = new Map(runs.map((r) => [r.name, r.lastWallTime ?? r.firstEventTime ?? -Infinity]));
  const newest = (job: JobInfo) =>
    Math.max(-Infinity, ...jobRuns(job).map((r) => time.get(r) ?? -Infinity));
  return [...jobs].sort((a, b) => newest(b) - newest(a) || (a.name < b.name ? 1 : -1));
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
