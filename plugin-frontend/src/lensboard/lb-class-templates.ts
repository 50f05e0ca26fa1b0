/**
 * `<lb-class-templates>`: a dense layer's templates (the weights into each
 * unit, shaped like its input), one labelled figure per unit, each drawn
 * large enough to read (about 120 CSS pixels, integer zoom, crisp pixels) on
 * the one symmetric scale of the layer. The logged float under the pointer
 * is shown with its unit, channel and cell; a click picks the unit
 * (`lb-unit-pick`).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LoadedTensor } from '../api-types.js';
import type { ColorScale } from './color-scale.js';
import { formatFloat32 } from './float-format.js';
import { gridGeometry, zoomFor, type GridHit } from './map-grid-layout.js';
import { itemMaps, mapValue, templateLayout, type ItemLayout, type MapRef } from './tensor-maps.js';
import './lb-map-grid.js';

/** CSS pixels across one unit's figure: large enough to read a 28x28 digit template. */
export const TEMPLATE_SIZE = 120;
/** Every weight at least this many CSS pixels across, so a long thin template stays readable. */
const MIN_CELL = 10;
/** ...unless that would make one figure wider than this. */
const MAX_FIGURE_WIDTH = 480;

/**
 * CSS pixels per weight for a figure of `height` x `width` cells: about
 * TEMPLATE_SIZE across, and no cell smaller than MIN_CELL while the figure
 * fits MAX_FIGURE_WIDTH.
 */
export function templateZoom(height: number, width: number, target = TEMPLATE_SIZE): number {
  const readable = Math.min(MIN_CELL, Math.floor(MAX_FIGURE_WIDTH / Math.max(1, width)));
  return Math.max(zoomFor(height, width, target), readable, 1);
}

/** What unit `unit` is called: `class 5` from the layer's unit labels, else `class 0` by index. */
export function unitName(noun: string, unit: number, labels: readonly string[]): string {
  return `${noun} ${labels[unit] || unit}`;
}

/** The unit and cell under the pointer. */
interface Hovered {
  unit: number;
  hit: GridHit;
}

@customElement('lb-class-templates')
export class LbClassTemplates extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .units {
      display: flex;
      flex-wrap: wrap;
      gap: 10px 12px;
    }
    figure {
      margin: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 2px;
      cursor: pointer;
    }
    figcaption {
      font-size: 12px;
      color: #3c4043;
      font-variant-numeric: tabular-nums;
    }
    figure.picked figcaption {
      color: #e37400;
      font-weight: 600;
    }
    figure.picked lb-map-grid {
      outline: 2px solid #ff9800;
      outline-offset: 1px;
    }
    .readout {
      font:
        12px ui-monospace,
        monospace;
      min-height: 1.4em;
      margin-top: 6px;
    }
  `;

  @property({ attribute: false }) tensor: LoadedTensor | null = null;
  @property({ attribute: false }) scale: ColorScale = { kind: 'diverging', min: 0, max: 0 };
  /** What a unit is called in labels: `class` for an output layer, `unit` for a hidden one. */
  @property() noun = 'class';
  /** The class each unit stands for (the tag's `unitLabels`); empty: unit i is class i. */
  @property({ attribute: false }) labels: readonly string[] = [];
  /** CSS pixels across one figure. */
  @property({ type: Number }) size = TEMPLATE_SIZE;
  /** The picked unit, outlined. */
  @property({ type: Number }) selected: number | null = null;

  @state() private hovered: Hovered | null = null;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('tensor')) this.hovered = null;
  }

  override render() {
    const tensor = this.tensor;
    if (!tensor) return nothing;
    const layout = templateLayout(tensor.shape);
    const units = Array.from({ length: layout.items }, (_, u) =>
      itemMaps(tensor.values, layout, u),
    );
    const grid = gridGeometry(layout.channels, layout.height, layout.width, 1);
    const zoom = templateZoom(grid.height, grid.width, this.size);
    return html`<div class="units">${units.map((maps, u) => this.renderUnit(maps, u, zoom))}</div>
      <div class="readout" data-testid="template-readout">${this.readout(units, layout)}</div>`;
  }

  private renderUnit(maps: MapRef[], unit: number, zoom: number) {
    const label = unitName(this.noun, unit, this.labels);
    return html`<figure class=${this.selected === unit ? 'picked' : ''} data-unit=${unit}>
      <lb-map-grid
        .maps=${maps}
        .scales=${this.scale}
        .zoom=${zoom}
        .gap=${1}
        label=${label}
        @lb-tile-click=${() => this.pick(unit)}
        @lb-tile-hover=${(e: CustomEvent<GridHit | null>) =>
          e.detail && (this.hovered = { unit, hit: e.detail })}
      ></lb-map-grid>
      <figcaption>${label}</figcaption>
    </figure>`;
  }

  private readout(units: MapRef[][], layout: ItemLayout) {
    if (!this.hovered) return 'point at a template to read a weight';
    const { unit, hit } = this.hovered;
    const maps = units[unit];
    if (!maps?.[hit.index]) return nothing;
    const value = formatFloat32(mapValue(maps[hit.index], hit.y, hit.x));
    const channel = maps.length > 1 ? `, input channel ${hit.index}` : '';
    // A folded vector has no rows of its own: its cells are inputs in order.
    const cell = layout.folded
      ? `input ${hit.y * layout.width + hit.x}`
      : `row ${hit.y}, column ${hit.x}`;
    return html`${unitName(this.noun, unit, this.labels)}${channel}, ${cell}:
      <b data-value=${value}>${value}</b>`;
  }

  private pick(unit: number): void {
    this.dispatchEvent(new CustomEvent('lb-unit-pick', { detail: unit }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-class-templates': LbClassTemplates;
  }
}
