/**
 * Renders the view named by the ViewState with the inputs every view shares.
 * TensorBoard's views are this app's own; lensboard's views live in their own
 * modules and are shown through the same inputs.
 */
import { html, type TemplateResult } from 'lit';
import type { JobInfo, RunInfo } from '../api-types.js';
import type { ViewName, ViewState } from '../view-state.js';
import '../views/scalars-view.js';
import '../views/images-view.js';
import '../views/histograms-view.js';
import '../views/text-view.js';
import '../views/activations-view.js';
import '../views/weights-view.js';
import '../views/workers-view.js';

export interface ViewInputs {
  state: ViewState;
  runs: RunInfo[];
  jobs: JobInfo[];
  step: number | null;
  refreshToken: number;
}

export function renderView(view: ViewName, inputs: ViewInputs): TemplateResult {
  const { state, runs, jobs, step, refreshToken } = inputs;
  switch (view) {
    case 'scalars':
      return html`<lb-scalars-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-scalars-view>`;
    case 'images':
      return html`<lb-images-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-images-view>`;
    case 'histograms':
      return html`<lb-histograms-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-histograms-view>`;
    case 'text':
      return html`<lb-text-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-text-view>`;
    case 'activations':
      return html`<lb-activations-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-activations-view>`;
    case 'weights':
      return html`<lb-weights-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-weights-view>`;
    case 'workers':
      return html`<lb-workers-view
        .state=${state}
        .runs=${runs}
        .jobs=${jobs}
        .step=${step}
        .refreshToken=${refreshToken}
      ></lb-workers-view>`;
  }
}
