/**
 * The list of runs: plain runs, and lensboard's distributed jobs as a job with
 * its global run and workers. Each run (and each job as a whole) toggles; each
 * run shows its stable colour, its status and its warnings. Changes go out as
 * `lb-select` with `runs`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { JobInfo, RunInfo } from '../api-types.js';
import { runColors } from '../lib/run-colors.js';
import type { KnownSteps } from '../lib/run-steps.js';
import { loadTagLists, runBadge } from '../lib/run-status.js';
import { selectedRunNames, toggleRuns } from '../lib/selection.js';
import { selectEvent } from '../view-state.js';

@customElement('lb-run-sidebar')
export class LbRunSidebar extends LitElement {
  @property({ attribute: false }) runs: RunInfo[] = [];
  @property({ attribute: false }) jobs: JobInfo[] = [];
  /** The ViewState's `runs`: empty means every run. */
  @property({ attribute: false }) selection: string[] = [];
  /** Steps the views and live changes saw per run, beyond the server's `lastStep`. */
  @property({ attribute: false }) knownSteps: KnownSteps = new Map();

  /** Each run's tags, to tell a run of hparams only from one still without data. */
  private readonly tagLists = new Task(this, {
    task: ([runs], { signal }) => loadTagLists(runs, signal),
    args: () => [this.runs] as const,
  });

  static override styles = css`
    :host {
      display: block;
      font-size: 13px;
    }
    h2 {
      font-size: 12px;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: #5f6368;
      margin: 14px 0 6px;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    ul ul {
      padding-left: 18px;
    }
    label {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 2px 0;
      cursor: pointer;
    }
    /*
     * The name shrinks to what the badge leaves and wraps at the <wbr> after
     * each separator; only a part wider than that breaks mid-word. (Breaking
     * "anywhere" would let the name shrink to one letter per line and break
     * every part.)
     */
    .name {
      min-width: 0;
      overflow-wrap: break-word;
    }
    .swatch {
      width: 10px;
      height: 10px;
      border-radius: 2px;
      flex: none;
    }
    .badge {
      font-size: 11px;
      color: #5f6368;
      margin-left: auto;
      white-space: nowrap;
    }
    .warn {
      color: #8a5300;
      font-size: 11px;
      margin: 0 0 4px 22px;
    }
    .warn summary {
      cursor: pointer;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .warn[open] summary .newest {
      display: none;
    }
    .warn ul {
      padding: 2px 0 0 12px;
      list-style: disc;
    }
    .warn li {
      overflow-wrap: anywhere;
      margin-bottom: 2px;
    }
    .job > label {
      font-weight: 600;
    }
    .actions button {
      font: inherit;
      font-size: 12px;
      background: none;
      border: none;
      color: #1a73e8;
      cursor: pointer;
      padding: 0 8px 0 0;
    }
  `;

  override render() {
    if (this.runs.length === 0) return html`<p>No runs yet.</p>`;
    const grouped = new Set(this.jobs.flatMap((job) => [...job.workers, job.global ?? '']));
    const plain = this.runs.filter((run) => !grouped.has(run.name));
    return html`
      <div class="actions">
        <button @click=${() => this.emit([])}>all runs</button>
      </div>
      ${
        this.jobs.length
          ? html`<h2>Jobs</h2>
              <ul>
                ${this.jobs.map((job) => this.renderJob(job))}
              </ul>`
          : nothing
      }
      ${
        plain.length
          ? html`<h2>Runs</h2>
              <ul>
                ${plain.map((run) => this.renderRun(run, run.name))}
              </ul>`
          : nothing
      }
    `;
  }

  private renderJob(job: JobInfo) {
    const members = [...(job.global ? [job.global] : []), ...job.workers];
    const selected = new Set(selectedRunNames({ runs: this.selection }, this.runs));
    const on = members.filter((name) => selected.has(name)).length;
    const runsByName = new Map(this.runs.map((run) => [run.name, run]));
    return html`<li class="job">
      <label data-job=${job.name}>
        <input
          type="checkbox"
          .checked=${on === members.length}
          .indeterminate=${on > 0 && on < members.length}
          @change=${(event: Event) => this.toggle(members, event)}
        />
        <span class="name" title=${job.name}>${breakableName(job.name)}</span>
        <span class="badge"
          >${job.workers.length} worker${job.workers.length === 1 ? '' : 's'}</span
        >
      </label>
      <ul>
        ${members.map((name) => {
          const run = runsByName.get(name);
          return run ? this.renderRun(run, this.memberLabel(job, name)) : nothing;
        })}
      </ul>
    </li>`;
  }

  private memberLabel(job: JobInfo, name: string): string {
    return name.startsWith(`${job.name}/`) ? name.slice(job.name.length + 1) : name;
  }

  private renderRun(run: RunInfo, label: string) {
    const selected = selectedRunNames({ runs: this.selection }, this.runs).includes(run.name);
    return html`<li>
      <label title=${run.name} data-run=${run.name}>
        <input
          type="checkbox"
          .checked=${selected}
          @change=${(event: Event) => this.toggle([run.name], event)}
        />
        <span class="swatch" style="background:${runColors(this.runs)(run.name)}"></span>
        <span class="name" title=${run.name}>${breakableName(label)}</span>
        ${this.renderBadge(run)}
      </label>
      ${run.warnings.length ? this.renderWarnings(run.warnings) : nothing}
    </li>`;
  }

  /** A run's warnings, folded to a count and the newest; opened, every one in full. */
  private renderWarnings(warnings: readonly string[]) {
    const count = `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
    return html`<details class="warn" data-testid="run-warnings">
      <summary>⚠ ${count}: <span class="newest">${warnings[warnings.length - 1]}</span></summary>
      <ul>
        ${warnings.map((warning) => html`<li>${warning}</li>`)}
      </ul>
    </details>`;
  }

  private renderBadge(run: RunInfo) {
    // Only a run without values of its own can have its data in sub-runs.
    const under =
      run.status === 'no-data'
        ? this.runs.filter((other) => other.name.startsWith(`${run.name}/`))
        : [];
    const badge = runBadge(run, this.knownSteps, this.tagLists.value?.get(run.name), under);
    return html`<span class="badge" title=${badge.title}>${badge.text}</span>`;
  }

  private toggle(names: string[], event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    const next = toggleRuns({ runs: this.selection }, this.runs, names, on);
    // An ignored toggle (the last selected run) must not leave the box unticked.
    (event.target as HTMLInputElement).checked = names.every((name) =>
      selectedRunNames({ runs: next }, this.runs).includes(name),
    );
    this.emit(next);
  }

  private emit(runs: string[]): void {
    this.dispatchEvent(selectEvent({ runs }));
  }
}

/**
 * A run name that wraps after a `/`, `-`, `_` or `.` (and at spaces) before it
 * wraps mid-word: `version_12`, `worker-0` and `lr_0.01` are the words of
 * run names. A part longer than the sidebar still breaks, as a last resort.
 */
function breakableName(name: string) {
  const parts = name.split(/(?<=[/\-_.])/);
  return parts.map((part, i) => (i === 0 ? part : html`<wbr />${part}`));
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-run-sidebar': LbRunSidebar;
  }
}
