/**
 * `<lb-color-legend>`: the colour bar of a scale with the numbers at its ends
 * (and zero at the centre of a diverging scale), so a colour can be read back
 * as a value.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LUT_SIZE, lutFor, type ColorScale } from './color-scale.js';
import { formatCompact } from './float-format.js';

@customElement('lb-color-legend')
export class LbColorLegend extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 12px;
      font-variant-numeric: tabular-nums;
    }
    .bar {
      width: 160px;
      height: 10px;
      border: 1px solid #ccc;
    }
    .ticks {
      display: flex;
      justify-content: space-between;
      width: 160px;
    }
  `;

  @property({ attribute: false }) scale: ColorScale = { kind: 'sequential', min: 0, max: 0 };
  @property() label = '';

  override render() {
    const { kind, min, max } = this.scale;
    const middle = kind === 'diverging' ? '0' : formatCompact((min + max) / 2);
    return html`<span>${this.label}</span>
      <span>
        <div class="bar" style="background:${gradient(this.scale)}"></div>
        <div class="ticks">
          <span class="min">${formatCompact(min)}</span><span>${middle}</span
          ><span class="max">${formatCompact(max)}</span>
        </div>
      </span>`;
  }
}

/** A CSS gradient through 16 of the scale's colours: smooth enough at legend size. */
function gradient(scale: ColorScale): string {
  const lut = lutFor(scale.kind);
  const stops = Array.from({ length: 16 }, (_, i) => {
    const index = Math.round((i / 15) * (LUT_SIZE - 1)) * 4;
    return `rgb(${lut[index]}, ${lut[index + 1]}, ${lut[index + 2]})`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-color-legend': LbColorLegend;
  }
}
