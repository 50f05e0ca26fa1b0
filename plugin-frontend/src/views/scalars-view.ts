/**
 * TensorBoard's scalars: one chart per tag with every selected run overlaid,
 * TensorBoard's debiased smoothing, a log y axis, and step / relative /
 * wall-time x axes. The options live in the ViewState so a link restores them.
 * The steps reported to the step control are those of the focused tag (the
 * ViewState's `tag`), or of every chart when no tag is focused.
 */
import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { api } from '../api.js';
import type { ScalarPoint } from '../api-types.js';
import { runColors } from '../lib/run-colors.js';
import type { PlotOptions, RunScalars } from '../lib/scalar-plot.js';
import { DEFAULT_SMOOTHING, X_AXES, type XAxis } from '../view-state.js';
import {
  emptyMessage,
  errorMessage,
  focusTagHeading,
  quoted,
  renderTask,
  runFailuresMessage,
  statusStyles,
  tagHeadingStyles,
} from '../components/status.js';
import { loadTagPanels, type LoadedPanels, type TagPanel } from './load-series.js';
import { ViewElement } from './view-base.js';
import { MEASURE_FIRST_RENDER, mark, measure, settled } from '../lib/perf.js';

const DATA_ARRIVED = 'lb:scalars data arrived';
import '../components/lb-scalar-chart.js';

@customElement('lb-scalars-view')
export class LbScalarsView extends ViewElement {
  @state() private filter = '';

  /** Whether the render after the newest data arrival was timed already. */
  private arrivalMeasured = true;
  private runScalars = new WeakMap<TagPanel<ScalarPoint>, RunScalars[]>();

  private readonly panelsTask = new Task(this, {
    task: async ([runs], { signal }) => {
      const fetchSeries = api.scalars.bind(api);
      const panels = await loadTagPanels<ScalarPoint>(runs, 'scalars', fetchSeries, signal);
      mark(DATA_ARRIVED);
      this.arrivalMeasured = false;
      return panels;
    },
    args: () => [this.selectedRuns(), this.refreshToken] as const,
    argsEqual: ([runsA, tokenA], [runsB, tokenB]) =>
      tokenA === tokenB && runsA.join('\n') === runsB.join('\n'),
  });

  static override styles = [
    statusStyles,
    tagHeadingStyles,
    css`
      .controls {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 18px;
        margin: 8px 0 12px;
        font-size: 13px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
        gap: 12px;
      }
      h3 {
        margin: 0 0 4px;
        font-size: 13px;
        font-weight: 600;
      }
      h3 button {
        all: unset;
        cursor: pointer;
      }
      .focused {
        outline: 2px solid #1a73e8;
      }
    `,
  ];

  private options(): PlotOptions {
    return {
      smoothing: this.state.smoothing ?? DEFAULT_SMOOTHING,
      logY: this.state.logY ?? false,
      xAxis: this.state.xAxis ?? 'step',
    };
  }

  override render() {
    return html`
      ${this.renderControls()}
      ${renderTask(this.panelsTask, 'scalars', (loaded) => this.renderPanels(loaded))}
    `;
  }

  private renderControls() {
    const options = this.options();
    return html`<div class="controls">
      <label>
        Smoothing
        <input
          type="range"
          min="0"
          max="0.99"
          step="0.01"
          .value=${String(options.smoothing)}
          @change=${(e: Event) =>
            this.select({ smoothing: Number((e.target as HTMLInputElement).value) })}
        />
        <span>${options.smoothing.toFixed(2)}</span>
      </label>
      <label>
        <input
          type="checkbox"
          .checked=${options.logY}
          @change=${(e: Event) => this.select({ logY: (e.target as HTMLInputElement).checked })}
        />
        log y axis
      </label>
      <label>
        x axis
        <select
          @change=${(e: Event) =>
            this.select({ xAxis: (e.target as HTMLSelectElement).value as XAxis })}
        >
          ${X_AXES.map(
            (axis) =>
              html`<option value=${axis} ?selected=${axis === options.xAxis}>${axis}</option>`,
          )}
        </select>
      </label>
      <label>
        Filter tags
        <input
          type="search"
          placeholder="regular expression"
          .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        />
      </label>
    </div>`;
  }

  private renderPanels({ panels, runFailures }: LoadedPanels<ScalarPoint>) {
    if (panels.length === 0) {
      return html`${runFailuresMessage(runFailures)}
      ${emptyMessage(
        `No scalar tags in the ${runFailures.length ? 'other ' : ''}selected runs yet. ` +
          'Charts appear as soon as one is logged.',
      )}`;
    }
    const { matcher, error } = tagMatcher(this.filter);
    const shown = panels.filter((panel) => matcher(panel.tag));
    const options = this.options();
    return html`
      ${runFailuresMessage(runFailures)} ${error ? html`<p class="warning">${error}</p>` : nothing}
      ${
        shown.length === 0
          ? emptyMessage(`No scalar tag matches ${JSON.stringify(this.filter)}.`)
          : nothing
      }
      <div class="grid">${shown.map((panel) => this.renderChart(panel, options))}</div>
    `;
  }

  protected override updated(): void {
    const panels = this.panelsTask.value?.panels;
    if (panels && panels.length) this.reportPanelSteps(panels);
    if (panels) this.focusTag(panels);
    if (this.arrivalMeasured) return;
    this.arrivalMeasured = true;
    void settled(this).then(() => measure(MEASURE_FIRST_RENDER, DATA_ARRIVED));
  }

  /** Stable per panel, so a chart only rebuilds its plot when its data changed. */
  private runsOf(panel: TagPanel<ScalarPoint>): RunScalars[] {
    let runs = this.runScalars.get(panel);
    if (!runs) {
      runs = panel.series.map((series) => ({
        run: series.run,
        color: runColors(this.runs)(series.run),
        points: series.entries,
      }));
      this.runScalars.set(panel, runs);
    }
    return runs;
  }

  private renderChart(panel: TagPanel<ScalarPoint>, options: PlotOptions) {
    const focused = panel.tag === this.state.tag;
    const focus = () => this.select({ tag: focused ? null : panel.tag });
    return html`<section class=${focused ? 'focused' : ''} data-tag=${panel.tag}>
      ${focusTagHeading(panel.tag, focused, focus)}
      ${panel.failures.map(({ run, error }) =>
        errorMessage(`this tag of run ${quoted(run)}`, error),
      )}
      ${
        panel.series.length
          ? html`<lb-scalar-chart
              .tag=${panel.tag}
              .runs=${this.runsOf(panel)}
              .options=${options}
              .step=${this.step}
            >
            </lb-scalar-chart>`
          : nothing
      }
    </section>`;
  }
}

/**
 * A case-insensitive regular expression over tags; a bad one is reported and
 * matches everything.
 */
function tagMatcher(filter: string): { matcher: (tag: string) => boolean; error: string } {
  if (filter.trim() === '') return { matcher: () => true, error: '' };
  try {
    const pattern = new RegExp(filter, 'i');
    return { matcher: (tag) => pattern.test(tag), error: '' };
  } catch (error) {
    return { matcher: () => true, error: `invalid tag filter: ${(error as Error).message}` };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-scalars-view': LbScalarsView;
  }
}
