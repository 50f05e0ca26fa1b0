// Which run the Activations and Weights views draw: one with data, never a dead end.
import { describe, expect, it } from 'vitest';
import type { JobInfo, RunInfo } from '../plugin-frontend/src/api-types.js';
import { chooseRun } from '../plugin-frontend/src/lensboard/job-runs.js';

function jobOf(name: string, workers: number, wallTime: number) {
  const job: JobInfo = {
    name,
    workers: Array.from({ length: workers }, (_, rank) => `${name}/worker-${rank}`),
    global: `${name}/global`,
  };
  const runs: RunInfo[] = [job.global!, ...job.workers].map((run) => ({
    name: run,
    job: name,
    worker: null,
    status: 'ok',
    fileCount: 1,
    lastStep: 10,
    lastWallTime: wallTime,
    warnings: [],
  }));
  return { job, runs };
}

const OLD = jobOf('old', 2, 1000);
const NEW = jobOf('new', 2, 2000);
const RUNS = [...OLD.runs, ...NEW.runs];
const JOBS = [OLD.job, NEW.job];
const ALL = RUNS.map((run) => run.name);
const NO_WORKER = { worker: null };

describe('chooseRun', () => {
  it('draws the first worker when global has no activations yet, and names global', () => {
    const hasData = new Set(['old/worker-0', 'old/worker-1']);
    const choice = chooseRun(NO_WORKER, OLD.runs, [OLD.job], ALL.slice(0, 3), hasData);
    expect(choice.run).toBe('old/worker-0');
    expect(choice.job?.name).toBe('old');
    expect(choice.lacking).toEqual(['old/global']);
  });

  it("keeps the state's worker when it has data, and skips it when it has none", () => {
    const hasData = new Set(['old/worker-0', 'old/worker-1', 'new/worker-1']);
    expect(chooseRun({ worker: 'old/worker-1' }, RUNS, JOBS, ALL, hasData).run).toBe(
      'old/worker-1',
    );
    expect(chooseRun({ worker: 'new/global' }, RUNS, JOBS, ALL, hasData).run).toBe('new/worker-1');
  });

  it('defaults to the newest job with data and offers every job with data, newest first', () => {
    const hasData = new Set(ALL);
    const choice = chooseRun(NO_WORKER, RUNS, JOBS, ALL, hasData);
    expect(choice.run).toBe('new/worker-0');
    expect(choice.jobs.map((job) => job.name)).toEqual(['new', 'old']);
  });

  it('passes over a newer job that has no data', () => {
    const hasData = new Set(['old/global']);
    const choice = chooseRun(NO_WORKER, RUNS, JOBS, ALL, hasData);
    expect(choice.run).toBe('old/global');
    expect(choice.jobs.map((job) => job.name)).toEqual(['old']);
  });

  it('chooses only among the selected runs, and nothing when none of them has data', () => {
    const hasData = new Set(['old/worker-0']);
    expect(chooseRun(NO_WORKER, RUNS, JOBS, ['new/worker-0'], hasData)).toMatchObject({
      run: null,
      lacking: ['new/worker-0'],
    });
  });

  it('draws a plain run that is not part of any job', () => {
    const plain: RunInfo = { ...OLD.runs[0], name: 'mnist', job: null };
    const choice = chooseRun(NO_WORKER, [plain], [], ['mnist'], new Set(['mnist']));
    expect(choice).toMatchObject({ run: 'mnist', job: null, lacking: [] });
  });
});
