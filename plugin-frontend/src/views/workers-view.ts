/**
 * `<lb-workers-view>`: how the workers of one distributed job differ. The job
 * is named and picked like in the other lensboard views; from its global run,
 * each layer's divergence of every worker from the average over steps, the
 * classes each worker has seen, per-worker step time split into compute,
 * communication and waiting; from its workers, one layer's channel or class
 * templates drawn side by side on one scale.
 */
import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { JobInfo, LoadedTensor, TensorSeries } from '../api-types.js';
import {
  emptyMessage,
  errorMessage,
  quoted,
  renderTask,
  statusStyles,
} from '../components/status.js';
import { runColors } from '../lib/run-colors.js';
import { mergeSteps, shownStep, valueCounts } from '../lib/steps.js';
import {
  EMPTY_RANGE,
  mergeRanges,
  symmetricScale,
  widenRange,
  type ValueRange,
} from '../lensboard/color-scale.js';
import { seriesSteps, tensorAt } from '../lensboard/data.js';
import {
  loadJobCatalog,
  loadWorkerSeries,
  tensorsAt,
  type Comparable,
  type JobCatalog,
  LoadFailure,
  loadedValue,
  type JobPart,
  type WorkerSeries,
  type WorkerValue,
} from '../lensboard/job-data.js';
import { chooseRun, runLabel, type RunChoice } from '../lensboard/job-runs.js';
import { linkProblems } from '../lensboard/link-check.js';
import { scaleOfMaps } from '../lensboard/layer-scales.js';
import { STEP_PARTS, type WorkerStepTime } from '../lensboard/lb-step-time-bars.js';
import { zoomFor } from '../lensboard/map-grid-layout.js';
import { probeName } from '../lensboard/lb-probe-strip.js';
import { activationLayout, itemMap, itemMaps, type MapRef } from '../lensboard/tensor-maps.js';
import { entryAt } from './load-series.js';
import '../lensboard/lb-class-counts.js';
import '../lensboard/lb-class-templates.js';
import '../lensboard/lb-color-legend.js';
import '../lensboard/lb-line-chart.js';
import '../lensboard/lb-map-grid.js';
import '../lensboard/lb-step-time-bars.js';
import '../lensboard/lb-worker-switch.js';
import { ViewElement } from './view-base.js';

const NO_WORKERS: readonly string[] = [];
const NO_SERIES: readonly WorkerValue<TensorSeries>[] = [];
const NO_LABELS: readonly string[] = [];

/** A dense layer's units are one value each: a cell this many pixels across reads as a bar. */
const UNIT_SIZE = 16;
/** Side-by-side figures are smaller than the Weights view's: several workers share a row. */
const SIDE_TEMPLATE_SIZE = 96;

@customElement('lb-workers-view')
export class LbWorkersView extends ViewElement {
  static override styles = [
    statusStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: baseline;
        margin: 8px 0;
      }
      h2 {
        margin: 0;
        font-size: 15px;
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
        max-width: 100%;
        overflow-x: auto;
      }
      /* An option names a layer, which may be of any length. */
      select {
        max-width: 100%;
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

  /** The compared tag's series on every worker: its steps are steps this view draws. */
  private comparedSeries = new Task(this, {
    task: ([workers, tag], { signal }): Promise<readonly WorkerValue<TensorSeries>[]> =>
      tag ? loadWorkerSeries(workers, tag, signal) : Promise.resolve(NO_SERIES),
    // A constant empty list: a new array per update would restart the task forever.
    args: () =>
      [this.job?.workers ?? NO_WORKERS, this.compared?.tag ?? null, this.refreshToken] as const,
  });

  private sideBySide = new Task(this, {
    task: ([series, step], { signal }) => tensorsAt(series, step, signal),
    args: () => [this.comparedSeries.value ?? NO_SERIES, this.shownStep] as const,
  });

  /** `steps` and what it was merged from: merging on every render would be wasted work. */
  private stepsMemo: { from: readonly unknown[]; steps: number[] } = { from: [], steps: [] };

  /** The job picked through the state's worker, else the newest selected job. */
  private get choice(): RunChoice {
    const selected = this.selectedRuns();
    return chooseRun(this.state, this.runs, this.jobs, selected, new Set(selected));
  }

  private get job(): JobInfo | null {
    return this.choice.job ?? this.choice.jobs[0] ?? null;
  }

  /**
   * Every step this view draws: the global run's (divergence, timing, class
   * counts) and the compared tag's on any worker, so the step control always
   * matches the maps on screen, even for a job without a global run.
   */
  private get steps(): number[] {
    const global = this.catalog.value?.steps ?? [];
    const series = this.comparedSeries.value ?? NO_SERIES;
    const memo = this.stepsMemo;
    if (memo.from[0] === global && memo.from[1] === series) return memo.steps;
    const compared = series.flatMap((s) => {
      const loaded = loadedValue(s);
      return loaded ? [seriesSteps(loaded)] : [];
    });
    this.stepsMemo = { from: [global, series], steps: mergeSteps([global, ...compared]) };
    return this.stepsMemo.steps;
  }

  private get shownStep(): number | null {
    return shownStep(this.steps, this.step);
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
    if (!catalog || this.comparedSeries.value === undefined) return;
    const series = this.comparedSeries.value.flatMap((s) => loadedValue(s) ?? []);
    const { kept, total } = valueCounts(series);
    const global = catalog.steps.length;
    this.reportSteps({
      steps: this.steps,
      kept: Math.max(kept, global),
      total: Math.max(total, global),
    });
    if (catalog.job === this.job) this.reportLinkProblems(this.linkProblems(catalog));
  }

  /** The linked worker and layer this job cannot show (probe and channel clamp to its maps). */
  private linkProblems(catalog: JobCatalog): string[] {
    const layers = [...new Set(catalog.comparables.map((c) => c.layer))];
    return linkProblems(
      { ...this.state, probe: null, channel: null },
      { workers: this.selectedRuns(), layers },
    );
  }

  override render() {
    const job = this.job;
    if (!job) {
      return emptyMessage(
        'None of the selected runs belongs to a distributed job. A job is a set of runs ' +
          'named <job>/worker-<rank>, with the coordinator at <job>/global; this view ' +
          'compares its workers.',
      );
    }
    return html`${this.renderHeader(job)}
    ${
      isDistributed(job)
        ? renderTask(this.catalog, `the workers of ${job.name}`, (catalog) =>
            catalog ? this.renderJob(catalog) : nothing,
          )
        : emptyMessage(
            `${job.name} is not a distributed job: it has one worker run and no global run, ` +
              'so there is nothing to compare across workers. Its activations and weights are ' +
              'in the Activations and Weights views.',
          )
    }`;
  }

  /** Which job is shown, named, with a picker when the selection holds several. */
  private renderHeader(job: JobInfo) {
    const workers = `${job.workers.length} worker${job.workers.length === 1 ? '' : 's'}`;
    return html`<div class="bar">
      <h2 data-testid="job-name">Job ${job.name}</h2>
      <span class="note">${workers}${job.global ? ' and a global run' : ', no global run'}</span>
      <lb-worker-switch
        .job=${job}
        .jobs=${this.choice.jobs}
        .pickWorker=${false}
        noun="runs"
        run=${this.choice.run ?? ''}
      ></lb-worker-switch>
    </div>`;
  }

  private renderJob(catalog: JobCatalog) {
    const global = catalog.job.global;
    return html`${
        global
          ? this.renderGlobal(catalog)
          : html`<p class="note">
              ${catalog.job.name} has no global run: divergence from the average, class counts and
              step times are logged by a job's coordinator as ${catalog.job.name}/global.
            </p>`
      }
      <section>${this.renderSideBySide(catalog)}</section>`;
  }

  /** What could not be loaded for one part of the view, said in that part's place. */
  private failuresIn(catalog: JobCatalog, part: JobPart) {
    return catalog.failures
      .filter((failure) => failure.part === part)
      .map((failure) => errorMessage(quoted(failure.what), failure.error));
  }

  /**
   * True when a part may be empty because its data could not be loaded, not
   * because none was logged: its own failures, or the global run's tag list
   * for the parts read from the global run.
   */
  private failed(catalog: JobCatalog, part: JobPart): boolean {
    const fromGlobal = part !== 'comparables';
    return catalog.failures.some(
      (failure) => failure.part === part || (fromGlobal && failure.part === 'global'),
    );
  }

  private renderGlobal(catalog: JobCatalog) {
    return html`${this.failuresIn(catalog, 'global')}
      <section>
        <h3>Divergence from the average, per layer</h3>
        ${this.failuresIn(catalog, 'divergence')}
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
            : this.failed(catalog, 'counts')
              ? this.failuresIn(catalog, 'counts')
              : emptyMessage('No data/class_counts logged by the global run.')
        }
      </section>
      <section>
        <h3>Step time at step ${this.shownStep ?? '–'}</h3>
        ${this.failuresIn(catalog, 'timing')}
        ${
          catalog.timing.length
            ? html`<lb-step-time-bars
                .times=${stepTimes(catalog, this.shownStep)}
              ></lb-step-time-bars>`
            : this.failed(catalog, 'timing')
              ? nothing
              : emptyMessage('No timing/worker-<rank>/… scalars logged by the global run.')
        }
      </section>`;
  }

  private renderDivergence(catalog: JobCatalog) {
    if (catalog.divergence.length === 0) {
      if (this.failed(catalog, 'divergence')) return nothing;
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
    if (!compared) {
      return this.failed(catalog, 'comparables')
        ? this.failuresIn(catalog, 'comparables')
        : emptyMessage('The workers logged no activations or templates to compare.');
    }
    const pick = (e: Event) => {
      const option = catalog.comparables[Number((e.target as HTMLSelectElement).value)];
      this.select({ layer: option.layer, tag: option.tag });
    };
    const series = this.comparedSeries.value ?? NO_SERIES;
    const ids =
      series.map(loadedValue).find((s) => s?.metadata?.probeIds?.length)?.metadata?.probeIds ?? [];
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
            ? html`channel ${this.state.channel ?? 0}, ${probeName(this.state.probe ?? 0, ids)}`
            : nothing
        }
        <small>at step ${this.shownStep ?? '–'}</small>
      </h3>
      ${renderTask(this.comparedSeries, `${compared.tag} on every worker`, (all) =>
        renderTask(this.sideBySide, `${compared.tag} on every worker`, (tensors) =>
          this.renderWorkerMaps(catalog, compared, all, tensors),
        ),
      )}`;
  }

  private renderWorkerMaps(
    catalog: JobCatalog,
    compared: Comparable,
    series: readonly WorkerValue<TensorSeries>[],
    values: WorkerValue<LoadedTensor>[],
  ) {
    const job = catalog.job;
    if (compared.kind === 'template') {
      return this.renderWorkerTemplates(catalog, compared, series, values);
    }
    const tensors = values.map(loadedValue);
    const maps = tensors.map((t) =>
      t ? comparedMaps(t, this.state.channel ?? 0, this.state.probe ?? 0) : [],
    );
    const scale = scaleOfMaps(maps.flat());
    return html`<div class="side">
        ${job.workers.map((run, i) => {
          const tensor = tensors[i];
          const layout = tensor ? activationLayout(tensor.shape) : null;
          const failure = values[i] instanceof LoadFailure ? values[i] : null;
          return html`<figure data-run=${run}>
            ${
              failure
                ? errorMessage(`${quoted(compared.tag)} of ${runLabel(run, job)}`, failure.error)
                : maps[i]?.length && layout
                  ? html`<lb-map-grid
                      .maps=${maps[i]}
                      .scales=${scale}
                      .gap=${layout.units ? 0 : 1}
                      .zoom=${layout.units ? UNIT_SIZE : zoomFor(layout.height, layout.width, 96)}
                    ></lb-map-grid>`
                  : 'not logged'
            }
            <figcaption>${runLabel(run, job)}</figcaption>
          </figure>`;
        })}
      </div>
      <lb-color-legend .scale=${scale} label="one scale for every worker"></lb-color-legend>`;
  }

  /** Each worker's class templates, labelled with the classes its units stand for. */
  private renderWorkerTemplates(
    catalog: JobCatalog,
    compared: Comparable,
    series: readonly WorkerValue<TensorSeries>[],
    values: WorkerValue<LoadedTensor>[],
  ) {
    const job = catalog.job;
    const tensors = values.map(loadedValue);
    const ranges = tensors.flatMap((t) => (t ? [valueRange(t.values)] : []));
    const scale = symmetricScale(mergeRanges(ranges));
    return html`<div class="side">
        ${job.workers.map((run, i) => {
          const tensor = tensors[i];
          const labels = loadedValue(series[i] ?? null)?.metadata?.unitLabels ?? NO_LABELS;
          const failure = values[i] instanceof LoadFailure ? values[i] : null;
          return html`<figure data-run=${run}>
            <figcaption>${runLabel(run, job)}</figcaption>
            ${
              failure
                ? errorMessage(`${quoted(compared.tag)} of ${runLabel(run, job)}`, failure.error)
                : tensor
                  ? html`<lb-class-templates
                      .tensor=${tensor}
                      .scale=${scale}
                      .labels=${labels}
                      .size=${SIDE_TEMPLATE_SIZE}
                      noun=${labels.length || tensor.shape[0] <= 10 ? 'class' : 'unit'}
                    ></lb-class-templates>`
                  : 'not logged'
            }
          </figure>`;
        })}
      </div>
      <lb-color-legend .scale=${scale} label="one scale for every worker"></lb-color-legend>`;
  }
}

/** A job with workers to compare: two or more workers, or a coordinator's global run. */
function isDistributed(job: JobInfo): boolean {
  return job.workers.length >= 2 || job.global !== null;
}

/** The finite range of a tensor's values. */
function valueRange(values: Float32Array): ValueRange {
  const range = { ...EMPTY_RANGE };
  for (const value of values) widenRange(range, value);
  return range;
}

/** The maps compared for one worker: one channel of one probe, or a dense layer's units. */
function comparedMaps(tensor: LoadedTensor, channel: number, probe: number): MapRef[] {
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
