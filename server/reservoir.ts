/**
 * A bounded, deterministic sample of one (run, tag) series, in the manner of
 * TensorBoard's reservoir: every value is offered; once the reservoir is full
 * a newcomer replaces a random kept item with probability capacity / seen,
 * and otherwise replaces the newest kept item, so the newest value is always
 * present. lensboard also never evicts the first item, so a chart always
 * spans the whole run. The random source is seeded, so the same input keeps
 * the same items on every load.
 */
import type { TagKind } from './model.js';

/** Items kept per (run, tag) by kind, as in TensorBoard's server defaults. */
export const DEFAULT_CAPACITY: Record<TagKind, number> = {
  scalars: 1000,
  images: 10,
  histograms: 500,
  tensors: 100,
  text: 100,
  other: 100,
};

export class Reservoir<T extends { step: number }> {
  /** Kept items in the order they were offered; items[0] is the first ever offered. */
  private kept: T[] = [];
  /** Values offered since creation, less an estimate of those purged; >= kept.length. */
  private seen = 0;
  private readonly random: () => number;

  /** `capacity` Infinity keeps everything; `seed` fixes which items are kept. */
  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`invalid reservoir capacity: ${capacity}`);
    this.random = mulberry32(seed);
  }

  get total(): number {
    return this.seen;
  }

  get items(): readonly T[] {
    return this.kept;
  }

  offer(item: T): void {
    this.seen += 1;
    if (this.kept.length < this.capacity) {
      this.kept.push(item);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity - 1) {
      // Evicts one of kept[1..], never the first item.
      // TODO(load-speed): splice is O(capacity); with 1000 scalars per tag it
      // dominates long loads. A ring of slots plus a sort on read would not.
      this.kept.splice(slot + 1, 1);
      this.kept.push(item);
    } else {
      this.kept[this.kept.length - 1] = item;
    }
  }

  /**
   * Drops the kept items `drop` matches and returns how many. Dropped values
   * that were not kept cannot be counted, so `total` shrinks in proportion,
   * as TensorBoard estimates it.
   */
  remove(drop: (item: T) => boolean): number {
    const before = this.kept.length;
    if (before === 0) return 0;
    this.kept = this.kept.filter((item) => !drop(item));
    const removed = before - this.kept.length;
    if (removed > 0) {
      const estimate = Math.ceil(this.seen * (1 - removed / before));
      this.seen = Math.max(this.kept.length, estimate);
    }
    return removed;
  }
}

/** A small, fast, seeded PRNG: enough for sampling, not for secrets. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: a stable per-tag seed, whatever order tags are loaded in. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
