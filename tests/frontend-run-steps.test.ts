// The sidebar's step per run: the largest step known, not the step of the event read last.
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../plugin-frontend/src/api-types.js';
import { changeSteps, largestStep, noteSteps } from '../plugin-frontend/src/lib/run-steps.js';

function run(name: string, lastStep: number | null): RunInfo {
  const base = { job: null, worker: null, status: 'ok' as const, fileCount: 1 };
  return { ...base, name, lastStep, lastWallTime: null, warnings: [] };
}

describe('largest known step per run', () => {
  it('shows the step a view loaded when the last event read was text at step 0', () => {
    const known = noteSteps(new Map(), [['job/global', 159]]);
    expect(largestStep(run('job/global', 0), known)).toBe(159);
  });

  it("keeps the server's step when it is the larger one, and null before any value", () => {
    const known = noteSteps(new Map(), [['a', 5]]);
    expect(largestStep(run('a', 9), known)).toBe(9);
    expect(largestStep(run('b', null), known)).toBeNull();
  });

  it('only grows: a later report of a smaller step hides nothing seen before', () => {
    const once = noteSteps(new Map(), [['a', 50]]);
    const again = noteSteps(once, [
      ['a', 10],
      ['a', Number.NaN],
    ]);
    expect(again).toBe(once);
    expect(noteSteps(once, [['a', 60]]).get('a')).toBe(60);
  });

  it('takes steps from live changes that carry one', () => {
    const steps = changeSteps([{ run: 'a', tag: 'loss', lastStep: 7 }, { run: 'b' }]);
    expect(steps).toEqual([['a', 7]]);
  });
});
