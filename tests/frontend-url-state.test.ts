// The ViewState survives a trip through the URL's query string, and bad links still open.
import { describe, expect, it } from 'vitest';
import { stateFromQuery, stateToQuery } from '../plugin-frontend/src/url-state.js';
import { DEFAULT_VIEW_STATE, type ViewState } from '../plugin-frontend/src/view-state.js';

describe('URL state', () => {
  it('round-trips every field, including run names with commas, slashes and unicode', () => {
    const state: ViewState = {
      view: 'activations',
      runs: ['mnist/worker-0', 'a,b', 'λ run & more?'],
      tag: 'activations/conv1',
      step: 1200,
      layer: 'conv1',
      channel: 3,
      probe: 0,
      worker: 'mnist/worker-1',
      smoothing: 0.85,
      logY: true,
      xAxis: 'relative',
    };
    const parsed = stateFromQuery(stateToQuery(state));
    expect(parsed.problems).toEqual([]);
    expect(parsed.state).toEqual(state);
  });

  it('writes the default state as an empty query and reads an empty query as the default', () => {
    expect(stateToQuery(DEFAULT_VIEW_STATE)).toBe('');
    expect(stateFromQuery('').state).toEqual(DEFAULT_VIEW_STATE);
  });

  it('keeps a negative step and a step of 0 pinned', () => {
    expect(stateFromQuery(stateToQuery({ ...DEFAULT_VIEW_STATE, step: 0 })).state.step).toBe(0);
    expect(stateFromQuery('?step=-5').state.step).toBe(-5);
  });

  it('drops unusable values to their defaults and names each one', () => {
    const parsed = stateFromQuery('?view=nope&step=abc&channel=-1&smoothing=1.5&x=time&probe=2.5');
    expect(parsed.state).toEqual(DEFAULT_VIEW_STATE);
    expect(parsed.problems).toEqual([
      'invalid view: "nope" (want one of scalars, images, histograms, text, activations, ' +
        'weights, workers)',
      'invalid step: "abc" (want an integer)',
      'invalid channel: "-1" (want an integer >= 0)',
      'invalid probe: "2.5" (want an integer >= 0)',
      'invalid smoothing: "1.5" (want a number in [0, 1))',
      'invalid x: "time" (want one of step, relative, wall)',
    ]);
  });

  it('refuses a step beyond the safe-integer range rather than rounding it', () => {
    const parsed = stateFromQuery('?step=9007199254740993');
    expect(parsed.state.step).toBeNull();
    expect(parsed.problems).toHaveLength(1);
  });
});
