import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPACITY, Reservoir, ReservoirSlots, seedOf } from '../server/reservoir.js';

function fill(capacity: number, count: number, seed = 1): Reservoir<{ step: number }> {
  const reservoir = new Reservoir<{ step: number }>(capacity, seed);
  for (let step = 0; step < count; step++) reservoir.offer({ step });
  return reservoir;
}

const steps = (reservoir: Reservoir<{ step: number }>) => reservoir.items.map((i) => i.step);

describe('Reservoir', () => {
  it('keeps everything while under capacity, in offer order', () => {
    expect(steps(fill(10, 7))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('holds at most its capacity and counts every value offered in total', () => {
    const reservoir = fill(10, 100);
    expect(reservoir.items).toHaveLength(10);
    expect(reservoir.total).toBe(100);
  });

  it('always keeps the first and the newest value', () => {
    for (const count of [11, 50, 1000, 5001]) {
      const kept = steps(fill(10, count, count));
      expect(kept[0]).toBe(0);
      expect(kept[kept.length - 1]).toBe(count - 1);
    }
  });

  it('keeps items in offer order', () => {
    const kept = steps(fill(20, 10_000));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it('keeps the same items for the same seed and input', () => {
    expect(steps(fill(10, 500, 42))).toEqual(steps(fill(10, 500, 42)));
    expect(steps(fill(10, 500, 42))).not.toEqual(steps(fill(10, 500, 43)));
  });

  it('samples across the whole series, not only its end', () => {
    const kept = steps(fill(100, 10_000));
    const inFirstHalf = kept.filter((step) => step < 5000).length;
    expect(inFirstHalf).toBeGreaterThan(25);
    expect(inFirstHalf).toBeLessThan(75);
  });

  it('keeps everything with capacity Infinity', () => {
    expect(fill(Infinity, 5000).items).toHaveLength(5000);
  });

  it('removes matching items and shrinks total in proportion', () => {
    const all = fill(Infinity, 10);
    expect(all.remove((item) => item.step >= 6)).toBe(4);
    expect(all.total).toBe(6);

    const sampled = fill(10, 100);
    const removed = sampled.remove((item) => item.step >= 50);
    expect(sampled.items.every((item) => item.step < 50)).toBe(true);
    expect(sampled.total).toBe(Math.ceil(100 * (1 - removed / 10)));
  });

  it('takes a counted number of removed values out of total, even when it kept none of them', () => {
    const sampled = fill(10, 100);
    const removed = sampled.remove((item) => item.step >= 50, 50);
    expect(sampled.total).toBe(50);
    expect(sampled.items).toHaveLength(10 - removed);

    const untouched = fill(10, 100);
    expect(untouched.remove(() => false, 30)).toBe(0);
    expect(untouched.total).toBe(70);
    expect(untouched.items).toHaveLength(10);
  });

  it('rejects a capacity below one', () => {
    expect(() => new Reservoir(0, 1)).toThrow('invalid reservoir capacity: 0');
    expect(() => new Reservoir(NaN, 1)).toThrow('invalid reservoir capacity: NaN');
  });

  it('defaults to TensorBoard capacities by kind', () => {
    expect(DEFAULT_CAPACITY).toMatchObject({ scalars: 1000, images: 10, histograms: 500 });
    expect(DEFAULT_CAPACITY).toMatchObject({ tensors: 100, text: 100 });
  });

  it('derives a stable seed from a tag', () => {
    expect(seedOf('loss')).toBe(seedOf('loss'));
    expect(seedOf('loss')).not.toBe(seedOf('acc'));
  });
});

describe('ReservoirSlots', () => {
  function offerAll(slots: ReservoirSlots, count: number): number[] {
    const stepOfSlot: number[] = [];
    for (let step = 0; step < count; step++) stepOfSlot[slots.offer()] = step;
    return stepOfSlot;
  }

  it('fills slots 0..capacity-1 in order, then replaces in place without growing', () => {
    const slots = new ReservoirSlots(8, 3);
    const chosen = Array.from({ length: 100 }, () => slots.offer());
    expect(chosen.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(chosen.slice(8).every((slot) => slot >= 0 && slot < 8)).toBe(true);
    expect(slots.size).toBe(8);
    expect(slots.total).toBe(100);
  });

  it('never hands out slot 0 once full, so the first value stays', () => {
    const slots = new ReservoirSlots(5, 9);
    offerAll(slots, 5);
    for (let i = 0; i < 10_000; i++) expect(slots.offer()).not.toBe(0);
  });

  it('lists slots in offer order, newest last, after many replacements', () => {
    const slots = new ReservoirSlots(50, 11);
    const stepOfSlot = offerAll(slots, 20_000);
    const steps = Array.from(slots.ordered(), (slot) => stepOfSlot[slot]);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(19_999);
    expect(stepOfSlot[slots.newest]).toBe(19_999);
  });

  it('keeps what the object reservoir keeps for the same seed', () => {
    const slots = new ReservoirSlots(10, 42);
    const stepOfSlot = offerAll(slots, 500);
    const viaSlots = Array.from(slots.ordered(), (slot) => stepOfSlot[slot]);
    expect(viaSlots).toEqual(steps(fill(10, 500, 42)));
  });

  it('returns the kept slots in offer order on remove and starts them again from slot 0', () => {
    const slots = new ReservoirSlots(10, 5);
    const stepOfSlot = offerAll(slots, 200);
    const kept = slots.remove((slot) => stepOfSlot[slot] % 2 === 1);
    const keptSteps = Array.from(kept, (slot) => stepOfSlot[slot]);
    expect(keptSteps.every((step) => step % 2 === 0)).toBe(true);
    expect(keptSteps).toEqual([...keptSteps].sort((a, b) => a - b));
    expect(Array.from(slots.ordered())).toEqual(keptSteps.map((_, i) => i));
    expect(slots.size).toBe(kept.length);
    expect(slots.newest).toBe(kept.length - 1);
    expect(slots.offer()).toBe(kept.length);
  });
});
