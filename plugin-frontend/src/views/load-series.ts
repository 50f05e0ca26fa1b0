/**
 * Loads every series of one kind for a set of runs: the tags of each run, then
 * each (run, tag) series, all in parallel. Tags are returned in a stable order
 * with the runs that hold them, so a view lays out one panel per tag.
 */
import type { Entry, Series, TagInfo, TagKind } from '../api-types.js';
import { api } from '../api.js';
import { valueCounts } from '../lib/steps.js';

export type SeriesFetch<T extends Entry> = (
  run: string,
  tag: string,
  signal: AbortSignal,
) => Promise<Series<T>>;

export interface TagPanel<T extends Entry> {
  tag: string;
  info: TagInfo;
  /** One series per selected run that logged this tag, in run order. */
  series: Series<T>[];
}

export async function loadTagPanels<T extends Entry>(
  runs: string[],
  kind: TagKind,
  fetchSeries: SeriesFetch<T>,
  signal: AbortSignal,
): Promise<TagPanel<T>[]> {
  const tagLists = await Promise.all(runs.map((run) => api.tags(run, signal)));
  const wanted: { run: string; info: TagInfo }[] = [];
  runs.forEach((run, i) => {
    for (const info of tagLists[i]) if (info.kind === kind) wanted.push({ run, info });
  });
  const loaded = await Promise.all(
    wanted.map(({ run, info }) => fetchSeries(run, info.tag, signal)),
  );

  const panels = new Map<string, TagPanel<T>>();
  wanted.forEach(({ info }, i) => {
    const panel = panels.get(info.tag) ?? { tag: info.tag, info, series: [] };
    panel.series.push(loaded[i]);
    panels.set(info.tag, panel);
  });
  return [...panels.values()].sort((a, b) => a.tag.localeCompare(b.tag));
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
