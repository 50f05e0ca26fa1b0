/**
 * What the sidebar says of a run beside its name, truthfully: still being
 * read, no values at all yet, its largest step, or, for a run that holds only
 * data no view of lensboard draws (a PyTorch or Keras hparams run, a graph),
 * which data that is. "no data yet" is kept for runs with no values at all,
 * where it is true and where data may still come (B33).
 */
import { api } from '../api.js';
import type { RunInfo, TagInfo, TagKind } from '../api-types.js';
import { largestStep, type KnownSteps } from './run-steps.js';
import { settleEach } from './settle.js';

/** The kinds some view draws; `other` holds every plugin lensboard does not know. */
const SHOWN_KINDS: ReadonlySet<TagKind> = new Set([
  'scalars',
  'images',
  'histograms',
  'text',
  'tensors',
]);

/** Plugins a person knows by another name; the rest are named by their plugin name. */
const PLUGIN_NAMES: Record<string, string> = {
  hparams: 'hparams',
  graphs: 'graph',
  graph_keras_model: 'graph',
  graph_run_metadata: 'graph',
  graph_tagged_run_metadata: 'graph',
  pr_curves: 'PR curves',
  custom_scalars: 'custom scalars',
  projector: 'embeddings',
  mesh: 'meshes',
  audio: 'audio',
};

export interface RunBadge {
  text: string;
  /** The longer sentence, for the badge's tooltip. */
  title: string;
}

/** The data a run holds that no view draws, by name, deduplicated; empty if a view draws any. */
export function unshownKinds(tags: readonly TagInfo[]): string[] {
  if (tags.some((tag) => SHOWN_KINDS.has(tag.kind))) return [];
  const names = tags.map((tag) => PLUGIN_NAMES[tag.pluginName] ?? (tag.pluginName || 'tensors'));
  return [...new Set(names)].sort();
}

/**
 * The badge of a run. `tags` is its tag list when the sidebar has it; until
 * then a run with values shows its step, as it would without the list.
 * `subRuns` are the runs in directories under it: a writer that logs into a
 * subdirectory (PyTorch's `add_hparams`) leaves a parent with no values of
 * its own, whose data is in them.
 */
export function runBadge(
  run: RunInfo,
  known: KnownSteps,
  tags: readonly TagInfo[] | undefined,
  subRuns: readonly RunInfo[] = [],
): RunBadge {
  if (run.status === 'loading') {
    return { text: 'loading…', title: 'The server is still reading its event files.' };
  }
  const withData = subRuns.filter((sub) => sub.status === 'ok').map((sub) => sub.name);
  if (run.status === 'no-data' && withData.length) {
    const count = withData.length === 1 ? 'a sub-run' : `${withData.length} sub-runs`;
    return {
      text: `data in ${count}`,
      title: `Its own event files hold no values; the runs under it do: ${withData.join(', ')}.`,
    };
  }
  if (run.status === 'no-data') {
    return {
      text: 'no data yet',
      title: 'Its event files hold no values yet; they appear as soon as a writer logs one.',
    };
  }
  const kinds = tags && tags.length ? unshownKinds(tags) : [];
  if (kinds.length) {
    const list = kinds.join(', ');
    return {
      text: kinds.length <= 2 ? `${list} only` : 'no data for these views',
      title: `Holds ${list} only, which no view of lensboard draws.`,
    };
  }
  const step = largestStep(run, known);
  return step === null
    ? { text: '', title: '' }
    : { text: `step ${step}`, title: `Its largest step logged is ${step}.` };
}

/**
 * The tag lists of the runs with values, for their badges: cached requests
 * the views make too. A run whose list fails is left out: its badge falls
 * back to its step, and the views say what failed.
 */
export async function loadTagLists(
  runs: readonly RunInfo[],
  signal: AbortSignal,
): Promise<Map<string, TagInfo[]>> {
  const withValues = runs.filter((run) => run.status === 'ok').map((run) => run.name);
  const lists = await settleEach(
    withValues.map((run) => api.tags(run, signal)),
    signal,
  );
  const byRun = new Map<string, TagInfo[]>();
  withValues.forEach((run, i) => {
    const list = lists[i];
    if (list.ok) byRun.set(run, list.value);
  });
  return byRun;
}
