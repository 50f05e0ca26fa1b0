/**
 * What the workers view loads for a distributed job: from its global run the
 * divergence and timing scalars per worker and the class counts tensor, and
 * from its worker runs the tensors to compare side by side.
 */
import { ApiError, api } from '../api.js';
import type { JobInfo, LoadedTensor, ScalarPoint, TagInfo, TensorSeries } from '../api-types.js';
import { settleEach, type Settled } from '../lib/settle.js';
import { mergeSteps, shownStep } from '../lib/steps.js';
import { seriesSteps, tensorAt } from './data.js';
import {
  activationLayers,
  templateTags,
  workerScalarTags,
  type WorkerScalarTag,
} from './logged-tags.js';

/** The per-job tag of `[workers, classes]` example counts (docs/logged-tags.md). */
export const CLASS_COUNTS_TAG = 'data/class_counts';

export interface WorkerSeries extends WorkerScalarTag {
  points: ScalarPoint[];
}

/** What can be compared across workers: a layer's activations or a class template. */
export interface Comparable {
  kind: 'activation' | 'template';
  layer: string;
  tag: string;
}

/** The parts of the workers view; a failure is shown in the part it leaves out. */
export type JobPart = 'global' | 'divergence' | 'timing' | 'counts' | 'comparables';

/** What could not be loaded (a tag, or a run's tag list), and why. */
export interface JobFailure {
  part: JobPart;
  what: string;
  error: unknown;
}

export interface JobCatalog {
  job: JobInfo;
  divergence: WorkerSeries[];
  timing: WorkerSeries[];
  classCounts: TensorSeries | null;
  comparables: Comparable[];
  /** Each failed request on its own: the rest of the job is drawn. */
  failures: JobFailure[];
  steps: number[];
  total: number;
}

export async function loadJobCatalog(job: JobInfo, signal: AbortSignal): Promise<JobCatalog> {
  const failures: JobFailure[] = [];
  const value = <T>(result: Settled<T>, part: JobPart, what: string, fallback: T): T => {
    if (result.ok) return result.value;
    failures.push({ part, what, error: result.error });
    return fallback;
  };
  const [globalTags] = await settleEach([job.global ? api.tags(job.global, signal) : []], signal);
  const tags = value(globalTags, 'global', `the tags of run ${job.global}`, []);
  const scalars = async (part: JobPart, wanted: WorkerScalarTag[]) => {
    const results = await settleEach(
      wanted.map((t) => api.scalars(job.global!, t.tag, signal)),
      signal,
    );
    return wanted.flatMap((t, i) => {
      const series = value(results[i], part, t.tag, null);
      return series ? [{ ...t, points: series.entries }] : [];
    });
  };
  const hasCounts = tags.some((t) => t.tag === CLASS_COUNTS_TAG);
  const [divergence, timing, [counts], [comparables]] = await Promise.all([
    scalars('divergence', workerScalarTags(tags, 'divergence')),
    scalars('timing', workerScalarTags(tags, 'timing')),
    settleEach([hasCounts ? api.tensors(job.global!, CLASS_COUNTS_TAG, signal) : null], signal),
    settleEach([job.workers[0] ? loadComparables(job.workers[0], signal) : []], signal),
  ]);
  const classCounts = value(counts, 'counts', CLASS_COUNTS_TAG, null);
  const compared = value(comparables, 'comparables', `the tags of run ${job.workers[0]}`, []);
  const stepLists = [...divergence, ...timing].map((s) => s.points.map((p) => p.step));
  if (classCounts) stepLists.push(seriesSteps(classCounts));
  const steps = mergeSteps(stepLists);
  return {
    job,
    divergence,
    timing,
    classCounts,
    comparables: compared,
    failures,
    steps,
    total: steps.length,
  };
}

async function loadComparables(run: string, signal: AbortSignal): Promise<Comparable[]> {
  const tags: TagInfo[] = await api.tags(run, signal);
  return [
    ...activationLayers(tags).map((l) => ({
      kind: 'activation' as const,
      layer: l.layer,
      tag: l.tag,
    })),
    ...templateTags(tags).map((t) => ({ kind: 'template' as const, layer: t.layer, tag: t.tag })),
  ];
}

/** Why one worker's share of a comparison could not be loaded. */
export class LoadFailure {
  constructor(readonly error: unknown) {}
}

/**
 * One worker's share of a comparison: the value, null when the worker never
 * logged it (which is no error), or the failure that kept it out.
 */
export type WorkerValue<T> = T | null | LoadFailure;

/** The value itself, or null when there is none to draw (not logged, or failed). */
export function loadedValue<T>(value: WorkerValue<T>): T | null {
  return value instanceof LoadFailure ? null : value;
}

/** `tag`'s series on every worker; a 404 is a worker that never logged it, not a failure. */
export async function loadWorkerSeries(
  workers: readonly string[],
  tag: string,
  signal: AbortSignal,
): Promise<WorkerValue<TensorSeries>[]> {
  const results = await settleEach(
    workers.map((run) => api.tensors(run, tag, signal)),
    signal,
  );
  return results.map((result) => {
    if (result.ok) return result.value;
    const unknown = result.error instanceof ApiError && result.error.status === 404;
    return unknown ? null : new LoadFailure(result.error);
  });
}

/** Every worker's tensor at the step it shows for `step`; each worker fails on its own. */
export async function tensorsAt(
  series: readonly WorkerValue<TensorSeries>[],
  step: number | null,
  signal: AbortSignal,
): Promise<WorkerValue<LoadedTensor>[]> {
  const results = await settleEach(
    series.map(async (one) => {
      if (one === null || one instanceof LoadFailure) return one;
      const at = shownStep(seriesSteps(one), step);
      return at === null ? null : tensorAt(one, at, signal);
    }),
    signal,
  );
  return results.map((result) => (result.ok ? result.value : new LoadFailure(result.error)));
}

/** `tag` on every worker at the step each shows for `step`. */
export async function loadAcrossWorkers(
  workers: readonly string[],
  tag: string,
  step: number | null,
  signal: AbortSignal,
): Promise<WorkerValue<LoadedTensor>[]> {
  return tensorsAt(await loadWorkerSeries(workers, tag, signal), step, signal);
}
