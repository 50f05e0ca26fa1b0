/**
 * `<lb-rgb-map>`: one colour image from three maps (red, green, blue), one
 * canvas pixel per value enlarged by CSS with pixelated rendering, like
 * `lb-map-grid` draws single-channel maps.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { paintRgb } from './paint-map.js';
import type { MapRef } from './tensor-maps.js';

@customElement('lb-rgb-map')
export class LbRgbMap extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      line-height: 0;
    }
    canvas {
      image-rendering: pixelated;
      /* Non-finite cells are transparent: the checkerboard shows them as missing. */
      background: repeating-conic-gradient(#ddd 0% 25%, #fff 0% 50%) 0 0 / 8px 8px;
    }
  `;

  @property({ attribute: false }) channels: readonly [MapRef, MapRef, MapRef] | null = null;
  /** The values drawn as 0 and 255 in every channel. */
  @property({ attribute: false }) range = { min: 0, max: 1 };
  /** CSS pixels per value. */
  @property({ type: Number }) zoom = 1;
  @property() label = '';

  @query('canvas') private canvas!: HTMLCanvasElement;

  override render() {
    const first = this.channels?.[0];
    const width = first?.width ?? 0;
    const height = first?.height ?? 0;
    return html`<canvas
      role="img"
      aria-label=${this.label}
      width=${width}
      height=${height}
      style="width:${width * this.zoom}px;height:${height * this.zoom}px"
    ></canvas>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('channels') && !changed.has('range')) return;
    const channels = this.channels;
    if (!channels || channels[0].width === 0 || channels[0].height === 0) return;
    const pixels = paintRgb(channels, this.range.min, this.range.max);
    const { width, height } = channels[0];
    const image = new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height);
    this.canvas.getContext('2d')!.putImageData(image, 0, 0);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-rgb-map': LbRgbMap;
  }
}
