// Run colours: stable per run, distinct until the palette runs out, never shared within a job.
import { describe, expect, it } from 'vitest';
import {
  PALETTE_SIZE,
  assignRunSlots,
  createRunColorer,
  type ColoredRun,
} from '../plugin-frontend/src/lib/run-colors.js';

function job(name: string, workers: number, firstEventTime?: number): ColoredRun[] {
  return [
    { name: `${name}/global`, job: name, firstEventTime },
    ...Array.from({ length: workers }, (_, rank) => ({
      name: `${name}/worker-${rank}`,
      job: name,
      firstEventTime,
    })),
  ];
}

function plain(name: string, firstEventTime?: number | null): ColoredRun {
  return { name, job: null, firstEventTime };
}

const MNIST_JOB = '20261203-192934-cnn-experts';

/** How many runs share each colour that is used. */
function shares(slots: Map<string, number>): number[] {
  const counts = new Map<number, number>();
  for (const slot of slots.values()) counts.set(slot, (counts.get(slot) ?? 0) + 1);
  return [...counts.values()];
}

describe('run colours', () => {
  it('gives runs whose names hash alike their own colours (odd/-dash, odd/pct%20x, odd/q?x=1)', () => {
    const runs = [
      ...['odd/-dash', 'odd/pct%20x', 'odd/q?x=1'].map((name) => plain(name)),
      ...job('20261204-031511-cnn-experts', 2),
      ...job('20261204-031549-linear-fedavg', 2),
    ];
    const colors = createRunColorer()(runs);
    expect(new Set(runs.map((run) => colors(run.name))).size).toBe(runs.length);
  });

  it('gives every run its own colour while there are no more runs than colours', () => {
    const runs = Array.from({ length: PALETTE_SIZE }, (_, i) => plain(`run-${i}`, 1000 + i));
    expect(new Set(assignRunSlots(runs).values()).size).toBe(PALETTE_SIZE);
  });

  it('shares colours as evenly as it can past the palette, each by at most two of 2x runs', () => {
    const runs = Array.from({ length: 2 * PALETTE_SIZE }, (_, i) => plain(`run-${i}`, i));
    expect(shares(assignRunSlots(runs))).toEqual(new Array(PALETTE_SIZE).fill(2));
  });

  it('assigns the same colours whatever order the runs are listed in', () => {
    const runs = [...job('x', 3, 5), ...job('y', 3, 7), plain('z', 6)];
    const forward = assignRunSlots(runs);
    const backward = assignRunSlots([...runs].reverse());
    expect([...backward].sort()).toEqual([...forward].sort());
  });

  it('gives the runs of a logdir the first colours in the order they appeared', () => {
    const slots = assignRunSlots([plain('b', 20), plain('a', 30), plain('c', 10)]);
    expect([slots.get('c'), slots.get('b'), slots.get('a')]).toEqual([0, 1, 2]);
  });

  it('keeps every colour when a newer run appears, on a reload too', () => {
    const before = [plain('zeta', 10), plain('mid', 20)];
    const after = [...before, plain('alpha', 30)];
    const colorer = createRunColorer();
    const first = colorer(before);
    const second = colorer(after);
    const reloaded = createRunColorer()(after);
    for (const run of before) expect(second(run.name)).toBe(first(run.name));
    for (const run of after) expect(reloaded(run.name)).toBe(second(run.name));
    expect(new Set(after.map((run) => second(run.name))).size).toBe(3);
  });

  it('keeps a colour on the page even when a run that sorts before it appears', () => {
    const colorer = createRunColorer();
    const shown = colorer([plain('b', 10)])('b');
    const later = colorer([plain('a', 5), plain('b', 10)]);
    expect(later('b')).toBe(shown);
    expect(later('a')).not.toBe(shown);
  });

  it('orders runs with no event read yet after every run that has one', () => {
    const slots = assignRunSlots([plain('aaa', null), plain('zzz', 10)]);
    expect([slots.get('zzz'), slots.get('aaa')]).toEqual([0, 1]);
  });

  it("gives a job's global run and workers different colours", () => {
    const runs = job(MNIST_JOB, 2);
    const colors = createRunColorer()(runs);
    expect(new Set(runs.map((run) => colors(run.name))).size).toBe(3);
  });

  it("still keeps a job's runs apart when the logdir has more runs than colours", () => {
    const crowd = Array.from({ length: PALETTE_SIZE + 1 }, (_, i) => plain(`a-run-${i}`, i));
    const runs = [...crowd, ...job('z-job', 3, 100)];
    const slots = assignRunSlots(runs);
    const jobSlots = job('z-job', 3).map((run) => slots.get(run.name));
    expect(new Set(jobSlots).size).toBe(4);
  });
});
