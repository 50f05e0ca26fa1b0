/**
 * The ViewState as a query string and back. Defaults are left out so links stay
 * short; runs are repeated `run` parameters because a run name may hold any
 * character, commas included. Reading never throws: a bad value is dropped to
 * its default and reported, so a hand-edited link still opens.
 */
import {
  DEFAULT_VIEW_STATE,
  VIEW_NAMES,
  X_AXES,
  type ViewName,
  type ViewState,
  type XAxis,
} from './view-state.js';

export interface ParsedState {
  state: ViewState;
  /** One line per parameter that was present but unusable, e.g. `invalid step: "abc"`. */
  problems: string[];
}

export function stateToQuery(state: ViewState): string {
  const query = new URLSearchParams();
  if (state.view !== DEFAULT_VIEW_STATE.view) query.set('view', state.view);
  for (const run of state.runs) query.append('run', run);
  const optional: [string, string | number | boolean | null | undefined][] = [
    ['tag', state.tag],
    ['step', state.step],
    ['layer', state.layer],
    ['channel', state.channel],
    ['probe', state.probe],
    ['worker', state.worker],
    ['smoothing', state.smoothing],
    ['logY', state.logY ? 1 : undefined],
    ['x', state.xAxis === 'step' ? undefined : state.xAxis],
  ];
  for (const [key, value] of optional) {
    if (value !== null && value !== undefined) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function stateFromQuery(search: string): ParsedState {
  const query = new URLSearchParams(search);
  const problems: string[] = [];
  const reader = new QueryReader(query, problems);
  const state: ViewState = {
    view: reader.oneOf<ViewName>('view', VIEW_NAMES) ?? DEFAULT_VIEW_STATE.view,
    runs: query.getAll('run'),
    tag: query.get('tag'),
    step: reader.integer('step', Number.MIN_SAFE_INTEGER),
    layer: query.get('layer'),
    channel: reader.integer('channel', 0),
    probe: reader.integer('probe', 0),
    worker: query.get('worker'),
  };
  const smoothing = reader.fraction('smoothing');
  if (smoothing !== null) state.smoothing = smoothing;
  if (query.get('logY') === '1') state.logY = true;
  const xAxis = reader.oneOf<XAxis>('x', X_AXES);
  if (xAxis !== null) state.xAxis = xAxis;
  return { state, problems };
}

/** Reads typed parameters, noting each present-but-invalid one. */
class QueryReader {
  constructor(
    private readonly query: URLSearchParams,
    private readonly problems: string[],
  ) {}

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | null {
    const text = this.query.get(key);
    if (text === null) return null;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    return this.reject(key, text, `want one of ${allowed.join(', ')}`);
  }

  integer(key: string, min: number): number | null {
    const text = this.query.get(key);
    if (text === null) return null;
    const value = Number(text);
    if (text.trim() !== '' && Number.isSafeInteger(value) && value >= min) return value;
    return this.reject(key, text, min === 0 ? 'want an integer >= 0' : 'want an integer');
  }

  fraction(key: string): number | null {
    const text = this.query.get(key);
    if (text === null) return null;
    const value = Number(text);
    if (text.trim() !== '' && value >= 0 && value < 1) return value;
    return this.reject(key, text, 'want a number in [0, 1)');
  }

  private reject(key: string, text: string, want: string): null {
    this.problems.push(`invalid ${key}: ${JSON.stringify(text)} (${want})`);
    return null;
  }
}
