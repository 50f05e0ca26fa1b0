/**
 * `<lb-step-time-bars>`: per-worker step time split into compute,
 * communication and waiting, as stacked horizontal bars on one time axis, so
 * a straggler and what it waits on show at a glance.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatCompact } from './float-format.js';

/** The parts of a step in the order they are stacked, and their colours. */
export const STEP_PARTS = ['compute', 'communication', 'waiting'] as const;
const PART_COLOURS = ['#1a73e8', '#f29900', '#bdc1c6'];

export interface WorkerStepTime {
  worker: string;
  /** Seconds per part, in STEP_PARTS order; null where not logged. */
  seconds: (number | null)[];
}

@customElement('lb-step-time-bars')
export class LbStepTimeBars extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: max-content 320px max-content;
      gap: 4px 8px;
      align-items: center;
      font-size: 12px;
    }
    .bar {
      display: flex;
      height: 14px;
      background: #f1f3f4;
    }
    .legend {
      grid-column: 1 / -1;
      display: flex;
      gap: 12px;
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin-right: 4px;
    }
  `;

  @property({ attribute: false }) times: readonly WorkerStepTime[] = [];

  override render() {
    const total = (t: WorkerStepTime) => t.seconds.reduce<number>((sum, s) => sum + (s ?? 0), 0);
    const longest = Math.max(0, ...this.times.map(total));
    return html`${this.times.map(
        (t) =>
          html`<span>${t.worker}</span>
            <div class="bar" data-worker=${t.worker}>
              ${t.seconds.map(
                (s, i) =>
                  html`<div
                    title="${STEP_PARTS[i]}: ${s === null ? 'not logged' : `${formatCompact(s)} s`}"
                    style="width:${widthPercent(s, longest)}%;background:${PART_COLOURS[i]}"
                  ></div>`,
              )}
            </div>
            <span>${formatCompact(total(t))} s</span>`,
      )}
      <div class="legend">
        ${STEP_PARTS.map(
          (part, i) =>
            html`<span
              ><span class="swatch" style="background:${PART_COLOURS[i]}"></span>${part}</span
            >`,
        )}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-step-time-bars': LbStepTimeBars;
  }
}

/** A part's share of the longest step, as a CSS width in percent (0 for a missing part). */
function widthPercent(seconds: number | null, longest: number): number {
  return longest > 0 ? ((seconds ?? 0) / longest) * 100 : 0;
}
