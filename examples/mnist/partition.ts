/**
 * Which training examples each worker sees. `iid` deals a shuffled sample out
 * evenly, so every worker sees every class; `by-class` gives each worker a
 * contiguous block of the classes (two workers: 0-4 and 5-9) and only their
 * examples. Everything is seeded so that a job can be repeated exactly.
 */
import { CLASSES } from './dataset.js';

export type PartitionKind = 'iid' | 'by-class';
export const PARTITIONS: readonly PartitionKind[] = ['iid', 'by-class'];

export interface Shard {
  rank: number;
  /** Indices into the training set, in the order the worker trains on them. */
  indices: number[];
  /** The classes present in this shard, ascending. */
  classes: number[];
}

/** A small seeded generator (mulberry32): the same seed gives the same job. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The classes worker `rank` of `workers` owns under `by-class`. */
export function classesOf(rank: number, workers: number): number[] {
  const from = Math.floor((rank * CLASSES) / workers);
  const to = Math.floor(((rank + 1) * CLASSES) / workers);
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * Splits `pool` (indices into `labels`) among `workers`. Under `by-class` a
 * worker gets every pooled example of its classes; under `iid` an equal share.
 */
export function partition(
  labels: Uint8Array,
  pool: number[],
  workers: number,
  kind: PartitionKind,
  seed: number,
): Shard[] {
  if (!Number.isInteger(workers) || workers < 1 || workers > CLASSES) {
    throw new RangeError(`invalid worker count: ${workers} (want 1..${CLASSES})`);
  }
  const random = seededRandom(seed);
  const order = shuffle([...pool], random);
  return Array.from({ length: workers }, (_, rank) => {
    const indices =
      kind === 'iid'
        ? order.filter((_, i) => i % workers === rank)
        : order.filter((at) => classesOf(rank, workers).includes(labels[at]));
    return { rank, indices, classes: presentClasses(labels, indices) };
  });
}

/** Examples per class over `indices`: the `[classes]` row of `data/class_counts`. */
export function classCounts(labels: Uint8Array, indices: ArrayLike<number>): number[] {
  const counts = new Array<number>(CLASSES).fill(0);
  for (let i = 0; i < indices.length; i++) counts[labels[indices[i]]]++;
  return counts;
}

function presentClasses(labels: Uint8Array, indices: number[]): number[] {
  return classCounts(labels, indices).flatMap((n, label) => (n > 0 ? [label] : []));
}

/** The first `perClass` examples of each class in `labels`: the probe set. */
export function firstOfEachClass(labels: Uint8Array, perClass: number): number[] {
  const picked: number[][] = Array.from({ length: CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) {
    if (picked[labels[i]].length < perClass) picked[labels[i]].push(i);
  }
  return picked.flat();
}
