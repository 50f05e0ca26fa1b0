/**
 * `<lb-workers-view>`: how the workers of a distributed job differ, from the
 * job's global run: each layer's divergence of every worker from the average
 * over steps, the classes each worker has seen, per-worker step time split
 * into compute, communication and waiting, and one layer's channel or class
 * template drawn side by side for every worker on one scale.
 */
import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { JobInfo, LoadedTensor } from '../api-types.js';
import { emptyMessage, renderTask, statusStyles } from '../components/status.js';
import { runColors } from '../lib/run-colors.js';
import { shownStep } from '../lib/steps.js';
import { mergeRanges, symmetricScale } from '../lensboard/color-scale.js';
import { seriesSteps, tensorAt } from '../lensboard/data.js';
import {
  loadAcrossWorkers,
  loadJobCatalog,
  type Comparable,
  type JobCatalog,
  type WorkerSeries,
} from '../lensboard/job-data.js';
import { chooseRun, runLabel } from '../lensboard/job-runs.js';
import { scaleOfMaps } from '../lensboard/layer-scales.js';
import { STEP_PARTS, type WorkerStepTime } from '../lensboard/lb-step-time-bars.js';
import { zoomFor } from '../lensboard/map-grid-layout.js';
import { mapRange } from '../lensboard/paint-map.js';
import {
  activationLayout,
  itemMap,
  itemMaps,
  templateLayout,
  type MapRef,
} from '../lensboard/tensor-maps.js';
import { entryAt } from './load-series.js';
import { TEMPLATE_SIZE } from '../lensboard/lb-class-templates.js';
import '../lensboard/lb-class-counts.js';
import '../lensboard/lb-color-legend.js';
import '../lensboard/lb-line-chart.js';
import '../lensboard/lb-map-grid.js';
import '../lensboard/lb-step-time-bars.js';
import { ViewElement } from './view-base.js';

const NO_WORKERS: readonly string[] = [];

@customElement('lb-workers-view')
export class LbWorkersView extends ViewElement {
  static override styles = [
    statusStyles,
    css`
      :host {
        display: block;
      }
      section {
        margin: 16px 0;
      }
      h3 {
        margin: 0 0 6px;
        font-size: 14px;
      }
      .charts,
      .side {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
      }
      .note {
        font-size: 12px;
        color: #5f6368;
        margin: 0 0 6px;
      }
      figure {
        margin: 0;
        font-size: 12px;
      }
    `,
  ];

  private catalog = new Task(this, {
    task: ([job], { signal }) => (job ? loadJobCatalog(job, signal) : Promise.resolve(null)),
    args: () => [this.job, this.refreshToken] as const,
  });

  private counts = new Task(this, {
    task: async ([catalog, step], { signal }) => {
      const series = catalog?.classCounts;
      const at = series ? shownStep(seriesSteps(series), step) : null;
      return series && at !== null ? tensorAt(series, at, signal) : null;
    },
    args: () => [this.catalog.value ?? null, this.shownStep] as const,
  });

  private sideBySide = new Task(this, {
    task: ([workers, tag, step], { signal }) =>
      tag ? loadAcrossWorkers(workers, tag, step, signal) : Promise.resolve([]),
    // A constant empty list: a new array per update would restart the task forever.
    args: () =>
      [this.job?.workers ?? NO_WORKERS, this.compared?.tag ?? null, this.shownStep] as const,
  });

  /** The job of the state's worker when selected, else the newest selected job, else the first. */
  private get job(): JobInfo | null {
    const selected = this.selectedRuns();
    const choice = chooseRun(this.state, this.runs, this.jobs, selected, new Set(selected));
    return choice.job ?? this.jobs[0] ?? null;
  }

  private get shownStep(): number | null {
    return shownStep(this.catalog.value?.steps ?? [], this.step);
  }

  /** The layer picked in the state when it can be compared, else the first that can. */
  private get compared(): Comparable | null {
    const options = this.catalog.value?.comparables ?? [];
    const wanted = options.filter((c) => c.layer === this.state.layer);
    const kind = this.state.tag?.startsWith('templates/') ? 'template' : 'activation';
    return wanted.find((c) => c.kind === kind) ?? wanted[0] ?? options[0] ?? null;
  }

  protected override updated(): void {
    const catalog = this.catalog.value;
    if (catalog) this.reportSteps({ steps: catalog.steps, total: catalog.total });
  }

  override render() {
    if (!this.job)
      return emptyMessage('No distributed job here: runs named <job>/worker-<rank> form one.');
    return renderTask(this.catalog, `the workers of ${this.job.name}`, (catalog) =>
      catalog ? this.renderJob(catalog) : nothing,
    );
  }

  private renderJob(catalog: JobCatalog) {
    return html`<section>
        <h3>Divergence from the average, per layer</h3>
        ${
          linesCoincide(catalog.divergence)
            ? html`<p class="note">
                Every worker is as far from the average as the others, so their lines coincide.
              </p>`
            : nothing
        }
        ${this.renderDivergence(catalog)}
      </section>
      <section>
        <h3>Examples per class each worker has trained on</h3>
        ${
          catalog.classCounts
            ? renderTask(
                this.counts,
                'the class counts',
                (counts) =>
                  html`<lb-class-counts
                    .counts=${counts}
                    .workers=${catalog.job.workers.map((w) => runLabel(w, catalog.job))}
                  ></lb-class-counts>`,
              )
            : emptyMessage('No data/class_counts logged by the global run.')
        }
      </section>
      <section>
        <h3>Step time at step ${this.shownStep ?? '–'}</h3>
        ${
          catalog.timing.length
            ? html`<lb-step-time-bars
                .times=${stepTimes(catalog, this.shownStep)}
              ></lb-step-time-bars>`
            : emptyMessage('No timing/worker-<rank>/… scalars logged by the global run.')
        }
      </section>
      <section>${this.renderSideBySide(catalog)}</section>`;
  }

  private renderDivergence(catalog: JobCatalog) {
    if (catalog.divergence.length === 0) {
      return emptyMessage('No divergence/worker-<rank>/<layer> scalars logged by the global run.');
    }
    const layers = [...new Set(catalog.divergence.map((d) => d.name))];
    return html`<div class="charts">
      ${layers.map(
        (layer) =>
          html`<lb-line-chart
            heading=${layer}
            data-layer=${layer}
            .markStep=${this.shownStep}
            .lines=${catalog.divergence
              .filter((d) => d.name === layer)
              .sort((a, b) => a.rank - b.rank)
              .map((d) => this.workerLine(catalog.job, d))}
          ></lb-line-chart>`,
      )}
    </div>`;
  }

  /** A worker's series in the colour its run has in the sidebar, named as in the job. */
  private workerLine(job: JobInfo, series: WorkerSeries) {
    const run = job.workers[series.rank] ?? `${job.name}/worker-${series.rank}`;
    return { run: runLabel(run, job), color: runColors(this.runs)(run), points: series.points };
  }

  private renderSideBySide(catalog: JobCatalog) {
    const compared = this.compared;
    if (!compared)
      return emptyMessage('The workers logged no activations or templates to compare.');
    const pick = (e: Event) => {
      const option = catalog.comparables[Number((e.target as HTMLSelectElement).value)];
      this.select({ layer: option.layer, tag: option.tag });
    };
    return html`<h3>
        Side by side:
        <select data-control="compare" @change=${pick}>
          ${catalog.comparables.map(
            (c, i) =>
              html`<option value=${i} ?selected=${c === compared}>${c.kind} ${c.layer}</option>`,
          )}
        </select>
        ${
          compared.kind === 'activation'
            ? html`channel ${this.state.channel ?? 0}, probe ${this.state.probe ?? 0}`
            : nothing
        }
      </h3>
      ${renderTask(this.sideBySide, `${compared.tag} on every worker`, (tensors) =>
        this.renderWorkerMaps(catalog.job, compared, tensors),
      )}`;
  }

  private renderWorkerMaps(job: JobInfo, compared: Comparable, tensors: (LoadedTensor | null)[]) {
    const maps = tensors.map((t) =>
      t ? comparedMaps(compared, t, this.state.channel ?? 0, this.state.probe ?? 0) : [],
    );
    const all = maps.flat();
    const scale =
      compared.kind === 'template'
        ? symmetricScale(mergeRanges(all.map(mapRange)))
        : scaleOfMaps(all);
    return html`<div class="side">
        ${job.workers.map(
          (run, i) =>
            html`<figure data-run=${run}>
              ${
                maps[i]?.length
                  ? html`<lb-map-grid
                      .maps=${maps[i]}
                      .scales=${scale}
                      .zoom=${zoomFor(
                        maps[i][0].height,
                        maps[i][0].width,
                        compared.kind === 'template' ? TEMPLATE_SIZE : 96,
                      )}
                    ></lb-map-grid>`
                  : 'not logged'
              }
              <figcaption>${runLabel(run, job)}</figcaption>
            </figure>`,
        )}
      </div>
      <lb-color-legend .scale=${scale} label="one scale for every worker"></lb-color-legend>`;
  }
}

/** The maps compared for one worker: one channel of one probe, or every class of a template. */
function comparedMaps(
  compared: Comparable,
  tensor: LoadedTensor,
  channel: number,
  probe: number,
): MapRef[] {
  if (compared.kind === 'template') {
    const layout = templateLayout(tensor.shape);
    return Array.from({ length: layout.items }, (_, u) => itemMaps(tensor.values, layout, u)[0]);
  }
  const layout = activationLayout(tensor.shape);
  if (layout.units) return itemMaps(tensor.values, layout, Math.min(probe, layout.items - 1));
  if (channel >= layout.channels || probe >= layout.items) return [];
  return [itemMap(tensor.values, layout, probe, channel)];
}

/** Each worker's seconds per part at `step` (the newest logged at or before it). */
function stepTimes(catalog: JobCatalog, step: number | null): WorkerStepTime[] {
  return catalog.job.workers.map((run, rank) => ({
    worker: runLabel(run, catalog.job),
    seconds: STEP_PARTS.map((part) =>
      valueOf(
        catalog.timing.find((t) => t.rank === rank && t.name === part),
        step,
      ),
    ),
  }));
}

function valueOf(series: WorkerSeries | undefined, step: number | null): number | null {
  return (series && entryAt(series.points, step)?.value) ?? null;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-workers-view': LbWorkersView;
  }
}

/** True when every worker logged the same divergence at each step of each layer. */
function linesCoincide(series: readonly WorkerSeries[]): boolean {
  const first = new Map<string, number>();
  const ranks = new Set<number>();
  for (const { name, rank, points } of series) {
    ranks.add(rank);
    for (const { step, value } of points) {
      const key = `${name}@${step}`;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, value);
      else if (Math.abs(seen - value) > 1e-6 * Math.max(1, Math.abs(seen))) return false;
    }
  }
  return ranks.size > 1 && first.size > 0;
}
