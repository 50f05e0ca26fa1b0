/**
 * Which of a set of runs logged what a lensboard view draws, from each run's
 * tag list (one cached request per run), so the view can choose a run with
 * data and name the runs without it.
 */
import { api } from '../api.js';
import type { TagInfo } from '../api-types.js';
import { settleEach } from '../lib/settle.js';
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

/** Which runs have the data; a run whose tag list failed is among neither, but in `failures`. */
export interface RunsWithData {
  withData: Set<string>;
  failures: { run: string; error: unknown }[];
}

/** Each run's tag list on its own: one run removed or unreadable leaves the others' answers. */
export async function runsWithData(
  runs: readonly string[],
  test: TagTest,
  signal: AbortSignal,
): Promise<RunsWithData> {
  const tagLists = await settleEach(
    runs.map((run) => api.tags(run, signal)),
    signal,
  );
  const withData = new Set<string>();
  const failures: RunsWithData['failures'] = [];
  runs.forEach((run, i) => {
    const tags = tagLists[i];
    if (!tags.ok) failures.push({ run, error: tags.error });
    else if (test(tags.value)) withData.add(run);
  });
  return { withData, failures };
}
