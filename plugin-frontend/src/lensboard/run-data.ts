/**
 * Which of a set of runs logged what a lensboard view draws, from each run's
 * tag list (one cached request per run), so the view can choose a run with
 * data and name the runs without it.
 */
import { api } from '../api.js';
import type { TagInfo } from '../api-types.js';
import { activationLayers, templateTags, weightTags } from './logged-tags.js';

export type TagTest = (tags: readonly TagInfo[]) => boolean;

export const hasActivations: TagTest = (tags) => activationLayers(tags).length > 0;

/** Class templates or kernels: what the weights view draws (biases are left to histograms). */
export const hasWeights: TagTest = (tags) =>
  templateTags(tags).length > 0 || weightTags(tags).some((w) => isKernel(w.weight));

/** tfjs makes variable names unique per process: a second model's kernel is `kernel_1`. */
export function isKernel(weight: string): boolean {
  return /^kernel(_\d+)?$/.test(weight);
}

export async function runsWithData(
  runs: readonly string[],
  test: TagTest,
  signal: AbortSignal,
): Promise<Set<string>> {
  const tagLists = await Promise.all(runs.map((run) => api.tags(run, signal)));
  return new Set(runs.filter((_, i) => test(tagLists[i])));
}
