// Run colours: stable per run, distinct among the runs shown, never shared within a job.
import { describe, expect, it } from 'vitest';
import {
  PALETTE_SIZE,
  assignRunSlots,
  runColors,
  type ColoredRun,
} from '../plugin-frontend/src/lib/run-colors.js';

function job(name: string, workers: number): ColoredRun[] {
  return [
    { name: `${name}/global`, job: name },
    ...Array.from({ length: workers }, (_, rank) => ({
      name: `${name}/worker-${rank}`,
      job: name,
    })),
  ];
}

const MNIST_JOB = '20261203-192934-cnn-experts';

describe('run colours', () => {
  it("gives a job's global run and workers different colours (they hash alike in the demo)", () => {
    const colors = runColors(job(MNIST_JOB, 2));
    const shown = job(MNIST_JOB, 2).map((run) => colors(run.name));
    expect(new Set(shown).size).toBe(3);
  });

  it('gives every run its own colour while there are no more runs than colours', () => {
    const runs = [...job('a', 7), ...job('b', 7), { name: 'plain', job: null }];
    expect(runs.length).toBeLessThanOrEqual(PALETTE_SIZE);
    const slots = [...assignRunSlots(runs).values()];
    expect(new Set(slots).size).toBe(runs.length);
  });

  it('assigns the same colours whatever order the runs are listed in', () => {
    const runs = [...job('x', 3), ...job('y', 3)];
    const forward = assignRunSlots(runs);
    const backward = assignRunSlots([...runs].reverse());
    expect([...backward].sort()).toEqual([...forward].sort());
  });

  it('keeps the colour of a run that did not collide when other runs come and go', () => {
    const alone = assignRunSlots([{ name: 'alpha', job: null }]).get('alpha');
    const withOthers = assignRunSlots([
      { name: 'alpha', job: null },
      { name: 'zeta', job: null },
    ]).get('alpha');
    expect(withOthers).toBe(alone);
  });

  it("still keeps a job's runs apart when the logdir has more runs than colours", () => {
    const crowd = Array.from({ length: PALETTE_SIZE }, (_, i) => ({
      name: `a-run-${i}`,
      job: null,
    }));
    const runs = [...crowd, ...job('z-job', 3)];
    const slots = assignRunSlots(runs);
    const jobSlots = job('z-job', 3).map((run) => slots.get(run.name));
    expect(new Set(jobSlots).size).toBe(4);
  });
});
