/**
 * `<lb-class-counts>`: a worker x class heatmap of the examples each worker
 * has trained on, from the job's `[workers, classes]` counts tensor. A table,
 * so every count is readable as a number on its colour.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LoadedTensor } from '../api-types.js';
import { cssColor, type ColorScale } from './color-scale.js';

@customElement('lb-class-counts')
export class LbClassCounts extends LitElement {
  static override styles = css`
    table {
      border-collapse: collapse;
      font-size: 12px;
      font-variant-numeric: tabular-nums;
    }
    td,
    th {
      padding: 3px 6px;
      text-align: right;
    }
    td {
      min-width: 34px;
    }
  `;

  @property({ attribute: false }) counts: LoadedTensor | null = null;
  /** Row names, one per worker. */
  @property({ attribute: false }) workers: readonly string[] = [];

  override render() {
    if (!this.counts || this.counts.shape.length !== 2) {
      return html`<span>no [workers, classes] counts at this step</span>`;
    }
    const [rows, classes] = this.counts.shape;
    const values = this.counts.values;
    const scale: ColorScale = {
      kind: 'sequential',
      min: 0,
      max: Math.max(0, ...values.filter(Number.isFinite)),
    };
    return html`<table>
      <tr>
        <th></th>
        ${Array.from({ length: classes }, (_, c) => html`<th>${c}</th>`)}
      </tr>
      ${Array.from(
        { length: rows },
        (_, w) =>
          html`<tr>
            <th>${this.workers[w] ?? `worker-${w}`}</th>
            ${Array.from({ length: classes }, (_, c) => this.cell(values[w * classes + c], scale))}
          </tr>`,
      )}
    </table>`;
  }

  private cell(value: number, scale: ColorScale) {
    // Viridis is dark at its low end: light text there, dark text on the bright end.
    const dark = scale.max > 0 && value / scale.max < 0.6;
    return html`<td style="background:${cssColor(scale, value)};color:${dark ? '#fff' : '#000'}">
      ${value}
    </td>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-class-counts': LbClassCounts;
  }
}
