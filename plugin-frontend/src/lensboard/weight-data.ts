/**
 * What the weights view loads: the class templates and kernels of a run, and
 * at one step their tensors, optionally as the difference of this worker from
 * the average of the job's workers (where the workers disagree).
 */
import { api } from '../api.js';
import type { LoadedTensor, TensorSeries } from '../api-types.js';
import { settleEach } from '../lib/settle.js';
import { mergeSteps, shownStep, valueCounts } from '../lib/steps.js';
import { seriesSteps, tensorAt } from './data.js';
import { templateTags, weightTags, type NamedTensorTag } from './logged-tags.js';
import { isKernel } from './run-data.js';
import { difference, elementwiseMean } from './worker-math.js';

export interface WeightCatalog {
  run: string;
  templates: NamedTensorTag[];
  /** Kernels only: biases are better read in the histograms. */
  kernels: NamedTensorTag[];
  series: Map<string, TensorSeries>;
  /** Why a tag's series could not be loaded, by tag: in `series` or here, never both. */
  failures: Map<string, unknown>;
  steps: number[];
  /** Values logged and kept by the largest series, for the step control. */
  kept: number;
  total: number;
}

export interface WeightFrame {
  step: number;
  /** By tag; with a difference, this worker minus the workers' average. */
  tensors: Map<string, LoadedTensor>;
  /** By tag: why its tensor (or, for a difference, another worker's) could not be loaded. */
  failures: Map<string, unknown>;
  /** Set when the tensors are differences: the workers averaged. */
  averagedOver: string[] | null;
  /**
   * With a difference, the tags drawn as differences: those every averaged
   * worker logged. The others are drawn as this run logged them.
   */
  differenced: ReadonlySet<string>;
}

export async function loadWeightCatalog(run: string, signal: AbortSignal): Promise<WeightCatalog> {
  const tags = await api.tags(run, signal);
  const templates = templateTags(tags);
  const kernels = weightTags(tags).filter((w) => isKernel(w.weight));
  const wanted = [...templates, ...kernels].map((t) => t.tag);
  const results = await settleEach(
    wanted.map((tag) => api.tensors(run, tag, signal)),
    signal,
  );
  const series = new Map<string, TensorSeries>();
  const failures = new Map<string, unknown>();
  wanted.forEach((tag, i) => {
    const result = results[i];
    if (result.ok) series.set(tag, result.value);
    else failures.set(tag, result.error);
  });
  const loaded = [...series.values()];
  return {
    run,
    templates,
    kernels,
    series,
    failures,
    steps: mergeSteps(loaded.map(seriesSteps)),
    ...valueCounts(loaded),
  };
}

/**
 * The tags of `catalog` that every one of `workers` logged too. Only those have
 * an average to subtract: a global model's layers (a mixture's experts, say)
 * need not exist in any worker, and asking a worker for them is a 404.
 */
export async function sharedTags(
  catalog: WeightCatalog,
  workers: readonly string[],
  signal: AbortSignal,
): Promise<Set<string>> {
  const lists = await Promise.all(workers.map((run) => api.tags(run, signal)));
  const logged = lists.map((tags) => new Set(tags.map((t) => t.tag)));
  return new Set([...catalog.series.keys()].filter((tag) => logged.every((s) => s.has(tag))));
}

/**
 * Every template and kernel at `step`. With `workers` (two or more worker
 * runs of the job), each tensor of a tag in `shared` is this run's minus the
 * workers' mean; the others stay as logged.
 */
export async function loadWeightFrame(
  catalog: WeightCatalog,
  step: number,
  workers: readonly string[],
  shared: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<WeightFrame> {
  const tags = [...catalog.series.keys()];
  const own = await settleEach(
    tags.map((tag) => at(catalog.series.get(tag)!, step, signal)),
    signal,
  );
  const tensors = new Map<string, LoadedTensor>();
  const failures = new Map<string, unknown>();
  tags.forEach((tag, i) => {
    const result = own[i];
    if (!result.ok) failures.set(tag, result.error);
    else if (result.value) tensors.set(tag, result.value);
  });
  const differenced = new Set<string>();
  if (workers.length < 2) return { step, tensors, failures, averagedOver: null, differenced };

  // Each tag is averaged on its own: a worker that cannot give one tag spoils only that one.
  for (const [tag, tensor] of tensors) {
    if (!shared.has(tag)) continue;
    try {
      const others = await Promise.all(workers.map((run) => workerTensor(run, tag, step, signal)));
      const mean = elementwiseMean(
        others.map((t) => t.values),
        workers,
      );
      tensors.set(tag, { ...tensor, values: difference(tensor.values, mean) });
      differenced.add(tag);
    } catch (error) {
      signal.throwIfAborted();
      tensors.delete(tag);
      failures.set(tag, error);
    }
  }
  return { step, tensors, failures, averagedOver: [...workers], differenced };
}

async function at(series: TensorSeries, step: number, signal: AbortSignal) {
  const shown = shownStep(seriesSteps(series), step);
  return shown === null ? null : tensorAt(series, shown, signal);
}

async function workerTensor(run: string, tag: string, step: number, signal: AbortSignal) {
  const tensor = await at(await api.tensors(run, tag, signal), step, signal);
  if (!tensor) throw new Error(`${run} logged no ${tag} at or before step ${step}`);
  return tensor;
}
