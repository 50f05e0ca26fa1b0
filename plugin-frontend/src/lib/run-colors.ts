/**
 * A stable, distinct colour per run. Each run's name hashes to a preferred
 * slot of a categorical palette; runs claim slots in sorted name order, and a
 * run whose slot is taken probes forward to the next free one. So a run keeps
 * its colour across views and reloads, and runs shown together never share a
 * colour while there are no more runs than colours. Past that, a run still
 * avoids the colours of its own job, so a job's workers and global run stay
 * apart. The sidebar and readouts always name the run next to its colour.
 */
import { schemeDark2, schemeTableau10 } from 'd3-scale-chromatic';

const PALETTE: readonly string[] = [...schemeTableau10, ...schemeDark2];

/** What colouring needs of a run: its name and the distributed job it belongs to, if any. */
export interface ColoredRun {
  name: string;
  job: string | null;
}

/** The colour of a run by name; names outside the list get their preferred slot. */
export type RunColors = (run: string) => string;

/** FNV-1a over UTF-16 code units: cheap, and spreads similar names (worker-0, worker-1) apart. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function preferredSlot(name: string): number {
  return hashName(name) % PALETTE.length;
}

/** The colour a name hashes to, for series that are not runs (a channel's mean and max). */
export function seriesColor(name: string): string {
  return PALETTE[preferredSlot(name)];
}

/** Palette slots of every run: deterministic for a set of runs, whatever order it comes in. */
export function assignRunSlots(runs: readonly ColoredRun[]): Map<string, number> {
  const sorted = [...runs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const taken = new Set<number>();
  const takenByJob = new Map<string, Set<number>>();
  const slots = new Map<string, number>();
  for (const run of sorted) {
    const inJob = run.job === null ? new Set<number>() : (takenByJob.get(run.job) ?? new Set());
    const slot =
      probe(preferredSlot(run.name), (s) => !taken.has(s)) ??
      probe(preferredSlot(run.name), (s) => !inJob.has(s)) ??
      preferredSlot(run.name);
    slots.set(run.name, slot);
    taken.add(slot);
    if (run.job !== null) takenByJob.set(run.job, inJob.add(slot));
  }
  return slots;
}

/** The first slot from `start` onwards (wrapping) that is `free`, or null when none is. */
function probe(start: number, free: (slot: number) => boolean): number | null {
  for (let i = 0; i < PALETTE.length; i++) {
    const slot = (start + i) % PALETTE.length;
    if (free(slot)) return slot;
  }
  return null;
}

/** Assignments per run list: the shell hands every view the same array until the list changes. */
const assigned = new WeakMap<readonly ColoredRun[], RunColors>();

/** The colours of `runs`, computed once per run list. */
export function runColors(runs: readonly ColoredRun[]): RunColors {
  let colors = assigned.get(runs);
  if (!colors) {
    const slots = assignRunSlots(runs);
    colors = (run) => PALETTE[slots.get(run) ?? preferredSlot(run)];
    assigned.set(runs, colors);
  }
  return colors;
}

export const PALETTE_SIZE = PALETTE.length;
