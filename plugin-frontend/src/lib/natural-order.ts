/**
 * Runs and jobs in the order a person counts them: `version_2` before
 * `version_10`, numbers inside names compared as numbers. The viewer sorts
 * the server's run list once, so the sidebar and every view agree.
 */
import type { JobInfo, RunsAnswer } from '../api-types.js';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Numbers within names compare by value; names the collator finds equal fall back to code units. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The run list with runs and jobs in natural order; a job's workers stay in rank order. */
export function naturalRuns(answer: RunsAnswer): RunsAnswer {
  const byName = <T extends { name: string }>(items: readonly T[]) =>
    [...items].sort((a, b) => naturalCompare(a.name, b.name));
  const jobs: JobInfo[] = byName(answer.jobs);
  return { ...answer, runs: byName(answer.runs), jobs };
}
