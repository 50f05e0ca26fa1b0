/**
 * A bounded, deterministic sample of one (run, tag) series, in the manner of
 * TensorBoard's reservoir: every value is offered; once the reservoir is full
 * a newcomer replaces a random kept item with probability capacity / seen,
 * and otherwise replaces the newest kept item, so the newest value is always
 * present. lensboard also never evicts the first item, so a chart always
 * spans the whole run. The random source is seeded, so the same input keeps
 * the same items on every load.
 *
 * Items live in numbered slots and a replacement overwrites one slot in
 * place, so an offer costs O(1) whatever the capacity; offer order is kept as
 * a sequence number per slot and restored by sorting when the kept items are
 * read. `ReservoirSlots` makes the choices and stores nothing, so a store of
 * typed columns (scalars) and a store of objects (`Reservoir`) share them.
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

/** Slots below this many are allocated up front; beyond it they double as needed. */
const INITIAL_SLOTS = 16;

export class ReservoirSlots {
  /** Slots in use are 0..size-1; slot 0 holds the first kept item, always. */
  private used = 0;
  /** Values offered since creation, less those removed (exact or estimated); >= size. */
  private seen = 0;
  /** Offer sequence number of the item in each slot; increasing in offer order. */
  private sequence = new Float64Array(INITIAL_SLOTS);
  private nextSequence = 0;
  /** Slot of the newest kept item, or -1 when empty. */
  private newestSlot = -1;
  /** True once a replacement broke "slot order is offer order". */
  private shuffled = false;
  private orderCache: Int32Array | null = null;
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

  get size(): number {
    return this.used;
  }

  /** Slot of the newest kept item; -1 when empty. */
  get newest(): number {
    return this.newestSlot;
  }

  /**
   * Counts one offered value and returns the slot it goes in: a free slot
   * (the caller's store grows to `size`), the newest item's slot, or a
   * random slot other than the first. The caller overwrites that slot.
   */
  offer(): number {
    this.seen += 1;
    this.orderCache = null;
    const slot = this.used < this.capacity ? this.used++ : this.replacedSlot();
    if (slot >= this.sequence.length) {
      this.sequence = grown(this.sequence, slot + 1, this.capacity);
    }
    this.sequence[slot] = this.nextSequence++;
    this.newestSlot = slot;
    return slot;
  }

  private replacedSlot(): number {
    const draw = Math.floor(this.random() * this.seen);
    if (draw >= this.capacity - 1) return this.newestSlot;
    // Evicts one of the items in slots 1.., never the first.
    if (draw + 1 !== this.newestSlot) this.shuffled = true;
    return draw + 1;
  }

  /** The used slots in offer order; valid until the next offer or remove. */
  ordered(): Int32Array {
    if (this.orderCache) return this.orderCache;
    const order = new Int32Array(this.used);
    for (let slot = 0; slot < this.used; slot++) order[slot] = slot;
    if (this.shuffled) order.sort((a, b) => this.sequence[a] - this.sequence[b]);
    this.orderCache = order;
    return order;
  }

  /**
   * Drops the slots `drop` matches and returns the slots kept, in offer
   * order: the caller's store must move slot `kept[i]` to slot i, which is
   * where every later choice assumes it is. `seenRemoved` is how many offered
   * values the dropped ones stand for, kept or not, when the caller counted
   * them; without it, values that were not kept cannot be counted, so `total`
   * shrinks in proportion, as TensorBoard estimates it.
   */
  remove(drop: (slot: number) => boolean, seenRemoved?: number): Int32Array {
    const before = this.used;
    const kept = this.ordered().filter((slot) => !drop(slot));
    const removed = before - kept.length;
    // Counted values leave `seen` even when the sample kept none of them.
    if (seenRemoved !== undefined) this.seen = Math.max(kept.length, this.seen - seenRemoved);
    if (removed === 0) return kept;
    if (seenRemoved === undefined) {
      this.seen = Math.max(kept.length, Math.ceil(this.seen * (1 - removed / before)));
    }
    this.used = kept.length;
    for (let slot = 0; slot < kept.length; slot++) this.sequence[slot] = slot;
    this.nextSequence = kept.length;
    this.newestSlot = kept.length - 1;
    this.shuffled = false;
    this.orderCache = null;
    return kept;
  }
}

/**
 * `array` copied into a longer one that holds at least `size` items: four
 * times as long, but never beyond `limit` (a reservoir's capacity), so a
 * series of 1000 points grows three times and wastes no slots.
 */
export function grown<T extends Float64Array | Float32Array | Int32Array>(
  array: T,
  size: number,
  limit = Infinity,
): T {
  let length = Math.max(array.length, 1);
  while (length < size) length *= 4;
  const bigger = new (array.constructor as new (length: number) => T)(Math.min(length, limit));
  bigger.set(array as never);
  return bigger;
}

/** A reservoir of objects: the slots' choices over an array store. */
export class Reservoir<T> {
  private readonly slots: ReservoirSlots;
  private store: T[] = [];
  private itemsCache: T[] | null = null;

  constructor(capacity: number, seed: number) {
    this.slots = new ReservoirSlots(capacity, seed);
  }

  get total(): number {
    return this.slots.total;
  }

  get size(): number {
    return this.slots.size;
  }

  /** The newest kept item, or undefined when empty. */
  get newest(): T | undefined {
    return this.store[this.slots.newest];
  }

  /** Kept items in the order they were offered; items[0] is the first kept. */
  get items(): readonly T[] {
    this.itemsCache ??= Array.from(this.slots.ordered(), (slot) => this.store[slot]);
    return this.itemsCache;
  }

  offer(item: T): void {
    this.store[this.slots.offer()] = item;
    this.itemsCache = null;
  }

  /** Drops the kept items `drop` matches and returns how many (see `ReservoirSlots.remove`). */
  remove(drop: (item: T) => boolean, seenRemoved?: number): number {
    const before = this.slots.size;
    const kept = this.slots.remove((slot) => drop(this.store[slot]), seenRemoved);
    if (kept.length === before) return 0;
    this.store = Array.from(kept, (slot) => this.store[slot]);
    this.itemsCache = null;
    return before - kept.length;
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
