/**
 * `<lb-weights-view>`: what the model has learned. Class templates (the
 * weights into each output unit, shaped like its input) in red, white and
 * blue on a symmetric scale; convolution kernels as a grid of filters and
 * dense kernels as each unit's incoming weights. Any logged step, any worker,
 * and a difference view of this worker minus the workers' average.
 */
import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { LoadedTensor } from '../api-types.js';
import {
  emptyMessage,
  errorMessage,
  renderTask,
  quoted,
  runFailuresMessage,
  statusStyles,
  tagFailuresMessage,
  tagHeadingStyles,
} from '../components/status.js';
import { shownStep } from '../lib/steps.js';
import { symmetricScale, type ColorScale } from '../lensboard/color-scale.js';
import { jobOf, runLabel } from '../lensboard/job-runs.js';
import { linkProblems } from '../lensboard/link-check.js';
import { hasWeights } from '../lensboard/run-data.js';
import { RunChoiceController, lackingNote } from '../lensboard/run-choice.js';
import type { NamedTensorTag } from '../lensboard/logged-tags.js';
import { gridGeometry, gridZoom, type GridHit } from '../lensboard/map-grid-layout.js';
import { mapRange } from '../lensboard/paint-map.js';
import { mergeRanges } from '../lensboard/color-scale.js';
import {
  incomingWeights,
  itemMaps,
  kernelMaps,
  templateLayout,
  type MapRef,
} from '../lensboard/tensor-maps.js';
import {
  loadWeightCatalog,
  loadWeightFrame,
  sharedTags,
  type WeightCatalog,
  type WeightFrame,
} from '../lensboard/weight-data.js';
import { unitName } from '../lensboard/lb-class-templates.js';
import '../lensboard/lb-color-legend.js';
import '../lensboard/lb-map-grid.js';
import '../lensboard/lb-map-inspector.js';
import '../lensboard/lb-worker-switch.js';
import { ViewElement } from './view-base.js';

/**
 * A weight tensor laid out for drawing: its tiles, how many per row, and what a
 * tile click opens.
 */
interface WeightPanel {
  maps: MapRef[];
  columns: number | undefined;
  /** Units (classes, filters) drawn, and the unit a tile belongs to: the state names units. */
  units: number;
  unitOf(tile: number): number;
  /** Set for templates: what a unit is called (`class`, `unit`); they draw as labelled figures. */
  noun?: string;
  /** The maps shown enlarged for a unit, and their names. */
  detail(unit: number): { maps: MapRef[]; names: string[]; title: string };
}

/** What a panel of the difference view says it shows. */
const DIFFERENCE_NOTE = 'difference from the workers\u2019 average';

@customElement('lb-weights-view')
export class LbWeightsView extends ViewElement {
  static override styles = [
    statusStyles,
    tagHeadingStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        align-items: center;
        margin-bottom: 8px;
      }
      section {
        margin: 12px 0;
      }
      h3 {
        margin: 0 0 4px;
        font-size: 14px;
      }
      .note {
        font-size: 12px;
        color: #5f6368;
        margin: 0 0 8px;
      }
      lb-class-templates {
        flex: 1 1 0;
        min-width: 0;
      }
      .row {
        display: flex;
        gap: 16px;
        align-items: flex-start;
        flex-wrap: wrap;
      }
    `,
  ];

  /** Show this worker minus the average of the job's workers. */
  @state() private difference = false;

  private chooser = new RunChoiceController(
    this,
    () => ({
      state: this.state,
      runs: this.runs,
      jobs: this.jobs,
      selected: this.selectedRuns(),
      refreshToken: this.refreshToken,
    }),
    hasWeights,
  );

  private catalog = new Task(this, {
    task: ([run], { signal }) =>
      run === null ? Promise.resolve(null) : loadWeightCatalog(run, signal),
    args: () => [this.run, this.refreshToken] as const,
  });

  /** The tags of this run that every worker of its job logged too: those a difference can use. */
  private shared = new Task(this, {
    task: ([catalog, workers], { signal }) =>
      catalog && workers.length >= 2 ? sharedTags(catalog, workers, signal) : Promise.resolve(null),
    args: () => [this.catalog.value ?? null, this.jobWorkers, this.refreshToken] as const,
  });

  private frame = new Task(this, {
    task: ([catalog, step, workers, shared], { signal }) =>
      catalog && step !== null
        ? loadWeightFrame(catalog, step, workers, shared ?? NO_TAGS, signal)
        : Promise.resolve(null),
    args: () =>
      [
        this.catalog.value ?? null,
        this.shownStep,
        this.averagedWorkers,
        this.shared.value ?? null,
      ] as const,
  });

  private get run(): string | null {
    return this.chooser.choice?.run ?? null;
  }

  private get shownStep(): number | null {
    return shownStep(this.catalog.value?.steps ?? [], this.step);
  }

  /** The workers of this run's job, when there are two or more to average. */
  private get jobWorkers(): readonly string[] {
    const job = jobOf(this.run, this.jobs);
    return job && job.workers.length >= 2 ? job.workers : NO_WORKERS;
  }

  /**
   * The workers averaged for the difference view; empty when it is off, there
   * is no job, or the workers share no tag with this run (the option is then
   * disabled, but a state kept from another run must not ask for it).
   */
  private get averagedWorkers(): readonly string[] {
    const shared = this.shared.value;
    return this.difference && shared && shared.size > 0 ? this.jobWorkers : NO_WORKERS;
  }

  protected override updated(): void {
    const catalog = this.catalog.value;
    if (!catalog) return;
    const runSteps: [string, number][] = catalog.steps.length
      ? [[catalog.run, catalog.steps[catalog.steps.length - 1]]]
      : [];
    this.reportSteps({ steps: catalog.steps, kept: catalog.kept, total: catalog.total, runSteps });
    if (catalog.run === this.run) this.reportLinkProblems(this.linkProblems(catalog));
  }

  /** The linked worker and layer this run's weights cannot show. */
  private linkProblems(catalog: WeightCatalog): string[] {
    const hasData = this.chooser.hasData ?? new Set<string>();
    const layers = [...new Set([...catalog.templates, ...catalog.kernels].map((t) => t.layer))];
    return linkProblems(
      { ...this.state, probe: null, channel: null },
      { workers: this.selectedRuns().filter((run) => hasData.has(run)), layers },
    );
  }

  override render() {
    return renderTask(this.chooser.task, 'which runs logged weights', () => {
      if (this.run !== null) return this.renderRun();
      const other = this.chooser.failures.length ? 'other ' : '';
      return html`${runFailuresMessage(this.chooser.failures)}
      ${emptyMessage(
        this.selectedRuns().length
          ? `None of the ${other}selected runs has logged templates/<layer> or ` +
              'weights/<layer>/kernel tensors yet; they appear once a run logs them.'
          : 'No runs yet: weights appear once a run logs them.',
      )}`;
    });
  }

  private renderRun() {
    return renderTask(this.catalog, `the weights of ${this.run}`, (catalog) => {
      if (!catalog || catalog.templates.length + catalog.kernels.length === 0) {
        return emptyMessage(
          `${this.run} has no templates/<layer> or weights/<layer>/kernel tensors logged.`,
        );
      }
      return html`${this.renderBar(catalog)}
      ${renderTask(this.frame, `weights at step ${this.shownStep}`, (frame) =>
        frame
          ? this.renderFrame(catalog, frame)
          : catalog.failures.size
            ? tagFailuresMessage(catalog.failures)
            : emptyMessage('No weights logged yet.'),
      )}`;
    });
  }

  private renderBar(catalog: WeightCatalog) {
    const job = jobOf(catalog.run, this.jobs);
    const canDiffer = job !== null && job.workers.length >= 2;
    // Until the workers' tags are known the option is offered; a run sharing none is told why not.
    const shared = this.shared.value;
    const noneShared = canDiffer && shared !== null && shared !== undefined && shared.size === 0;
    return html`<div class="bar">
        <lb-worker-switch
          .job=${job}
          .jobs=${this.chooser.choice?.jobs ?? []}
          .hasData=${this.chooser.hasData}
          noun="weights"
          run=${catalog.run}
        ></lb-worker-switch>
        ${
          canDiffer
            ? html`<label
                  ><input
                    type="checkbox"
                    data-control="difference"
                    .checked=${this.difference && !noneShared}
                    ?disabled=${noneShared}
                    @change=${(e: Event) =>
                      (this.difference = (e.target as HTMLInputElement).checked)}
                  />
                  ${runLabel(catalog.run, job)} minus the average of ${job!.workers.length}
                  workers</label
                >${
                  noneShared
                    ? html`<span class="note" data-testid="no-shared-layers"
                        >the workers log none of this run's layers</span
                      >`
                    : nothing
                }`
            : nothing
        }
      </div>
      ${
        this.chooser.choice
          ? lackingNote(this.chooser.choice, 'weights', this.chooser.failures)
          : nothing
      }`;
  }

  private renderFrame(catalog: WeightCatalog, frame: WeightFrame) {
    const inputShapes = new Map(catalog.templates.map((t) => [t.layer, channelsLast(t.shape)]));
    // With a difference on, a tag no worker logged is drawn as logged, and says so.
    const whatOf = (tag: string) =>
      !frame.averagedOver
        ? ''
        : frame.differenced.has(tag)
          ? DIFFERENCE_NOTE
          : 'as logged: the workers do not log this layer';
    // Templates come in model order: the last is the output layer, whose units are classes.
    const last = catalog.templates.length - 1;
    // A tag that could not be loaded is said in its place; the others are drawn.
    const failed = (tag: string, title: string) =>
      frame.failures.has(tag) || catalog.failures.has(tag)
        ? html`<section data-tag=${tag}>
            <h3 class="tag" title=${title}>${title}</h3>
            ${
              frame.failures.has(tag)
                ? errorMessage(`${quoted(tag)} at step ${frame.step}`, frame.failures.get(tag))
                : errorMessage(quoted(tag), catalog.failures.get(tag))
            }
          </section>`
        : null;
    return html`${catalog.templates.map((t, i) => {
      const classes = i === last || t.unitLabels.length > 0;
      const noun = classes ? 'class' : 'unit';
      const title = `${classes ? 'Class' : 'Unit'} templates of ${t.layer}`;
      const tensor = frame.tensors.get(t.tag);
      return (
        failed(t.tag, title) ??
        this.renderPanel(t, tensor, title, whatOf(t.tag), (loaded) =>
          templatePanel(loaded, noun, t.unitLabels),
        )
      );
    })}
    ${catalog.kernels.map((k) => {
      const title = `Kernel of ${k.layer}`;
      return (
        failed(k.tag, title) ??
        this.renderPanel(k, frame.tensors.get(k.tag), title, whatOf(k.tag), (tensor) =>
          kernelPanel(tensor, inputShapes.get(k.layer)),
        )
      );
    })}`;
  }

  private renderPanel(
    named: NamedTensorTag,
    tensor: LoadedTensor | undefined,
    title: string,
    what: string,
    layout: (tensor: LoadedTensor) => WeightPanel,
  ) {
    if (!tensor)
      return html`<section>
        <h3>${title}</h3>
        not logged at or before this step
      </section>`;
    const panel = layout(tensor);
    const scale = symmetricScale(mergeRanges(panel.maps.map(mapRange)));
    // A difference of exactly 0 everywhere (an averaged model at an averaging
    // step) draws as one blank colour: say it, or the view looks broken.
    if (what === DIFFERENCE_NOTE && tensor.values.every((value) => value === 0)) {
      what = `${what}: identical, every difference is 0`;
    }
    const selected = this.state.tag === named.tag ? this.state.channel : null;
    const detail = selected !== null && selected < panel.units ? panel.detail(selected) : null;
    const pick = (unit: number) =>
      this.select({ tag: named.tag, layer: named.layer, channel: unit });
    return html`<section data-tag=${named.tag}>
      <h3>${title} <small>[${tensor.shape.join(', ')}] at step ${tensor.step} ${what}</small></h3>
      <div class="row">
        ${
          panel.noun
            ? html`<lb-class-templates
                .tensor=${tensor}
                .scale=${scale}
                .selected=${detail ? selected : null}
                .labels=${named.unitLabels}
                noun=${panel.noun}
                @lb-unit-pick=${(e: CustomEvent<number>) => pick(e.detail)}
              ></lb-class-templates>`
            : this.renderGrid(panel, scale, detail, title, pick)
        }
        <lb-color-legend .scale=${scale} label="symmetric"></lb-color-legend>
        ${detail ? this.renderDetail(detail, scale) : nothing}
      </div>
    </section>`;
  }

  private renderGrid(
    panel: WeightPanel,
    scale: ColorScale,
    detail: ReturnType<WeightPanel['detail']> | null,
    title: string,
    pick: (unit: number) => void,
  ) {
    const first = panel.maps[0];
    return html`<lb-map-grid
      .maps=${panel.maps}
      .scales=${scale}
      .columns=${panel.columns}
      .selected=${detail ? panel.maps.indexOf(detail.maps[0]) : null}
      .zoom=${gridZoom(
        gridGeometry(panel.maps.length, first.height, first.width, 1, panel.columns),
        KERNEL_TILE_SIZE,
        KERNEL_MAX_WIDTH,
      )}
      label=${title}
      @lb-tile-click=${(e: CustomEvent<GridHit>) => pick(panel.unitOf(e.detail.index))}
    ></lb-map-grid>`;
  }

  private renderDetail(detail: ReturnType<WeightPanel['detail']>, scale: ColorScale) {
    return html`<div>
      <h3>${detail.title}</h3>
      <lb-map-inspector
        .maps=${detail.maps}
        .mapNames=${detail.names}
        .scale=${scale}
      ></lb-map-inspector>
    </div>`;
  }
}

const NO_WORKERS: readonly string[] = [];
/** One empty set, so that the frame task sees an unchanged argument while nothing is shared. */
const NO_TAGS: ReadonlySet<string> = new Set();

/** CSS pixels across a kernel's filter: a 3x3 or 5x5 filter must still be readable. */
const KERNEL_TILE_SIZE = 56;
/** A kernel's grid stays within this width unless one pixel per value is already wider. */
const KERNEL_MAX_WIDTH = 900;

/**
 * A dense layer's input shape before flattening, from its template `[units, c, h,
 * w]` or `[units, h, w]`.
 */
function channelsLast(templateShape: readonly number[]): number[] {
  const [, ...perUnit] = templateShape;
  return perUnit.length === 3 ? [perUnit[1], perUnit[2], perUnit[0]] : perUnit;
}

/** One figure per unit (`lb-class-templates`); a unit's detail is its input channels enlarged. */
function templatePanel(tensor: LoadedTensor, noun: string, labels: readonly string[]): WeightPanel {
  const layout = templateLayout(tensor.shape);
  const perUnit = Array.from({ length: layout.items }, (_, u) =>
    itemMaps(tensor.values, layout, u),
  );
  const names = Array.from({ length: layout.channels }, (_, c) => `input channel ${c}`);
  return {
    maps: perUnit.flat(),
    columns: layout.channels > 1 ? layout.channels : undefined,
    units: layout.items,
    unitOf: (tile) => Math.floor(tile / layout.channels),
    detail: (unit) => ({ maps: perUnit[unit], names, title: unitName(noun, unit, labels) }),
    noun,
  };
}

/** A conv kernel as rows of input channels by columns of filters; a dense kernel as units. */
function kernelPanel(tensor: LoadedTensor, inputShape: number[] | undefined): WeightPanel {
  if (tensor.shape.length === 4) {
    const [, , inputs, outputs] = tensor.shape;
    const maps = kernelMaps(tensor);
    const names = Array.from({ length: inputs }, (_, i) => `input channel ${i}`);
    return {
      maps,
      columns: outputs,
      units: outputs,
      unitOf: (tile) => tile % outputs,
      detail: (filter) => {
        const column = Array.from({ length: inputs }, (_, i) => maps[i * outputs + filter]);
        return { maps: column, names, title: `Filter ${filter}` };
      },
    };
  }
  const units = tensor.shape[1] ?? 0;
  const incoming = Array.from({ length: units }, (_, u) => incomingWeights(tensor, u, inputShape));
  return {
    maps: incoming.map((maps) => maps[0]),
    columns: undefined,
    units,
    unitOf: (tile) => tile,
    detail: (unit) => ({ maps: incoming[unit], names: [], title: `Weights into unit ${unit}` }),
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-weights-view': LbWeightsView;
  }
}
