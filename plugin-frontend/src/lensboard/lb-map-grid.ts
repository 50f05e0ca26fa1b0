/**
 * `<lb-map-grid>`: many maps of raw values on one canvas (a layer's channels,
 * a template's classes, a kernel's filters), one canvas pixel per value,
 * enlarged by CSS with pixelated rendering. Reports the tile and cell under
 * the pointer so that parents can show the exact value and open a channel.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { ColorScale } from './color-scale.js';
import {
  gridGeometry,
  tileAt,
  tileOrigin,
  type GridGeometry,
  type GridHit,
} from './map-grid-layout.js';
import { paintGrid } from './paint-map.js';
import type { MapRef } from './tensor-maps.js';

/** The performance measure each paint records, with the grid's label and tile count. */
export const PAINT_MEASURE = 'lb-map-grid paint';

/** Detail of `lb-tile-click` and `lb-tile-hover` (null when the pointer leaves the tiles). */
export type TileEvent = CustomEvent<GridHit | null>;

@customElement('lb-map-grid')
export class LbMapGrid extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      position: relative;
      line-height: 0;
    }
    canvas {
      image-rendering: pixelated;
      cursor: crosshair;
      /* NaN cells are transparent: the checkerboard shows them as missing. */
      background: repeating-conic-gradient(#ddd 0% 25%, #fff 0% 50%) 0 0 / 8px 8px;
    }
    .selected {
      position: absolute;
      outline: 2px solid #ff9800;
      pointer-events: none;
    }
  `;

  @property({ attribute: false }) maps: readonly MapRef[] = [];
  /** One scale for every map, or one per map. */
  @property({ attribute: false }) scales: ColorScale | readonly ColorScale[] = {
    kind: 'sequential',
    min: 0,
    max: 0,
  };
  /** CSS pixels per value. */
  @property({ type: Number }) zoom = 3;
  @property({ type: Number }) gap = 1;
  /** Tiles per row; chosen from the tile count when unset. */
  @property({ type: Number }) columns: number | undefined;
  /** The highlighted tile, or null. */
  @property({ type: Number }) selected: number | null = null;
  @property() label = '';

  @query('canvas') private canvas!: HTMLCanvasElement;

  private get geometry(): GridGeometry {
    const first = this.maps[0];
    return gridGeometry(
      this.maps.length,
      first?.height ?? 0,
      first?.width ?? 0,
      this.gap,
      this.columns,
    );
  }

  override render() {
    const grid = this.geometry;
    const box =
      this.selected === null || this.selected >= grid.count ? null : this.selectedBox(grid);
    return html`<canvas
        role="img"
        aria-label=${this.label}
        width=${grid.width}
        height=${grid.height}
        style="width:${grid.width * this.zoom}px;height:${grid.height * this.zoom}px"
        @click=${this.onClick}
        @pointermove=${this.onMove}
        @pointerleave=${() => this.emit('lb-tile-hover', null)}
      ></canvas
      >${box}`;
  }

  private selectedBox(grid: GridGeometry) {
    const { x, y } = tileOrigin(grid, this.selected!);
    const z = this.zoom;
    return html`<div
      class="selected"
      style="left:${x * z}px;top:${y * z}px;
        width:${grid.tileWidth * z}px;height:${grid.tileHeight * z}px"
    ></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (
      changed.has('maps') ||
      changed.has('scales') ||
      changed.has('gap') ||
      changed.has('columns')
    ) {
      this.paint();
    }
  }

  /** Paints synchronously: a parent that awaits `updateComplete` sees the new drawing. */
  private paint(): void {
    const grid = this.geometry;
    if (grid.width === 0 || grid.height === 0) return;
    const start = performance.now();
    const pixels = paintGrid(this.maps, grid, this.scales);
    const image = new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, grid.width, grid.height);
    this.canvas.getContext('2d')!.putImageData(image, 0, 0);
    // A measure per paint lets bench/lensboard-views.ts read drawing cost from the page.
    performance.measure(PAINT_MEASURE, { start, detail: { label: this.label, tiles: grid.count } });
  }

  /** The tile and cell at a pointer position, in canvas pixels whatever the CSS size. */
  hitAt(clientX: number, clientY: number): GridHit | null {
    const rect = this.canvas.getBoundingClientRect();
    const px = ((clientX - rect.left) * this.canvas.width) / rect.width;
    const py = ((clientY - rect.top) * this.canvas.height) / rect.height;
    return tileAt(this.geometry, px, py);
  }

  private onClick(event: MouseEvent): void {
    const hit = this.hitAt(event.clientX, event.clientY);
    if (hit) this.emit('lb-tile-click', hit);
  }

  private onMove(event: PointerEvent): void {
    this.emit('lb-tile-hover', this.hitAt(event.clientX, event.clientY));
  }

  private emit(type: string, detail: GridHit | null): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-map-grid': LbMapGrid;
  }
}
