/**
 * The inputs every view receives from the shell, declared once. A view reads
 * them, asks for state changes with `select`, and reports the steps it has
 * loaded for its current tag with `reportSteps` (the step control's "N of M").
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { Entry, JobInfo, RunInfo, Series } from '../api-types.js';
import { selectedRunNames } from '../lib/selection.js';
import { mergeSteps } from '../lib/steps.js';
import { linkProblems } from '../lensboard/link-check.js';
import { stepsOf, type TagPanel } from './load-series.js';
import {
  DEFAULT_VIEW_STATE,
  linkProblemsEvent,
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
  /**
   * Bumped by the shell whenever the logdir changed; views refetch (the client's
   * cache keeps it cheap).
   */
  @property({ attribute: false }) refreshToken = 0;

  private lastReport = '';
  private lastProblems = '';
  /** What the last panel report was computed from: merging steps is too slow for every update. */
  private reportedFrom: { panels: unknown; tag: string | null } | null = null;
  /** The focused tag last brought into view, so a live refresh never scrolls the page again. */
  private revealedTag: string | null = null;

  protected selectedRuns(): string[] {
    return selectedRunNames(this.state, this.runs);
  }

  protected select(change: Partial<ViewState>): void {
    this.dispatchEvent(selectEvent(change));
  }

  /**
   * Reports the steps of the panel of the focused tag (the ViewState's `tag`),
   * or of every panel when none is focused; recomputed only when either changed.
   */
  protected reportPanelSteps(panels: readonly TagPanel<Entry>[]): void {
    const from = this.reportedFrom;
    if (from && from.panels === panels && from.tag === this.state.tag) return;
    this.reportedFrom = { panels, tag: this.state.tag };
    const focused = panels.filter((panel) => panel.tag === this.state.tag);
    const { lists, kept, total } = stepsOf(
      (focused.length ? focused : panels).flatMap((p) => p.series),
    );
    const runSteps = largestPerRun(panels.flatMap((panel) => panel.series));
    this.reportSteps({ steps: mergeSteps(lists), kept, total, runSteps });
  }

  /**
   * Honours the ViewState's `tag` in a view of one panel per tag: brings its
   * panel (the `section[data-tag]`) into view once per focus, so a link to a
   * tag opens at it, and reports a tag none of `panels` has as a link problem.
   */
  protected focusTag(panels: readonly TagPanel<Entry>[]): void {
    const tag = this.state.tag;
    this.reportLinkProblems(linkProblems(this.state, { tags: panels.map((p) => p.tag) }));
    if (tag === null || tag === this.revealedTag) return;
    const sections = this.renderRoot.querySelectorAll<HTMLElement>('section[data-tag]');
    const panel = [...sections].find((section) => section.dataset.tag === tag);
    if (!panel) return;
    this.revealedTag = tag;
    // "nearest": a panel already on screen (focused by a click on its heading) stays put.
    panel.scrollIntoView({ block: 'nearest' });
  }

  /** Tells the shell which linked values this view cannot show; repeats are dropped. */
  protected reportLinkProblems(problems: string[]): void {
    const key = problems.join('\n');
    if (key === this.lastProblems) return;
    this.lastProblems = key;
    this.dispatchEvent(linkProblemsEvent(problems));
  }

  /**
   * Tells the step control what this view can show; repeated identical reports
   * are dropped. The shell forgets the steps whenever the view or the focused
   * tag changes (they may belong to the old tag), so a report is only a repeat
   * for the same view and tag: a new tag whose steps equal the old tag's must
   * still be reported, or the step control stays at "no step".
   */
  protected reportSteps(report: StepsReport): void {
    const kept = report.kept ?? report.steps.length;
    report = { ...report, kept, total: Math.max(report.total, kept) };
    const key = [
      this.state.view,
      this.state.tag,
      report.total,
      kept,
      report.steps.join(','),
      report.runSteps?.join(';'),
    ].join(':');
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.dispatchEvent(stepsEvent(report));
  }
}

/** The largest step of each run's loaded entries. */
function largestPerRun(series: readonly Series<Entry>[]): [string, number][] {
  const largest = new Map<string, number>();
  for (const one of series) {
    for (const entry of one.entries)
      largest.set(one.run, Math.max(largest.get(one.run) ?? -Infinity, entry.step));
  }
  return [...largest];
}
