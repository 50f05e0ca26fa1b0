// What the sidebar says beside a run: true of what the run holds, not "no data yet" for hparams.
import { describe, expect, it } from 'vitest';
import type { RunInfo, TagInfo, TagKind } from '../plugin-frontend/src/api-types.js';
import { runBadge, unshownKinds } from '../plugin-frontend/src/lib/run-status.js';

function run(name: string, status: RunInfo['status'], lastStep: number | null = null): RunInfo {
  return {
    name,
    status,
    lastStep,
    job: null,
    worker: null,
    fileCount: 1,
    lastWallTime: null,
    warnings: [],
  };
}

function tag(name: string, kind: TagKind, pluginName: string): TagInfo {
  return {
    tag: name,
    kind,
    pluginName,
    displayName: '',
    description: '',
    total: 1,
    kept: 1,
    firstStep: 0,
    lastStep: 0,
    metadata: null,
  };
}

const HPARAMS = [
  tag('_hparams_/experiment', 'other', 'hparams'),
  tag('_hparams_/session_start_info', 'other', 'hparams'),
  tag('_hparams_/session_end_info', 'other', 'hparams'),
];
const NO_STEPS = new Map<string, number>();

describe('runBadge', () => {
  it('names the data of a run that holds only hparams instead of saying it has no data', () => {
    const badge = runBadge(run('keras/run-0', 'ok', 0), NO_STEPS, HPARAMS);
    expect(badge.text).toBe('hparams only');
    expect(badge.title).toBe('Holds hparams only, which no view of lensboard draws.');
  });

  it("names a graph run's graph whatever plugin names its parts", () => {
    const graph = [
      tag('__run_graph__', 'other', 'graphs'),
      tag('step1', 'other', 'graph_tagged_run_metadata'),
    ];
    expect(runBadge(run('graph_experiment', 'ok', 0), NO_STEPS, graph).text).toBe('graph only');
  });

  it('says "no data for these views" when a run holds three kinds no view draws', () => {
    const many = [...HPARAMS, tag('pr', 'other', 'pr_curves'), tag('g', 'other', 'graphs')];
    expect(runBadge(run('r', 'ok', 4), NO_STEPS, many).text).toBe('no data for these views');
    expect(unshownKinds(many)).toEqual(['PR curves', 'graph', 'hparams']);
  });

  it('shows the step of a run that holds hparams and scalars, as of any run with scalars', () => {
    const tags = [...HPARAMS, tag('hparam/accuracy', 'scalars', 'scalars')];
    expect(runBadge(run('version_0', 'ok', 89), NO_STEPS, tags).text).toBe('step 89');
  });

  it('keeps "no data yet" for a run with no values at all, which data may still reach (B33)', () => {
    expect(runBadge(run('empty', 'no-data'), NO_STEPS, undefined).text).toBe('no data yet');
  });

  it('points a run without values of its own to the sub-runs that hold its data (add_hparams)', () => {
    const parent = run('hparams_search_exp_1', 'no-data');
    const child = run('hparams_search_exp_1/1771595857.3236299', 'ok', 0);
    const badge = runBadge(parent, NO_STEPS, [], [child]);
    expect(badge.text).toBe('data in a sub-run');
    expect(badge.title).toContain('hparams_search_exp_1/1771595857.3236299');
  });

  it('shows the step until the tag list is known, and while the run is read, says so', () => {
    expect(runBadge(run('a', 'ok', 3), NO_STEPS, undefined).text).toBe('step 3');
    expect(runBadge(run('a', 'loading'), NO_STEPS, undefined).text).toBe('loading…');
  });
});
