/**
 * `<lb-map-inspector>`: one or a few maps enlarged, with the exact logged
 * float32 under the pointer and its cell. The readout keeps the last cell
 * pointed at, so the value can be read after the pointer leaves.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ColorScale } from './color-scale.js';
import { formatFloat32 } from './float-format.js';
import { gridGeometry, gridZoom, type GridHit } from './map-grid-layout.js';
import { mapValue, type MapRef } from './tensor-maps.js';
import './lb-color-legend.js';
import './lb-map-grid.js';

/** Enlarged maps are about this many CSS pixels across, whatever their size in values. */
const TARGET_SIZE = 224;
/**
 * The widest the enlarged grid may be: its parent lays it out in a column of
 * about 300 px. Zooming one 1 x 1 unit to TARGET_SIZE would make a strip of
 * many of them thousands of pixels wide, over the statistics beside it.
 */
const MAX_WIDTH = 280;
/** A single value (a unit) is drawn this many CSS pixels across: a readable cell, not a wall. */
const UNIT_SIZE = 24;

@customElement('lb-map-inspector')
export class LbMapInspector extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      flex-direction: column;
      gap: 4px;
    }
    .readout {
      font:
        12px ui-monospace,
        monospace;
      min-height: 1.4em;
    }
  `;

  @property({ attribute: false }) maps: readonly MapRef[] = [];
  @property({ attribute: false }) scale: ColorScale = { kind: 'sequential', min: 0, max: 0 };
  /** Names of the maps for the readout (channel numbers of a template, say). */
  @property({ attribute: false }) mapNames: readonly string[] = [];
  @property() legendLabel = '';
  /** The map outlined (the shown probe in a strip of a unit across probes), or null. */
  @property({ type: Number }) selected: number | null = null;

  @state() private hit: GridHit | null = null;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('maps')) this.hit = null;
  }

  override render() {
    const first = this.maps[0];
    if (!first) return html`<span>nothing to show</span>`;
    // Single values (units) read as one bar without gaps, as in the layer's strip.
    const unit = first.height === 1 && first.width === 1;
    const gap = unit ? 0 : 1;
    const geometry = gridGeometry(this.maps.length, first.height, first.width, gap);
    const zoom = gridZoom(geometry, unit ? UNIT_SIZE : TARGET_SIZE, MAX_WIDTH);
    return html`<lb-map-grid
        .maps=${this.maps}
        .scales=${this.scale}
        .zoom=${zoom}
        .gap=${gap}
        .selected=${this.selected}
        label="enlarged map"
        @lb-tile-hover=${(e: CustomEvent<GridHit | null>) => e.detail && (this.hit = e.detail)}
      ></lb-map-grid>
      <div class="readout" data-testid="value-readout">${this.readout()}</div>
      <lb-color-legend .scale=${this.scale} label=${this.legendLabel}></lb-color-legend>`;
  }

  private readout() {
    if (!this.hit) return 'point at the map to read a value';
    const { index, y, x } = this.hit;
    const value = mapValue(this.maps[index], y, x);
    const name = this.maps.length > 1 ? `${this.mapNames[index] ?? index}` : '';
    const map = this.maps[index];
    // A single value has no rows or columns worth naming.
    const cell = map.height === 1 && map.width === 1 ? '' : `row ${y}, column ${x}`;
    const where = [name, cell].filter(Boolean).join(', ');
    return html`${where}: <b data-value=${formatFloat32(value)}>${formatFloat32(value)}</b>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-map-inspector': LbMapInspector;
  }
}
