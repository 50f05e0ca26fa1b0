/**
 * A stable, distinct colour per run. Runs take the palette's colours in the
 * order they appeared in the logdir (their first event's wall time, then
 * their name), each the least used colour left, so no two runs share a
 * colour until there are more runs than colours, and past that each colour
 * is shared by as few runs as can be, never by two runs of one job.
 *
 * Order of appearance, not a hash of the name, is what keeps colours apart:
 * names hash alike far more often than a palette of 16 suggests. It also
 * keeps them stable: a run that appears later comes later in the order, so
 * the runs before it keep their colours, on a reload too. Within a page's
 * life, a run keeps the colour it was given even when a run that sorts
 * before it appears (a copied-in old run), because the colourer remembers.
 * The sidebar and readouts always name the run next to its colour.
 */
import { schemeDark2, schemeTableau10 } from 'd3-scale-chromatic';
import { naturalCompare } from './natural-order.js';

/**
 * Both schemes without their grey: grey is the viewer's colour for muted
 * things (raw values under a smoothed line, runs without the data), so a
 * grey run would read as one of those.
 */
const GREYS = new Set(['#bab0ac', '#666666']);
const PALETTE: readonly string[] = [...schemeTableau10, ...schemeDark2].filter(
  (color) => !GREYS.has(color),
);

/** What colouring needs of a run: its name, its job, and when its first event was written. */
export interface ColoredRun {
  name: string;
  job: string | null;
  /** Null while no event was read (not yet ordered); absent from older servers (name order). */
  firstEventTime?: number | null;
}

/** The colour of a run by name; names outside the list get their preferred slot. */
export type RunColors = (run: string) => string;

/** FNV-1a over UTF-16 code units: cheap, and spreads similar names (mean, max) apart. */
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

/** Oldest first; runs with no event read yet last; ties (and older servers) by name. */
function byAppearance(a: ColoredRun, b: ColoredRun): number {
  const time = (run: ColoredRun) =>
    run.firstEventTime ?? (run.firstEventTime === null ? Infinity : 0);
  return time(a) - time(b) || naturalCompare(a.name, b.name);
}

/**
 * Palette slots of every run, deterministic for a set of runs whatever order
 * it comes in. Runs in `kept` keep their slot unless that would share it
 * needlessly (another kept run holds it while a slot is free); the others
 * take, in order of appearance, the least used slot that no run of their
 * job holds (the first such slot on a tie).
 */
export function assignRunSlots(
  runs: readonly ColoredRun[],
  kept: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const ordered = [...runs].sort(byAppearance);
  const slots = new Map<string, number>();
  const uses = new Array<number>(PALETTE.length).fill(0);
  const byJob = new Map<string, Set<number>>();
  const take = (run: ColoredRun, slot: number) => {
    slots.set(run.name, slot);
    uses[slot]++;
    if (run.job !== null) byJob.set(run.job, (byJob.get(run.job) ?? new Set()).add(slot));
  };

  // A kept slot is taken only while it is among the least used: free, until the palette is full.
  for (const run of ordered) {
    const slot = kept.get(run.name);
    if (slot !== undefined && slot < PALETTE.length && uses[slot] === Math.min(...uses)) {
      take(run, slot);
    }
  }
  for (const run of ordered) {
    if (slots.has(run.name)) continue;
    take(run, leastUsedSlot(uses, run.job === null ? undefined : byJob.get(run.job)));
  }
  return slots;
}

/** The least used slot outside `avoid` (unless it holds every slot), the first on a tie. */
function leastUsedSlot(uses: readonly number[], avoid: ReadonlySet<number> | undefined): number {
  const skip = avoid && avoid.size < uses.length ? avoid : undefined;
  let best = -1;
  uses.forEach((count, slot) => {
    if (skip?.has(slot)) return;
    if (best < 0 || count < uses[best]) best = slot;
  });
  return best;
}

/**
 * A colourer for one page: it remembers the slot each run was given (once
 * the run has an event, so it has its place in the order), and hands every
 * view the same colours for the same run list.
 */
export function createRunColorer(): (runs: readonly ColoredRun[]) => RunColors {
  const remembered = new Map<string, number>();
  const computed = new WeakMap<readonly ColoredRun[], RunColors>();
  return (runs) => {
    let colors = computed.get(runs);
    if (!colors) {
      const slots = assignRunSlots(runs, remembered);
      for (const run of runs) {
        if (run.firstEventTime !== null) remembered.set(run.name, slots.get(run.name)!);
      }
      colors = (run) => PALETTE[slots.get(run) ?? preferredSlot(run)];
      computed.set(runs, colors);
    }
    return colors;
  };
}

/** The colours of `runs`, computed once per run list: the shell hands every view the same array. */
export const runColors = createRunColorer();

export const PALETTE_SIZE = PALETTE.length;
