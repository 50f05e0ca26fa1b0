/**
 * `<lb-channel-detail>`: one channel (or unit) of one layer, opened from the
 * activations view: its map enlarged with the exact value under the pointer,
 * its statistics for the probe and over all probes, dead and saturated flags,
 * its history over the logged steps, the probes that activate it most, and
 * the same channel on every worker of the job.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { LoadedTensor, ScalarPoint, TensorSeries } from '../api-types.js';
import { errorMessage, renderTask, statusStyles } from '../components/status.js';
import { seriesColor } from '../lib/run-colors.js';
import type { RunScalars } from '../lib/scalar-plot.js';
import { shownStep } from '../lib/steps.js';
import { channelHealth, mapStats, rectifies, type MapStats } from './channel-stats.js';
import { cssColor, type ColorScale } from './color-scale.js';
import { seriesSteps, tensorAt } from './data.js';
import { formatCompact, formatFloat32, formatPercent } from './float-format.js';
import { LoadFailure, loadAcrossWorkers } from './job-data.js';
import { scaleOfMaps } from './layer-scales.js';
import { zoomFor } from './map-grid-layout.js';
import type { ActivationLayer } from './logged-tags.js';
import {
  activationLayout,
  channelAcrossItems,
  itemMap,
  mapValue,
  type MapRef,
} from './tensor-maps.js';
import './lb-color-legend.js';
import './lb-line-chart.js';
import './lb-map-grid.js';
import './lb-map-inspector.js';
import { probeName } from './lb-probe-strip.js';

@customElement('lb-channel-detail')
export class LbChannelDetail extends LitElement {
  static override styles = [
    statusStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(300px, max-content));
        gap: 16px;
        padding: 12px;
        border: 1px solid #e0e0e3;
        border-radius: 6px;
        background: #fff;
      }
      h4 {
        margin: 0 0 6px;
      }
      table {
        font-size: 12px;
        font-variant-numeric: tabular-nums;
        border-collapse: collapse;
      }
      td,
      th {
        padding: 1px 8px 1px 0;
        text-align: left;
      }
      .flag {
        display: inline-block;
        padding: 1px 6px;
        border-radius: 3px;
        background: #fdecea;
        color: #a50e0e;
        font-size: 12px;
        margin-right: 4px;
      }
      .note {
        font-size: 12px;
        color: #5f6368;
        margin-right: 4px;
      }
      .workers {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      figure {
        margin: 0;
        font-size: 11px;
      }
      .unit-value {
        display: flex;
        align-items: center;
        gap: 6px;
        font-size: 13px;
        margin-bottom: 6px;
      }
      .swatch {
        width: 24px;
        height: 24px;
        border: 1px solid #ccc;
      }
    `,
  ];

  @property() run = '';
  @property({ attribute: false }) layer: ActivationLayer | null = null;
  /** The layer's activation at the shown step, every probe. */
  @property({ attribute: false }) tensor: LoadedTensor | null = null;
  @property({ type: Number }) probe = 0;
  @property({ type: Number }) channel = 0;
  /** The scale the layer grid uses for this channel, so the enlarged map matches it. */
  @property({ attribute: false }) scale: ColorScale = { kind: 'sequential', min: 0, max: 0 };
  @property({ attribute: false }) statsSeries: TensorSeries | null = null;
  @property({ attribute: false }) topSeries: TensorSeries | null = null;
  /** Set when the layer logged stats (top probes) but their series could not be loaded. */
  @property({ attribute: false }) statsFailure: { error: unknown } | null = null;
  @property({ attribute: false }) topFailure: { error: unknown } | null = null;
  @property({ attribute: false }) probes: LoadedTensor | null = null;
  @property({ attribute: false }) probeIds: readonly number[] = [];
  @property({ attribute: false }) probeLabels: readonly number[] = [];
  @property({ attribute: false }) predictions: readonly number[] = [];
  /** The class of each output unit, for the predicted labels. */
  @property({ attribute: false }) unitLabels: readonly string[] = [];
  /** Units of the output layer, to tell a probe of a class the model has no output for. */
  @property({ attribute: false }) outputUnits: number | null = null;
  /** The worker runs of the job this run belongs to; empty outside a job. */
  @property({ attribute: false }) workers: readonly string[] = [];

  private history = new Task(this, {
    task: ([series, channel], { signal }) => loadHistory(series, channel, signal),
    args: () => [this.statsSeries, this.channel] as const,
  });

  private top = new Task(this, {
    task: async ([series, step, channel], { signal }) => {
      if (!series || step === undefined) return null;
      const at = shownStep(seriesSteps(series), step);
      return at === null ? null : topProbes(await tensorAt(series, at, signal), channel);
    },
    args: () => [this.topSeries, this.tensor?.step, this.channel] as const,
  });

  private onWorkers = new Task(this, {
    task: async ([runs, tag, step], { signal }) => {
      const tensors = await loadAcrossWorkers(runs, tag, step, signal);
      // A worker that never logged the layer is left out; one that failed says so in its place.
      return runs.flatMap((run, i) => {
        const value = tensors[i];
        return value === null ? [] : [{ run, value }];
      });
    },
    args: () => [this.workers, this.layer?.tag ?? '', this.tensor?.step ?? null] as const,
  });

  override render() {
    if (!this.layer || !this.tensor) return nothing;
    const layout = activationLayout(this.tensor.shape);
    if (this.channel >= layout.channels || this.probe >= layout.items) {
      return html`<p class="status">
        ${this.layer.layer} has no channel ${this.channel} for
        ${probeName(this.probe, this.probeIds)}.
      </p>`;
    }
    const map = itemMap(this.tensor.values, layout, this.probe, this.channel);
    const acrossProbes = channelAcrossItems(this.tensor.values, layout, this.channel);
    const noun = layout.units ? 'unit' : 'channel';
    return html`<section>
        <h4>
          ${this.layer.layer}, ${noun} ${this.channel}, ${probeName(this.probe, this.probeIds)}
        </h4>
        ${layout.units ? this.renderUnitValue(map) : nothing}
        <lb-map-inspector
          .maps=${layout.units ? acrossProbes : [map]}
          .scale=${this.scale}
          .mapNames=${acrossProbes.map((_, p) => probeName(p, this.probeIds))}
          .selected=${layout.units ? this.probe : null}
          legendLabel=${layout.units ? 'every probe' : ''}
        ></lb-map-inspector>
      </section>
      <section>
        ${this.renderStats(
          mapStats([map], this.layer.activation),
          mapStats(acrossProbes, this.layer.activation),
        )}
      </section>
      <section>${this.renderHistory()}</section>
      <section>${this.renderTop()}</section>
      ${
        this.workers.length > 1
          ? html`<section>${this.renderWorkers(layout.units)}</section>`
          : nothing
      }`;
  }

  /**
   * A unit is one value per probe: enlarging that 1 x 1 map says nothing, so
   * the value is written out with its colour, above the strip of every probe.
   */
  private renderUnitValue(map: MapRef) {
    const value = mapValue(map, 0, 0);
    return html`<div class="unit-value" data-testid="unit-value">
      <span class="swatch" style="background:${cssColor(this.scale, value)}"></span>
      ${probeName(this.probe, this.probeIds)}:
      <b data-value=${formatFloat32(value)}>${formatFloat32(value)}</b>
    </div>`;
  }

  private renderStats(probe: MapStats, all: MapStats) {
    const layer = this.layer!;
    const health = channelHealth(all, rectifies(layer.activation, layer.layerKind));
    const row = (name: string, pick: (s: MapStats) => string) =>
      html`<tr>
        <th>${name}</th>
        <td>${pick(probe)}</td>
        <td>${pick(all)}</td>
      </tr>`;
    return html`<h4>Statistics</h4>
      ${
        health.dead
          ? html`<span class="flag" data-flag="dead">dead: zero for every probe</span>`
          : health.alwaysZero
            ? html`<span class="note" data-flag="always-zero">always zero for every probe</span>`
            : nothing
      }
      ${
        health.saturated
          ? html`<span class="flag" data-flag="saturated">saturated across probes</span>`
          : nothing
      }
      <table>
        <tr>
          <th></th>
          <th>this probe</th>
          <th>all probes</th>
        </tr>
        ${row('min', (s) => formatCompact(s.min))} ${row('max', (s) => formatCompact(s.max))}
        ${row('mean', (s) => formatCompact(s.mean))}
        ${row('zero', (s) => formatPercent(s.fractionZero))}
        ${
          this.layer?.activation
            ? row(`saturated (${this.layer.activation})`, (s) => formatPercent(s.fractionSaturated))
            : nothing
        }
        ${all.nonFinite ? row('not finite', (s) => String(s.nonFinite)) : nothing}
      </table>`;
  }

  private renderHistory() {
    if (!this.statsSeries)
      return html`<h4>History</h4>
        ${
          this.statsFailure
            ? errorMessage('the activation_stats of this layer', this.statsFailure.error)
            : html`<p class="status">No activation_stats logged for this layer.</p>`
        }`;
    return renderTask(
      this.history,
      'the channel history',
      (lines) =>
        html`<lb-line-chart
          heading="History over steps"
          .lines=${lines}
          .markStep=${this.tensor?.step ?? null}
          width="320"
        ></lb-line-chart>`,
    );
  }

  private renderTop() {
    if (!this.topSeries)
      return html`<h4>Top probes</h4>
        ${
          this.topFailure
            ? errorMessage('the activation_top of this layer', this.topFailure.error)
            : html`<p class="status">No activation_top logged for this layer.</p>`
        }`;
    return renderTask(
      this.top,
      'the top probes',
      (order) =>
        html`<h4>Probes that activate it most</h4>
          <lb-probe-strip
            .probes=${this.probes}
            .order=${order ?? []}
            .ids=${this.probeIds}
            .labels=${this.probeLabels}
            .predictions=${this.predictions}
            .unitLabels=${this.unitLabels}
            .outputUnits=${this.outputUnits}
            .selected=${this.probe}
            @lb-probe-pick=${(e: CustomEvent<number>) =>
              this.dispatchEvent(new CustomEvent('lb-probe-pick', { detail: e.detail }))}
          >
          </lb-probe-strip>`,
    );
  }

  private renderWorkers(units: boolean) {
    return renderTask(this.onWorkers, 'this channel on every worker', (tensors) => {
      const maps = tensors.map(({ value: tensor }) => {
        if (tensor instanceof LoadFailure) return [];
        const layout = activationLayout(tensor.shape);
        const ok = this.channel < layout.channels && this.probe < layout.items;
        return ok
          ? units
            ? channelAcrossItems(tensor.values, layout, this.channel)
            : [itemMap(tensor.values, layout, this.probe, this.channel)]
          : [];
      });
      const scale = scaleOfMaps(maps.flat());
      return html`<h4>On every worker (one scale)</h4>
        <div class="workers">
          ${tensors.map(
            ({ run, value }, i) =>
              html`<figure data-run=${run}>
                ${
                  value instanceof LoadFailure
                    ? errorMessage(`this layer on ${run}`, value.error)
                    : maps[i].length
                      ? html`<lb-map-grid
                          .maps=${maps[i]}
                          .scales=${scale}
                          .zoom=${units ? 12 : zoomFor(maps[i][0].height, maps[i][0].width, 64)}
                          .gap=${0}
                        ></lb-map-grid>`
                      : 'not logged'
                }
                <figcaption>${run}</figcaption>
              </figure>`,
          )}
        </div>
        <lb-color-legend .scale=${scale}></lb-color-legend>`;
    });
  }
}

/**
 * Mean and max of one channel at every logged step, from the layer's
 * `activation_stats` tensors.
 */
async function loadHistory(
  series: TensorSeries | null,
  channel: number,
  signal: AbortSignal,
): Promise<RunScalars[]> {
  if (!series) return [];
  const names = series.metadata?.statNames ?? [];
  const column = (name: string, fallback: number) =>
    names.includes(name) ? names.indexOf(name) : fallback;
  const columns: [string, number][] = [
    ['mean', column('mean', 0)],
    ['max', column('max', 1)],
  ];
  const lines: RunScalars[] = columns.map(([name]) => ({
    run: name,
    color: seriesColor(name),
    points: [],
  }));
  const tensors = await Promise.all(series.entries.map((e) => tensorAt(series, e.step, signal)));
  series.entries.forEach((entry, i) => {
    const [, stats] = tensors[i].shape;
    columns.forEach(([, col], j) => {
      const point: ScalarPoint = { ...entry, value: tensors[i].values[channel * stats + col] };
      lines[j].points.push(point);
    });
  });
  return lines;
}

/** Probe indices most active first for `channel`, from a `[channels, k]` activation_top tensor. */
function topProbes(tensor: LoadedTensor, channel: number): number[] {
  const [channels, k] = tensor.shape;
  if (channel >= channels) return [];
  return Array.from(tensor.values.subarray(channel * k, channel * k + k), Math.round);
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-channel-detail': LbChannelDetail;
  }
}
