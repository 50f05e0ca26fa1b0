/**
 * `<lb-worker-switch>`: which run of which job a lensboard view draws. A job
 * picker when the selection holds several jobs with data, then buttons for
 * the job's runs (each worker, then global); a run without the view's data is
 * shown but disabled. Picking dispatches `lb-select` with `worker`.
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
    button:disabled {
      color: #9aa0a6;
      border-style: dashed;
      cursor: not-allowed;
    }
    select {
      margin-right: 12px;
      max-width: 320px;
    }
  `;

  @property({ attribute: false }) job: JobInfo | null = null;
  /** Jobs the user can pick among (with data); the picker shows when there are two or more. */
  @property({ attribute: false }) jobs: readonly JobInfo[] = [];
  /** Runs that have the view's data; others are disabled. Null: every run has it. */
  @property({ attribute: false }) hasData: ReadonlySet<string> | null = null;
  /** What the view draws, for the title of a disabled run: `activations`. */
  @property() noun = 'data';
  @property() run = '';
  /** False where a view shows every worker at once (Workers): only the job picker. */
  @property({ attribute: false }) pickWorker = true;

  override render() {
    return html`${this.renderJobPicker()}${this.pickWorker ? this.renderWorkers() : nothing}`;
  }

  private renderJobPicker() {
    if (this.jobs.length < 2) return nothing;
    return html`<label
      >Job:
      <select data-control="job" @change=${this.onJob}>
        ${this.jobs.map(
          (job) =>
            html`<option value=${job.name} ?selected=${job.name === this.job?.name}>
              ${job.name}
            </option>`,
        )}
      </select></label
    >`;
  }

  private renderWorkers() {
    const runs = jobRuns(this.job);
    if (runs.length < 2) return nothing;
    return html`<span>Worker:</span> ${runs.map((run) => {
        const empty = this.hasData !== null && !this.hasData.has(run);
        return html`<button
          aria-pressed=${run === this.run}
          data-run=${run}
          ?disabled=${empty}
          title=${empty ? `${run} has no ${this.noun} logged yet` : run}
          @click=${() => this.pick(run)}
        >
          ${runLabel(run, this.job)}
        </button>`;
      })}`;
  }

  /** A picked job shows its first run with data. */
  private onJob(event: Event): void {
    const name = (event.target as HTMLSelectElement).value;
    const job = this.jobs.find((j) => j.name === name);
    const run = jobRuns(job ?? null).find((r) => this.hasData === null || this.hasData.has(r));
    if (run) this.pick(run);
  }

  private pick(run: string): void {
    this.dispatchEvent(selectEvent({ worker: run }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-worker-switch': LbWorkerSwitch;
  }
}
