/**
 * The inputs every view receives from the shell, declared once. A view reads
 * them, asks for state changes with `select`, and reports the steps it has
 * loaded for its current tag with `reportSteps` (the step control's "N of M").
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { JobInfo, RunInfo } from '../api-types.js';
import { selectedRunNames } from '../lib/selection.js';
import {
  DEFAULT_VIEW_STATE,
  selectEvent,
  stepsEvent,
  type StepsReport,
  type ViewState,
} from '../view-state.js';

export class ViewElement extends LitElement {
  @property({ attribute: false }) state: ViewState = DEFAULT_VIEW_STATE;
  @property({ attribute: false }) runs: RunInfo[] = [];
  @property({ attribute: false }) jobs: JobInfo[] = [];
  /** The effective global step: the pinned one, or the newest while following. */
  @property({ attribute: false }) step: number | null = null;
  /** Bumped by the shell whenever the logdir changed; views refetch (the client's cache keeps it cheap). */
  @property({ attribute: false }) refreshToken = 0;

  private lastReport = '';

  protected selectedRuns(): string[] {
    return selectedRunNames(this.state, this.runs);
  }

  protected select(change: Partial<ViewState>): void {
    this.dispatchEvent(selectEvent(change));
  }

  /** Tells the step control what this view can show; repeated identical reports are dropped. */
  protected reportSteps(report: StepsReport): void {
    report = { steps: report.steps, total: Math.max(report.total, report.steps.length) };
    const key = `${report.total}:${report.steps.join(',')}`;
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.dispatchEvent(stepsEvent(report));
  }
}
