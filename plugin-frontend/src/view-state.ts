/**
 * What the viewer is showing: the single source of truth that the URL mirrors,
 * so a link or a reload restores the same view. Views read it; they ask the
 * shell to change it by dispatching `lb-select` with a partial ViewState.
 */
export type ViewName =
  | 'scalars'
  | 'images'
  | 'histograms'
  | 'text'
  | 'activations'
  | 'weights'
  | 'workers';

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
}

/** The event a view dispatches (bubbling, composed) to change the shared state. */
export type SelectEvent = CustomEvent<Partial<ViewState>>;
