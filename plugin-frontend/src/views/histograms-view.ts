/**
 * TensorBoard's histograms: for each histogram tag and selected run, the
 * distribution at the step on screen and its change over the kept steps. Steps
 * whose buckets cannot be placed on a finite axis are named, not drawn.
 */
import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { api } from '../api.js';
import type { HistogramEntry, Series } from '../api-types.js';
import { binHistograms, type BinnedHistograms } from '../lib/histogram-bins.js';
import { runColors } from '../lib/run-colors.js';
import { loadedLabel } from '../lib/steps.js';
import {
  emptyMessage,
  errorMessage,
  quoted,
  renderTask,
  panelsOrEmpty,
  statusStyles,
  tagHeadingStyles,
} from '../components/status.js';
import {
  entryAt,
  loadTagPanels,
  type LoadedPanels,
  type SeriesFailure,
  type TagPanel,
} from './load-series.js';
import { ViewElement } from './view-base.js';
import '../components/lb-histogram-chart.js';

@customElement('lb-histograms-view')
export class LbHistogramsView extends ViewElement {
  private binned = new WeakMap<Series<HistogramEntry>, BinnedHistograms>();

  private readonly panelsTask = new Task(this, {
    task: ([runs], { signal }) =>
      loadTagPanels<HistogramEntry>(
        runs,
        'histograms',
        (run, tag, s) => api.histograms(run, tag, s),
        signal,
      ),
    args: () => [this.selectedRuns(), this.refreshToken] as const,
    argsEqual: ([runsA, tokenA], [runsB, tokenB]) =>
      tokenA === tokenB && runsA.join('\n') === runsB.join('\n'),
  });

  static override styles = [
    statusStyles,
    tagHeadingStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
        gap: 12px;
        margin-top: 8px;
      }
      section {
        background: #fff;
        border: 1px solid #e0e0e3;
        border-radius: 8px;
        padding: 8px 12px;
      }
      h3 {
        margin: 0 0 4px;
        font-size: 13px;
      }
      .caption {
        font-size: 12px;
        color: #5f6368;
      }
    `,
  ];

  override render() {
    return renderTask(this.panelsTask, 'histograms', (loaded) => this.renderPanels(loaded));
  }

  private renderPanels({ panels, runFailures }: LoadedPanels<HistogramEntry>) {
    return panelsOrEmpty(
      runFailures,
      panels.length,
      'histogram',
      () => html`<div class="grid">${panels.flatMap((panel) => this.renderPanel(panel))}</div>`,
    );
  }

  protected override updated(): void {
    const panels = this.panelsTask.value?.panels;
    if (panels && panels.length) this.reportPanelSteps(panels);
  }

  private renderPanel(panel: TagPanel<HistogramEntry>) {
    return [
      ...panel.series.map((series) => this.renderSeries(series)),
      ...panel.failures.map((failure) => this.renderFailure(failure)),
    ];
  }

  /** A (run, tag) that could not be loaded, in the place its chart would have. */
  private renderFailure({ run, tag, error }: SeriesFailure) {
    return html`<section data-tag=${tag} data-run=${run}>
      <h3 class="tag" title=${tag}>${tag}</h3>
      <div class="caption">${run}</div>
      ${errorMessage(`the histograms of run ${quoted(run)}`, error)}
    </section>`;
  }

  private renderSeries(series: Series<HistogramEntry>) {
    const data = this.binnedOf(series);
    const drawable = new Set(data.frames.map((frame) => frame.step));
    const entry = entryAt(
      series.entries.filter((item) => drawable.has(item.step)),
      this.step,
    );
    const shown = data.frames.find((frame) => frame.step === entry?.step) ?? null;
    return html`<section data-tag=${series.tag} data-run=${series.run}>
      <h3 class="tag" title=${series.tag}>${series.tag}</h3>
      <div class="caption">
        ${series.run} ·
        ${loadedLabel(
          new Set(series.entries.map((entry) => entry.step)).size,
          series.entries.length,
          series.total,
        )}
      </div>
      ${
        data.bad.length
          ? html`<p class="warning">
              Not drawn, values not finite or too large to place:
              ${data.bad.map((item) => `step ${item.step} (${item.reason})`).join('; ')}
            </p>`
          : nothing
      }
      ${
        data.frames.length
          ? html`<lb-histogram-chart
              .data=${data}
              .shown=${shown}
              color=${runColors(this.runs)(series.run)}
            ></lb-histogram-chart>`
          : emptyMessage('No step of this histogram has finite buckets to draw.')
      }
    </section>`;
  }

  private binnedOf(series: Series<HistogramEntry>): BinnedHistograms {
    let data = this.binned.get(series);
    if (!data) {
      data = binHistograms(series.entries);
      this.binned.set(series, data);
    }
    return data;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-histograms-view': LbHistogramsView;
  }
}
