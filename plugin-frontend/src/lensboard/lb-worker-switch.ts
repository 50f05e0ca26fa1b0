/**
 * `<lb-worker-switch>`: buttons for the runs of a distributed job (each
 * worker, then global); picking one dispatches `lb-select` with `worker`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { JobInfo } from '../api-types.js';
import { selectEvent } from '../view-state.js';
import { jobRuns, runLabel } from './job-runs.js';

@customElement('lb-worker-switch')
export class LbWorkerSwitch extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      gap: 4px;
      align-items: center;
      font-size: 13px;
    }
    button[aria-pressed='true'] {
      background: #1a73e8;
      color: #fff;
      border-color: #1a73e8;
    }
    button {
      border: 1px solid #c4c7c5;
      border-radius: 4px;
      background: #fff;
      padding: 2px 8px;
      cursor: pointer;
    }
  `;

  @property({ attribute: false }) job: JobInfo | null = null;
  @property() run = '';

  override render() {
    const runs = jobRuns(this.job);
    if (runs.length < 2) return nothing;
    return html`<span>Worker:</span> ${runs.map(
        (run) =>
          html`<button
            aria-pressed=${run === this.run}
            data-run=${run}
            @click=${() => this.dispatchEvent(selectEvent({ worker: run }))}
          >
            ${runLabel(run, this.job)}
          </button>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-worker-switch': LbWorkerSwitch;
  }
}
