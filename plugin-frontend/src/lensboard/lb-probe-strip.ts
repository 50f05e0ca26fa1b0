/**
 * `<lb-probe-strip>`: thumbnails of probe inputs with their true and predicted
 * labels; clicking one emits `lb-probe-pick` with its index. Used to pick the
 * probe the activations view shows and to list a channel's top probes.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LoadedTensor } from '../api-types.js';
import type { ColorScale } from './color-scale.js';
import { zoomFor } from './map-grid-layout.js';
import { mapRange } from './paint-map.js';
import { activationLayout, itemMap, templateLayout, type MapRef } from './tensor-maps.js';
import './lb-map-grid.js';

@customElement('lb-probe-strip')
export class LbProbeStrip extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }
    button {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 2px;
      padding: 3px;
      border: 2px solid transparent;
      border-radius: 4px;
      background: #fff;
      font:
        11px system-ui,
        sans-serif;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      border-color: #ff9800;
    }
    .wrong {
      color: #c62828;
      font-weight: 600;
    }
  `;

  /** The probe inputs `[probes, ...input]`. */
  @property({ attribute: false }) probes: LoadedTensor | null = null;
  /** Which probes to show, in order; every probe when null. */
  @property({ attribute: false }) order: readonly number[] | null = null;
  @property({ attribute: false }) labels: readonly number[] = [];
  @property({ attribute: false }) predictions: readonly number[] = [];
  @property({ type: Number }) selected: number | null = null;

  override render() {
    const maps = this.probes ? probeMaps(this.probes) : [];
    if (maps.length === 0) return html`<span>no probe inputs logged</span>`;
    const scale = probeScale(maps);
    const order = this.order ?? maps.map((_, i) => i);
    return order.filter((p) => p < maps.length).map((p) => this.thumbnail(p, maps[p], scale));
  }

  private thumbnail(probe: number, map: MapRef, scale: ColorScale) {
    const label = this.labels[probe] ?? -1;
    const predicted = this.predictions[probe] ?? -1;
    const wrong = label >= 0 && predicted >= 0 && label !== predicted;
    return html`<button
      aria-pressed=${this.selected === probe}
      data-probe=${probe}
      title="probe ${probe}"
      @click=${() => this.dispatchEvent(new CustomEvent('lb-probe-pick', { detail: probe }))}
    >
      <lb-map-grid
        .maps=${[map]}
        .scales=${scale}
        .zoom=${zoomFor(map.height, map.width, 40)}
        label="probe ${probe}"
      ></lb-map-grid>
      <span class=${wrong ? 'wrong' : ''}>
        ${label >= 0 ? `true ${label}` : 'true ?'} ·
        ${predicted >= 0 ? `pred ${predicted}` : 'pred ?'}
      </span>
    </button>`;
  }
}

/** The first channel of each probe input, a flat input drawn square when it is one. */
export function probeMaps(probes: LoadedTensor): MapRef[] {
  const layout =
    probes.shape.length <= 3 ? templateLayout(probes.shape) : activationLayout(probes.shape);
  return Array.from({ length: layout.items }, (_, p) => itemMap(probes.values, layout, p, 0));
}

/** Inputs are drawn as ink: darkest at their largest value, one range for all probes. */
function probeScale(maps: MapRef[]): ColorScale {
  const ranges = maps.map(mapRange);
  const min = Math.min(...ranges.map((r) => r.min));
  const max = Math.max(...ranges.map((r) => r.max));
  return {
    kind: 'greys',
    min: Number.isFinite(min) ? min : 0,
    max: Number.isFinite(max) ? max : 0,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-probe-strip': LbProbeStrip;
  }
}
