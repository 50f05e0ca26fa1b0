// Runs and jobs are listed in the order a person counts them, numbers inside names by value.
import { describe, expect, it } from 'vitest';
import type { RunInfo, RunsAnswer } from '../plugin-frontend/src/api-types.js';
import { naturalCompare, naturalRuns } from '../plugin-frontend/src/lib/natural-order.js';

function run(name: string): RunInfo {
  return {
    name,
    job: null,
    worker: null,
    status: 'ok',
    fileCount: 1,
    lastStep: 0,
    lastWallTime: 0,
    warnings: [],
  };
}

describe('natural order of runs', () => {
  it('puts version_2 before version_10 and version_10 after version_9', () => {
    const names = ['version_10', 'version_1', 'version_9', 'version_2', 'version_0'];
    expect([...names].sort(naturalCompare)).toEqual([
      'version_0',
      'version_1',
      'version_2',
      'version_9',
      'version_10',
    ]);
  });

  it('orders names that differ only in case or padding the same way every time', () => {
    expect(naturalCompare('Run', 'run')).not.toBe(0);
    expect(naturalCompare('run', 'Run')).toBe(-naturalCompare('Run', 'run'));
    expect(naturalCompare('a/worker-2', 'a/worker-10')).toBeLessThan(0);
  });

  it('sorts the runs and jobs of a run list, keeping each job its workers by rank', () => {
    const answer: RunsAnswer = {
      loading: false,
      runs: ['lightning_logs/version_10', 'lightning_logs/version_2'].map(run),
      jobs: [
        { name: 'job-10', workers: ['job-10/worker-1', 'job-10/worker-0'], global: null },
        { name: 'job-9', workers: [], global: 'job-9/global' },
      ],
      warnings: [],
    };
    const sorted = naturalRuns(answer);
    expect(sorted.runs.map((r) => r.name)).toEqual([
      'lightning_logs/version_2',
      'lightning_logs/version_10',
    ]);
    expect(sorted.jobs.map((j) => j.name)).toEqual(['job-9', 'job-10']);
    expect(sorted.jobs[1].workers).toEqual(['job-10/worker-1', 'job-10/worker-0']);
  });
});
