/**
 * What the viewer is showing: the single source of truth that the URL mirrors,
 * so a link or a reload restores the same view. Views read it; they ask the
 * shell to change it by dispatching `lb-select` with a partial ViewState.
 */
export type ViewName =
  'scalars' | 'images' | 'histograms' | 'text' | 'activations' | 'weights' | 'workers';

/**
 * What the scalar charts use as their x axis: the step, seconds since the run's
 * start, or the clock.
 */
export type XAxis = 'step' | 'relative' | 'wall';

export interface ViewState {
  view: ViewName;
  /** Selected run names; empty means every run. */
  runs: string[];
  /** The tag a view focuses on, where a view has one. */
  tag: string | null;
  /** The step the user pinned, or null to follow the newest step while training. */
  step: number | null;
  /** lensboard views: the layer name, channel (or unit) index, probe index, worker run. */
  layer: string | null;
  channel: number | null;
  probe: number | null;
  worker: string | null;
  /** Scalar charts: EMA weight in [0, 1), log y axis and x axis; absent means the default. */
  smoothing?: number;
  logY?: boolean;
  xAxis?: XAxis;
}

/** The event a view dispatches (bubbling, composed) to change the shared state. */
export type SelectEvent = CustomEvent<Partial<ViewState>>;

/** The steps a view has loaded for its current tag, and how many values were logged. */
export interface StepsReport {
  /** Distinct loaded steps, ascending. */
  steps: number[];
  /** Values logged (one series' `total`, the largest): a step logged twice counts twice. */
  total: number;
  /** Values loaded behind `steps` (kept entries, same series as `total`); absent: one per step. */
  kept?: number;
  /** The largest step loaded per run, for the sidebar; absent when the view did not say. */
  runSteps?: [run: string, step: number][];
}

/** The event a view dispatches (bubbling, composed) to tell the step control what it can show. */
export type StepsEvent = CustomEvent<StepsReport>;

export const VIEW_NAMES: readonly ViewName[] = [
  'scalars',
  'images',
  'histograms',
  'text',
  'activations',
  'weights',
  'workers',
];

export const X_AXES: readonly XAxis[] = ['step', 'relative', 'wall'];

/** TensorBoard's own default smoothing weight. */
export const DEFAULT_SMOOTHING = 0.6;

export const DEFAULT_VIEW_STATE: ViewState = {
  view: 'scalars',
  runs: [],
  tag: null,
  step: null,
  layer: null,
  channel: null,
  probe: null,
  worker: null,
};

/** Applies a view's requested change; a view switch keeps runs and step, the rest is per view. */
export function mergeViewState(state: ViewState, change: Partial<ViewState>): ViewState {
  return { ...state, ...change };
}

/** Helpers for views: the events of the contract, already bubbling and composed. */
export function selectEvent(change: Partial<ViewState>): SelectEvent {
  return new CustomEvent('lb-select', { detail: change, bubbles: true, composed: true });
}

export function stepsEvent(report: StepsReport): StepsEvent {
  return new CustomEvent('lb-steps', { detail: report, bubbles: true, composed: true });
}

/**
 * The event a view dispatches (bubbling, composed) with the linked values of
 * the state it cannot show (an unknown layer, a probe past the batch), as
 * sentences like `unknown layer: "x" (want one of conv1, dense)`; an empty
 * list withdraws them. The shell shows them beside malformed link parameters.
 */
export type LinkProblemsEvent = CustomEvent<string[]>;

export function linkProblemsEvent(problems: string[]): LinkProblemsEvent {
  return new CustomEvent('lb-link-problems', { detail: problems, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'lb-select': SelectEvent;
    'lb-steps': StepsEvent;
    'lb-link-problems': LinkProblemsEvent;
  }
}
