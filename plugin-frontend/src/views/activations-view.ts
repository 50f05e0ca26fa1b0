/**
 * `<lb-activations-view>`: what every neuron of the model does for one probe
 * input at one step. Each layer is a grid of its channels' maps (a dense
 * layer a strip of its units) drawn from the raw logged floats; clicking a
 * channel opens its detail. Probe, layer, channel, step and worker live in
 * the shared ViewState, so a link restores the same channel.
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
import {
  loadCatalog,
  loadFrame,
  type ActivationCatalog,
  type ActivationFrame,
} from '../lensboard/activation-data.js';
import { deadChannels, rectifies } from '../lensboard/channel-stats.js';
import { jobOf } from '../lensboard/job-runs.js';
import { linkProblems } from '../lensboard/link-check.js';
import { hasActivations } from '../lensboard/run-data.js';
import { RunChoiceController, lackingNote } from '../lensboard/run-choice.js';
import {
  SCALE_MODES,
  layerScales,
  type LayerScales,
  type ScaleMode,
} from '../lensboard/layer-scales.js';
import { gridGeometry, gridZoom, type GridHit } from '../lensboard/map-grid-layout.js';
import type { ActivationLayer } from '../lensboard/logged-tags.js';
import {
  activationLayout,
  itemMaps,
  type ItemLayout,
  type MapRef,
} from '../lensboard/tensor-maps.js';
import '../lensboard/lb-channel-detail.js';
import '../lensboard/lb-color-legend.js';
import '../lensboard/lb-map-grid.js';
import '../lensboard/lb-probe-strip.js';
import '../lensboard/lb-worker-switch.js';
import { ViewElement } from './view-base.js';

/** Shared so a plain run hands the channel detail the same list on every render. */
const NO_WORKERS: readonly string[] = [];
const NO_LABELS: readonly string[] = [];

/** A channel map is drawn about this many CSS pixels across: a 28x28 map at 3x, not 1x. */
const CHANNEL_SIZE = 96;
/** A layer's grid stays within this width, so wide layers are not scrolled sideways. */
const LAYER_MAX_WIDTH = 900;

/** A dense layer's units are one value each: a cell this many pixels across reads as a bar. */
const UNIT_SIZE = 16;

function channelZoom(layout: ItemLayout): number {
  const { channels, height, width, units } = layout;
  const grid = gridGeometry(channels, height, width, units ? 0 : 1);
  return gridZoom(grid, units ? UNIT_SIZE : CHANNEL_SIZE, LAYER_MAX_WIDTH);
}

/** Dead channels per activation tensor: computed once per tensor, not per probe switch. */
const deadCache = new WeakMap<LoadedTensor, number[]>();

@customElement('lb-activations-view')
export class LbActivationsView extends ViewElement {
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
      .layer {
        margin: 12px 0;
      }
      .layer h3 {
        margin: 0 0 4px;
        font-size: 14px;
      }
      .layer small {
        color: #5f6368;
        font-weight: normal;
      }
      .note {
        font-size: 12px;
        color: #5f6368;
        margin: 0 0 8px;
      }
      .grid-row {
        display: flex;
        gap: 12px;
        align-items: flex-start;
      }
    `,
  ];

  @state() private scaleMode: ScaleMode = 'layer';

  private chooser = new RunChoiceController(
    this,
    () => ({
      state: this.state,
      runs: this.runs,
      jobs: this.jobs,
      selected: this.selectedRuns(),
      refreshToken: this.refreshToken,
    }),
    hasActivations,
  );

  private catalog = new Task(this, {
    task: ([run], { signal }) => (run === null ? Promise.resolve(null) : loadCatalog(run, signal)),
    args: () => [this.run, this.refreshToken] as const,
  });

  private frame = new Task(this, {
    task: ([catalog, step], { signal }) =>
      catalog && step !== null ? loadFrame(catalog, step, signal) : Promise.resolve(null),
    args: () => [this.catalog.value ?? null, this.shownStep] as const,
  });

  private get run(): string | null {
    return this.chooser.choice?.run ?? null;
  }

  private get shownStep(): number | null {
    return shownStep(this.catalog.value?.steps ?? [], this.step);
  }

  protected override updated(): void {
    const catalog = this.catalog.value;
    if (!catalog) return;
    const runSteps: [string, number][] = catalog.steps.length
      ? [[catalog.run, catalog.steps[catalog.steps.length - 1]]]
      : [];
    this.reportSteps({ steps: catalog.steps, kept: catalog.kept, total: catalog.total, runSteps });
    const frame = this.frame.value;
    if (catalog.run === this.run && frame)
      this.reportLinkProblems(this.linkProblems(catalog, frame));
  }

  /** The linked worker, layer, probe and channel this run's data cannot show. */
  private linkProblems(catalog: ActivationCatalog, frame: ActivationFrame): string[] {
    const hasData = this.chooser.hasData ?? new Set<string>();
    const layer = catalog.layers.find((l) => l.layer === this.state.layer);
    const tensor = layer && frame.tensors.get(layer.layer);
    return linkProblems(this.state, {
      workers: this.selectedRuns().filter((run) => hasData.has(run)),
      layers: catalog.layers.map((l) => l.layer),
      probes: [...frame.tensors.values()][0]?.shape[0],
      channels: tensor ? activationLayout(tensor.shape).channels : undefined,
    });
  }

  override render() {
    return renderTask(this.chooser.task, 'which runs logged activations', () => {
      if (this.run !== null) return this.renderRun();
      const other = this.chooser.failures.length ? 'other ' : '';
      return html`${runFailuresMessage(this.chooser.failures)}
      ${emptyMessage(
        this.selectedRuns().length
          ? `None of the ${other}selected runs has logged activations/<layer> tensors yet; ` +
              'they appear once a run logs them.'
          : 'No runs yet: activations appear once a run logs them.',
      )}`;
    });
  }

  private renderRun() {
    return renderTask(this.catalog, `the layers of ${this.run}`, (catalog) => {
      if (!catalog || catalog.layers.length === 0) {
        return emptyMessage(`${this.run} has no activations/<layer> tensors logged.`);
      }
      return html`${this.renderBar(catalog)}
      ${renderTask(this.frame, `activations at step ${this.shownStep}`, (frame) =>
        frame
          ? this.renderFrame(catalog, frame)
          : catalog.failures.size
            ? tagFailuresMessage(catalog.failures)
            : emptyMessage('No activations logged yet.'),
      )}`;
    });
  }

  private renderBar(catalog: ActivationCatalog) {
    return html`<div class="bar">
        <lb-worker-switch
          .job=${jobOf(catalog.run, this.jobs)}
          .jobs=${this.chooser.choice?.jobs ?? []}
          .hasData=${this.chooser.hasData}
          noun="activations"
          run=${catalog.run}
        ></lb-worker-switch>
        <label
          >Scale
          <select
            data-control="scale"
            @change=${(e: Event) =>
              (this.scaleMode = (e.target as HTMLSelectElement).value as ScaleMode)}
          >
            ${SCALE_MODES.map(
              (mode) =>
                html`<option value=${mode} ?selected=${mode === this.scaleMode}>
                  per ${mode === 'shared' ? 'view (shared)' : mode}
                </option>`,
            )}
          </select></label
        >
      </div>
      ${
        this.chooser.choice
          ? lackingNote(this.chooser.choice, 'activations', this.chooser.failures)
          : nothing
      }`;
  }

  private renderFrame(catalog: ActivationCatalog, frame: ActivationFrame) {
    const probe = this.probe(frame);
    const maps = new Map<string, MapRef[]>();
    for (const layer of catalog.layers) {
      const tensor = frame.tensors.get(layer.layer);
      if (tensor)
        maps.set(layer.layer, itemMaps(tensor.values, activationLayout(tensor.shape), probe));
    }
    const scales = layerScales(maps, this.scaleMode);
    const shared = this.scaleMode === 'shared' ? [...scales.values()][0]?.layer : undefined;
    const probeFailure = frame.probeFailure ?? failureOf(catalog, catalog.probeTag);
    return html`${
      probeFailure
        ? errorMessage(`the probe inputs (${catalog.probeTag})`, probeFailure.error)
        : html`<lb-probe-strip
            .probes=${frame.probes}
            .ids=${catalog.probeIds}
            .labels=${catalog.probeLabels}
            .predictions=${frame.predictions}
            .unitLabels=${catalog.output?.unitLabels ?? NO_LABELS}
            .outputUnits=${outputUnits(catalog, frame)}
            .selected=${probe}
            @lb-probe-pick=${(e: CustomEvent<number>) => this.select({ probe: e.detail })}
          ></lb-probe-strip>`
    }
    ${
      shared
        ? html`<lb-color-legend .scale=${shared} label="every layer"></lb-color-legend>`
        : nothing
    }
    ${catalog.layers.map((layer) =>
      this.renderLayer(catalog, frame, layer, maps.get(layer.layer), scales.get(layer.layer)),
    )}`;
  }

  private renderLayer(
    catalog: ActivationCatalog,
    frame: ActivationFrame,
    layer: ActivationLayer,
    maps: MapRef[] | undefined,
    scales: LayerScales | undefined,
  ) {
    const tensor = frame.tensors.get(layer.layer);
    if (!tensor || !maps || !scales) {
      const failure = failureOf(catalog, layer.tag);
      return html`<section class="layer" data-layer=${layer.layer}>
        <h3 class="tag" title=${layer.layer}>${layer.layer}</h3>
        ${
          frame.failures.has(layer.layer)
            ? errorMessage(
                `${quoted(layer.tag)} at step ${frame.step}`,
                frame.failures.get(layer.layer),
              )
            : failure
              ? errorMessage(quoted(layer.tag), failure.error)
              : `not logged at or before step ${frame.step}`
        }
      </section>`;
    }
    const layout = activationLayout(tensor.shape);
    const selected = this.state.layer === layer.layer ? this.state.channel : null;
    // All-zero channels are "dead" only behind a rectifier; elsewhere zeros are just values.
    const rectifying = rectifies(layer.activation, layer.layerKind);
    const dead = rectifying ? (deadCache.get(tensor) ?? deadChannels(tensor.values, layout)) : [];
    deadCache.set(tensor, dead);
    const noun = layout.units ? 'units' : 'channels';
    return html`<section class="layer" data-layer=${layer.layer}>
      <h3>
        ${layer.layer}
        <small
          >${layer.layerKind} [${tensor.shape.join(', ')}] ${layer.activation} · ${layout.channels}
          ${noun}${dead.length ? ` · ${dead.length} dead` : ''}
          ${tensor.step !== frame.step ? ` · from step ${tensor.step}` : ''}</small
        >
      </h3>
      <div class="grid-row">
        <lb-map-grid
          .maps=${maps}
          .scales=${this.scaleMode === 'channel' ? scales.perMap : scales.layer}
          .zoom=${channelZoom(layout)}
          .gap=${layout.units ? 0 : 1}
          .selected=${selected}
          label="${layer.layer}: ${layout.channels} ${noun}"
          @lb-tile-click=${(e: CustomEvent<GridHit>) =>
            this.select({ layer: layer.layer, channel: e.detail.index })}
        ></lb-map-grid>
        ${
          this.scaleMode === 'layer'
            ? html`<lb-color-legend .scale=${scales.layer}></lb-color-legend>`
            : nothing
        }
      </div>
      ${
        selected !== null && selected < layout.channels
          ? this.renderDetail(catalog, frame, layer, tensor, selected, scales.perMap[selected])
          : nothing
      }
    </section>`;
  }

  private renderDetail(
    catalog: ActivationCatalog,
    frame: ActivationFrame,
    layer: ActivationLayer,
    tensor: LoadedTensor,
    channel: number,
    scale: LayerScales['layer'],
  ) {
    return html`<lb-channel-detail
      run=${catalog.run}
      .layer=${layer}
      .tensor=${tensor}
      .probe=${this.probe(frame)}
      .channel=${channel}
      .scale=${scale}
      .statsSeries=${layer.statsTag ? (catalog.series.get(layer.statsTag) ?? null) : null}
      .topSeries=${layer.topTag ? (catalog.series.get(layer.topTag) ?? null) : null}
      .statsFailure=${failureOf(catalog, layer.statsTag)}
      .topFailure=${failureOf(catalog, layer.topTag)}
      .probes=${frame.probes}
      .probeIds=${catalog.probeIds}
      .probeLabels=${catalog.probeLabels}
      .predictions=${frame.predictions}
      .unitLabels=${catalog.output?.unitLabels ?? NO_LABELS}
      .outputUnits=${outputUnits(catalog, frame)}
      .workers=${jobOf(catalog.run, this.jobs)?.workers ?? NO_WORKERS}
      @lb-probe-pick=${(e: CustomEvent<number>) => this.select({ probe: e.detail })}
    ></lb-channel-detail>`;
  }

  /** The probe in the state when this frame has it, else the first. */
  private probe(frame: ActivationFrame): number {
    const count = [...frame.tensors.values()][0]?.shape[0] ?? 0;
    const wanted = this.state.probe ?? 0;
    return wanted >= 0 && wanted < count ? wanted : 0;
  }
}

/** Units of the output layer at this frame (its classes), or null without one. */
function outputUnits(catalog: ActivationCatalog, frame: ActivationFrame): number | null {
  const output = catalog.output && frame.tensors.get(catalog.output.layer);
  return output && output.shape.length === 2 ? output.shape[1] : null;
}

/** Why the catalog could not load `tag`'s series, or null when it could (or there is no tag). */
function failureOf(catalog: ActivationCatalog, tag: string | null): { error: unknown } | null {
  return tag !== null && catalog.failures.has(tag) ? { error: catalog.failures.get(tag) } : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-activations-view': LbActivationsView;
  }
}
