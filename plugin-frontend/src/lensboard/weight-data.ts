/**
 * What the weights view loads: the class templates and kernels of a run, and
 * at one step their tensors, optionally as the difference of this worker from
 * the average of the job's workers (where the workers disagree).
 */
import { api } from '../api.js';
import type { LoadedTensor, TensorSeries } from '../api-types.js';
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
  steps: number[];
  /** Values logged and kept by the largest series, for the step control. */
  kept: number;
  total: number;
}

export interface WeightFrame {
  step: number;
  /** By tag; with a difference, this worker minus the workers' average. */
  tensors: Map<string, LoadedTensor>;
  /** Set when the tensors are differences: the workers averaged. */
  averagedOver: string[] | null;
}

export async function loadWeightCatalog(run: string, signal: AbortSignal): Promise<WeightCatalog> {
  const tags = await api.tags(run, signal);
  const templates = templateTags(tags);
  const kernels = weightTags(tags).filter((w) => isKernel(w.weight));
  const wanted = [...templates, ...kernels].map((t) => t.tag);
  const loaded = await Promise.all(wanted.map((tag) => api.tensors(run, tag, signal)));
  return {
    run,
    templates,
    kernels,
    series: new Map(wanted.map((tag, i) => [tag, loaded[i]])),
    steps: mergeSteps(loaded.map(seriesSteps)),
    ...valueCounts(loaded),
  };
}

/**
 * Every template and kernel at `step`. With `workers` (two or more worker
 * runs of the job), each tensor is this run's minus the workers' mean.
 */
export async function loadWeightFrame(
  catalog: WeightCatalog,
  step: number,
  workers: readonly string[],
  signal: AbortSignal,
): Promise<WeightFrame> {
  const tags = [...catalog.series.keys()];
  const own = await Promise.all(tags.map((tag) => at(catalog.series.get(tag)!, step, signal)));
  const tensors = new Map<string, LoadedTensor>();
  tags.forEach((tag, i) => own[i] && tensors.set(tag, own[i]));
  if (workers.length < 2) return { step, tensors, averagedOver: null };

  for (const [tag, tensor] of tensors) {
    const others = await Promise.all(workers.map((run) => workerTensor(run, tag, step, signal)));
    const mean = elementwiseMean(
      others.map((t) => t.values),
      workers,
    );
    tensors.set(tag, { ...tensor, values: difference(tensor.values, mean) });
  }
  return { step, tensors, averagedOver: [...workers] };
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
