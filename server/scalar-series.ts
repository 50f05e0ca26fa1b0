/**
 * The kept points of one scalar (run, tag), sampled by a reservoir and stored
 * in typed columns, one entry per slot: a scalar logdir keeps about a million
 * points, and one object per point would make the garbage collector the
 * bottleneck of loading. `ScalarPoint` objects are built only when a route
 * asks for the series.
 *
 * Values are stored as float32 (what TensorFlow logs) until one arrives that
 * float32 cannot hold exactly (a DT_DOUBLE scalar); the column then widens to
 * float64 for good, so no value is ever rounded.
 */
import type { ScalarPoint } from './model.js';
import { grown, ReservoirSlots } from './reservoir.js';

const INITIAL_SLOTS = 16;

export class ScalarSeries {
  private readonly slots: ReservoirSlots;
  private steps = new Float64Array(INITIAL_SLOTS);
  private wallTimes = new Float64Array(INITIAL_SLOTS);
  private values: Float32Array | Float64Array = new Float32Array(INITIAL_SLOTS);
  /** True once `values` is a Float64Array. */
  private wide = false;
  private segments = new Int32Array(INITIAL_SLOTS);
  /** Id of the event file each point came from, for purges and removed files. */
  private files = new Int32Array(INITIAL_SLOTS);

  constructor(capacity: number, seed: number) {
    this.slots = new ReservoirSlots(capacity, seed);
  }

  /** Values offered less those removed (see `ReservoirSlots.remove`), and points kept. */
  get total(): number {
    return this.slots.total;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Step of the first kept point (always slot 0), or undefined when empty. */
  get firstStep(): number | undefined {
    return this.slots.size > 0 ? this.steps[0] : undefined;
  }

  get lastStep(): number | undefined {
    return this.slots.size > 0 ? this.steps[this.slots.newest] : undefined;
  }

  offer(step: number, wallTime: number, value: number, segment: number, file: number): void {
    const slot = this.slots.offer();
    if (slot >= this.steps.length) this.grow(slot + 1);
    if (!this.wide && Math.fround(value) !== value && value === value) {
      this.values = Float64Array.from(this.values);
      this.wide = true;
    }
    this.steps[slot] = step;
    this.wallTimes[slot] = wallTime;
    this.values[slot] = value;
    this.segments[slot] = segment;
    this.files[slot] = file;
  }

  private grow(size: number): void {
    const limit = this.slots.capacity;
    this.steps = grown(this.steps, size, limit);
    this.wallTimes = grown(this.wallTimes, size, limit);
    this.values = grown(this.values, size, limit);
    this.segments = grown(this.segments, size, limit);
    this.files = grown(this.files, size, limit);
  }

  /** The kept points in offer order, as new objects. */
  points(): ScalarPoint[] {
    return Array.from(this.slots.ordered(), (slot) => ({
      step: this.steps[slot],
      wallTime: this.wallTimes[slot],
      segment: this.segments[slot],
      value: this.values[slot],
    }));
  }

  /**
   * Drops the points of event file `file` at steps >= `fromStep`; returns how
   * many. `seenRemoved` is how many values offered they stand for, kept or not.
   */
  removeFrom(file: number, fromStep: number, seenRemoved?: number): number {
    const drop = (slot: number) => this.files[slot] === file && this.steps[slot] >= fromStep;
    return this.remove(drop, seenRemoved);
  }

  /** Drops every point of event file `file`; returns how many (`seenRemoved` as above). */
  removeFile(file: number, seenRemoved?: number): number {
    return this.remove((slot) => this.files[slot] === file, seenRemoved);
  }

  /** Kept points of event file `file`, and how many of them are at steps >= `fromStep`. */
  keptOf(file: number, fromStep: number): [ofFile: number, fromStepOn: number] {
    let ofFile = 0;
    let fromStepOn = 0;
    for (let slot = 0; slot < this.slots.size; slot++) {
      if (this.files[slot] !== file) continue;
      ofFile += 1;
      if (this.steps[slot] >= fromStep) fromStepOn += 1;
    }
    return [ofFile, fromStepOn];
  }

  private remove(drop: (slot: number) => boolean, seenRemoved?: number): number {
    const before = this.slots.size;
    const kept = this.slots.remove(drop, seenRemoved);
    if (kept.length === before) return 0;
    // Moves slot kept[i] to slot i; kept is increasing in offer order, not slot.
    for (const column of [this.steps, this.wallTimes, this.values, this.segments, this.files]) {
      column.set(Array.from(kept, (slot) => column[slot]));
    }
    return before - kept.length;
  }
}
