/**
 * Loads every series of one kind for a set of runs: the tags of each run, then
 * each (run, tag) series, all in parallel. Tags are returned in a stable order
 * with the runs that hold them, so a view lays out one panel per tag.
 *
 * Every request fails on its own: a series that cannot be loaded (a tag too
 * long for a request URL, a run removed between the two requests) becomes a
 * failure of its (run, tag) in its panel, and a run whose tag list cannot be
 * loaded a failure of that run, while everything else is drawn.
 */
import type { Entry, Series, TagInfo, TagKind } from '../api-types.js';
import { api } from '../api.js';
import { settleEach } from '../lib/settle.js';
import { valueCounts } from '../lib/steps.js';

export type SeriesFetch<T extends Entry> = (
  run: string,
  tag: string,
  signal: AbortSignal,
) => Promise<Series<T>>;

/** A (run, tag) whose series could not be loaded, and why. */
export interface SeriesFailure {
  run: string;
  tag: string;
  error: unknown;
}

/** A run whose tag list could not be loaded, and why: none of its tags can be shown. */
export interface RunFailure {
  run: string;
  error: unknown;
}

export interface TagPanel<T extends Entry> {
  tag: string;
  info: TagInfo;
  /** One series per selected run that logged this tag and could be loaded, in run order. */
  series: Series<T>[];
  /** The runs that logged this tag but whose series could not be loaded, in run order. */
  failures: SeriesFailure[];
}

export interface LoadedPanels<T extends Entry> {
  /** Sorted by tag; a panel whose every series failed is kept, to say so in its place. */
  panels: TagPanel<T>[];
  runFailures: RunFailure[];
}

export async function loadTagPanels<T extends Entry>(
  runs: string[],
  kind: TagKind,
  fetchSeries: SeriesFetch<T>,
  signal: AbortSignal,
): Promise<LoadedPanels<T>> {
  const tagLists = await settleEach(
    runs.map((run) => api.tags(run, signal)),
    signal,
  );
  const wanted: { run: string; info: TagInfo }[] = [];
  const runFailures: RunFailure[] = [];
  runs.forEach((run, i) => {
    const tags = tagLists[i];
    if (!tags.ok) runFailures.push({ run, error: tags.error });
    else for (const info of tags.value) if (info.kind === kind) wanted.push({ run, info });
  });
  const loaded = await settleEach(
    wanted.map(({ run, info }) => fetchSeries(run, info.tag, signal)),
    signal,
  );

  const panels = new Map<string, TagPanel<T>>();
  wanted.forEach(({ run, info }, i) => {
    const panel = panels.get(info.tag) ?? { tag: info.tag, info, series: [], failures: [] };
    const result = loaded[i];
    if (result.ok) panel.series.push(result.value);
    else panel.failures.push({ run, tag: info.tag, error: result.error });
    panels.set(info.tag, panel);
  });
  const sorted = [...panels.values()].sort((a, b) => a.tag.localeCompare(b.tag));
  return { panels: sorted, runFailures };
}

/**
 * The steps a view has loaded, and the values of its largest series: logged
 * (`total`) and kept (`kept`), for the step control.
 */
export function stepsOf<T extends Entry>(
  series: readonly Series<T>[],
): { lists: number[][]; kept: number; total: number } {
  return {
    lists: series.map((one) => one.entries.map((entry) => entry.step)),
    ...valueCounts(series),
  };
}

/** Every kept entry at the step `entryAt` shows: several images or restarts at one step. */
export function entriesAt<T extends Entry>(entries: T[], step: number | null): T[] {
  const shown = entryAt(entries, step);
  return shown ? entries.filter((entry) => entry.step === shown.step) : [];
}

/**
 * The kept entry at or before `step` (the newest entry of that step), or the first
 * one after it.
 */
export function entryAt<T extends Entry>(entries: T[], step: number | null): T | undefined {
  if (entries.length === 0) return undefined;
  if (step === null) return entries[entries.length - 1];
  let best: T | undefined;
  for (const entry of entries) {
    if (entry.step <= step && (best === undefined || entry.step >= best.step)) best = entry;
  }
  return best ?? entries.reduce((first, entry) => (entry.step < first.step ? entry : first));
}
