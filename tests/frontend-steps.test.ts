// The global step control's logic: what is on screen, where the arrow keys go, what it says.
import { describe, expect, it } from 'vitest';
import {
  effectiveStep,
  loadedLabel,
  mergeSteps,
  parseStep,
  shownStep,
  stepBy,
  valueCounts,
} from '../plugin-frontend/src/lib/steps.js';
import { newestStep, selectedRunNames, toggleRuns } from '../plugin-frontend/src/lib/selection.js';
import type { RunInfo } from '../plugin-frontend/src/api-types.js';

const loaded = [0, 10, 20, 50, 90];

describe('step control', () => {
  it('follows the newest step until a step is pinned', () => {
    expect(effectiveStep(null, 90)).toBe(90);
    expect(effectiveStep(20, 90)).toBe(20);
    expect(effectiveStep(0, 90)).toBe(0);
  });

  it('shows the loaded step at or before the requested one', () => {
    expect(shownStep(loaded, 20)).toBe(20);
    expect(shownStep(loaded, 49)).toBe(20);
    expect(shownStep(loaded, 1000)).toBe(90);
    expect(shownStep(loaded, null)).toBe(90);
  });

  it('shows the first loaded step when every loaded step is after the requested one', () => {
    expect(shownStep(loaded, -3)).toBe(0);
    expect(shownStep([5, 6], 1)).toBe(5);
  });

  it('shows nothing when no step is loaded', () => {
    expect(shownStep([], 10)).toBeNull();
    expect(stepBy([], 10, 1)).toBeNull();
  });

  it('moves one loaded sample per arrow key and stops at both ends', () => {
    expect(stepBy(loaded, 20, 1)).toBe(50);
    expect(stepBy(loaded, 49, 1)).toBe(50);
    expect(stepBy(loaded, 20, -1)).toBe(10);
    expect(stepBy(loaded, 0, -1)).toBe(0);
    expect(stepBy(loaded, 90, 1)).toBe(90);
  });

  it('says how many distinct steps are loaded, and how many values when sampled', () => {
    expect(loadedLabel(10, 10, 100)).toBe('10 steps loaded (10 of 100 values kept)');
    expect(loadedLabel(100, 100, 100)).toBe('all 100 steps loaded');
    expect(loadedLabel(1, 1, 1)).toBe('all 1 step loaded');
  });

  it('counts a step logged twice (two files, a restart) once, and says so in values', () => {
    expect(loadedLabel(100, 200, 200)).toBe('all 100 steps loaded (200 values)');
    expect(loadedLabel(1, 4, 4)).toBe('all 1 step loaded (4 values)');
  });

  it('takes the values of the series that logged the most', () => {
    const series = (total: number, kept: number) => ({
      run: 'r',
      tag: 't',
      total,
      entries: Array.from({ length: kept }, (_, step) => ({ step, wallTime: 0, segment: 0 })),
    });
    expect(valueCounts([series(10, 10), series(200, 50), series(200, 20)])).toEqual({
      kept: 50,
      total: 200,
    });
    expect(valueCounts([])).toEqual({ kept: 0, total: 0 });
  });

  it('merges the steps of several series into one sorted list without repeats', () => {
    expect(mergeSteps([[0, 10, 20], [5, 10], []])).toEqual([0, 5, 10, 20]);
  });

  it('accepts a typed integer step and names a bad one', () => {
    expect(parseStep(' 120 ')).toEqual({ step: 120 });
    expect(parseStep('12.5')).toEqual({ error: 'invalid step: "12.5" (want an integer)' });
    expect(parseStep('NaN')).toEqual({ error: 'invalid step: "NaN" (want an integer)' });
  });

  it('reads typed steps as decimal digits only and names a step out of range', () => {
    expect(parseStep('-5')).toEqual({ step: -5 });
    expect(parseStep('0x10')).toEqual({ error: 'invalid step: "0x10" (want an integer)' });
    expect(parseStep('1e3')).toEqual({ error: 'invalid step: "1e3" (want an integer)' });
    expect(parseStep('99999999999999999999')).toEqual({
      error: 'invalid step: "99999999999999999999" (out of range: steps are below 2^53)',
    });
  });
});

function run(name: string, lastStep: number | null): RunInfo {
  return {
    name,
    job: null,
    worker: null,
    status: 'ok',
    fileCount: 1,
    lastStep,
    lastWallTime: null,
    warnings: [],
  };
}

describe('run selection', () => {
  const runs = [run('a', 10), run('b', 30), run('c', null)];

  it('selects every run when the selection is empty and ignores unknown names', () => {
    expect(selectedRunNames({ runs: [] }, runs)).toEqual(['a', 'b', 'c']);
    expect(selectedRunNames({ runs: ['c', 'gone', 'a'] }, runs)).toEqual(['a', 'c']);
  });

  it('stores the selection of every run as empty and a partial one in run order', () => {
    expect(toggleRuns({ runs: [] }, runs, ['b'], false)).toEqual(['a', 'c']);
    expect(toggleRuns({ runs: ['a', 'c'] }, runs, ['b'], true)).toEqual([]);
  });

  it('never turns off the last selected run, since an empty selection means every run', () => {
    expect(toggleRuns({ runs: ['a'] }, runs, ['a'], false)).toEqual(['a']);
  });

  it('takes the newest step over the selected runs only', () => {
    expect(newestStep(['a', 'c'], runs)).toBe(10);
    expect(newestStep(['a', 'b'], runs)).toBe(30);
    expect(newestStep(['c'], runs)).toBeNull();
  });
});
