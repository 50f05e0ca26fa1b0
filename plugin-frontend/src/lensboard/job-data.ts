/**
 * What the workers view loads for a distributed job: from its global run the
 * divergence and timing scalars per worker and the class counts tensor, and
 * from its worker runs the tensors to compare side by side.
 */
import { api } from '../api.js';
import type { JobInfo, LoadedTensor, ScalarPoint, TagInfo, TensorSeries } from '../api-types.js';
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

export interface JobCatalog {
  job: JobInfo;
  divergence: WorkerSeries[];
  timing: WorkerSeries[];
  classCounts: TensorSeries | null;
  comparables: Comparable[];
  steps: number[];
  total: number;
}

export async function loadJobCatalog(job: JobInfo, signal: AbortSignal): Promise<JobCatalog> {
  const globalTags = job.global ? await api.tags(job.global, signal) : [];
  const scalars = async (tags: WorkerScalarTag[]) =>
    Promise.all(
      tags.map(async (t) => ({
        ...t,
        points: (await api.scalars(job.global!, t.tag, signal)).entries,
      })),
    );
  const hasCounts = globalTags.some((t) => t.tag === CLASS_COUNTS_TAG);
  const [divergence, timing, classCounts, comparables] = await Promise.all([
    scalars(workerScalarTags(globalTags, 'divergence')),
    scalars(workerScalarTags(globalTags, 'timing')),
    hasCounts ? api.tensors(job.global!, CLASS_COUNTS_TAG, signal) : Promise.resolve(null),
    job.workers[0] ? loadComparables(job.workers[0], signal) : Promise.resolve([]),
  ]);
  const stepLists = [...divergence, ...timing].map((s) => s.points.map((p) => p.step));
  if (classCounts) stepLists.push(seriesSteps(classCounts));
  const steps = mergeSteps(stepLists);
  return { job, divergence, timing, classCounts, comparables, steps, total: steps.length };
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

/** `tag`'s series on every worker; null for a worker that never logged it. */
export function loadWorkerSeries(
  workers: readonly string[],
  tag: string,
  signal: AbortSignal,
): Promise<(TensorSeries | null)[]> {
  return Promise.all(workers.map((run) => api.tensors(run, tag, signal).catch(() => null)));
}

/** Every worker's tensor at the step it shows for `step`; null where a worker has none. */
export function tensorsAt(
  series: readonly (TensorSeries | null)[],
  step: number | null,
  signal: AbortSignal,
): Promise<(LoadedTensor | null)[]> {
  return Promise.all(
    series.map((one) => {
      const at = one ? shownStep(seriesSteps(one), step) : null;
      return one && at !== null ? tensorAt(one, at, signal) : null;
    }),
  );
}

/**
 * `tag` on every worker at the step each shows for `step`; null for a worker that
 * never logged it.
 */
export async function loadAcrossWorkers(
  workers: readonly string[],
  tag: string,
  step: number | null,
  signal: AbortSignal,
): Promise<(LoadedTensor | null)[]> {
  return tensorsAt(await loadWorkerSeries(workers, tag, signal), step, signal);
}
