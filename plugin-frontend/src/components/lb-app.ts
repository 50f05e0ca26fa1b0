/**
 * The viewer's shell: the run sidebar, the view tabs, the global step control
 * and the current view. It owns the ViewState, mirrors it into the URL (so a
 * link or a reload restores what was shown), follows live changes, and gives
 * every view the same inputs (state, runs, jobs, step, refreshToken).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { api } from '../api.js';
import type { RunsAnswer } from '../api-types.js';
import { followChanges, type LiveStatus } from '../live.js';
import { changeSteps, noteSteps, type KnownSteps } from '../lib/run-steps.js';
import { newestStep, selectedRunNames } from '../lib/selection.js';
import { effectiveStep } from '../lib/steps.js';
import { naturalRuns } from '../lib/natural-order.js';
import { MEASURE_STEP_CHANGE, mark, measure, settled } from '../lib/perf.js';
import { stateFromQuery, stateToQuery } from '../url-state.js';
import {
  VIEW_NAMES,
  mergeViewState,
  type StepsReport,
  type ViewName,
  type ViewState,
} from '../view-state.js';
import { errorMessage, loadingMessage, statusStyles } from './status.js';
import { renderView } from './view-outlet.js';
import './lb-run-sidebar.js';
import './lb-step-control.js';

const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: 'connecting…',
  live: '● live',
  reconnecting: 'reconnecting…',
};

const VIEW_LABELS: Record<ViewName, string> = {
  scalars: 'Scalars',
  images: 'Images',
  histograms: 'Histograms',
  text: 'Text',
  activations: 'Activations',
  weights: 'Weights',
  workers: 'Workers',
};

@customElement('lb-app')
export class LbApp extends LitElement {
  @state() private viewState: ViewState = stateFromQuery(location.search).state;
  @state() private urlProblems: string[] = stateFromQuery(location.search).problems;
  /** Linked values the current view reported it cannot show (unknown layer, probe…). */
  @state() private viewProblems: string[] = [];
  /**
   * True while the state is the one a link or history entry gave: only then
   * are a view's problems about the link. Values the user picked in another
   * view (a layer with no weights) are not a broken link.
   */
  private fromLink = true;
  @state() private refreshToken = 0;
  @state() private steps: StepsReport = { steps: [], total: 0 };
  @state() private live: { status: LiveStatus; detail?: string } = { status: 'connecting' };
  /** The largest step seen per run in views and live changes, for the sidebar. */
  @state() private knownSteps: KnownSteps = new Map();

  private stopLive?: () => void;

  /** The run list is refetched on every live change: it carries each run's newest step. */
  private readonly runsTask = new Task(this, {
    task: async (_refresh, { signal }) => naturalRuns(await api.runs(signal)),
    args: () => [this.refreshToken] as const,
  });

  static override styles = [
    statusStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: 260px 1fr;
        grid-template-rows: auto 1fr;
        height: 100vh;
      }
      header {
        grid-column: 1 / -1;
        display: flex;
        align-items: center;
        gap: 16px;
        padding: 0 16px;
        background: #fff;
        border-bottom: 1px solid #e0e0e3;
      }
      h1 {
        font-size: 16px;
        margin: 0;
        padding: 12px 0;
      }
      nav {
        display: flex;
        gap: 2px;
        flex-wrap: wrap;
      }
      nav a {
        padding: 14px 10px 12px;
        color: #3c4043;
        text-decoration: none;
        border-bottom: 2px solid transparent;
      }
      nav a[aria-current='page'] {
        color: #1a73e8;
        border-bottom-color: #1a73e8;
      }
      .live {
        margin-left: auto;
        font-size: 12px;
        color: #5f6368;
      }
      .live.reconnecting {
        color: #a50e0e;
      }
      aside {
        overflow: auto;
        padding: 8px 16px;
        border-right: 1px solid #e0e0e3;
        background: #fff;
      }
      main {
        overflow: auto;
        padding: 0 20px 20px;
        min-width: 0;
      }
      lb-step-control {
        position: sticky;
        top: 0;
        z-index: 2;
        background: #f7f7f8;
        padding: 10px 0;
        border-bottom: 1px solid #e0e0e3;
        margin-bottom: 8px;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('lb-select', (event) => this.apply(event.detail));
    this.addEventListener('lb-link-problems', (event) => {
      if (this.fromLink) this.viewProblems = event.detail;
    });
    this.addEventListener('lb-steps', (event) => {
      this.steps = event.detail;
      this.knownSteps = noteSteps(this.knownSteps, event.detail.runSteps ?? []);
    });
    this.stopLive = followChanges(api.eventsUrl(), {
      onChanges: (changes) => {
        this.knownSteps = noteSteps(this.knownSteps, changeSteps(changes));
        api.invalidate(changes);
        this.refreshToken++;
      },
      onReconnect: () => {
        // Runs may have been rewritten while the stream was down: start over from the server.
        this.knownSteps = new Map();
        api.invalidateAll();
        this.refreshToken++;
      },
      onStatus: (status, detail) => (this.live = { status, detail }),
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    this.stopLive?.();
  }

  override render() {
    const answer = this.runsTask.value;
    return html`
      <header>
        <h1>lensboard</h1>
        <nav>${VIEW_NAMES.map((view) => this.renderTab(view))}</nav>
        <span class="live ${this.live.status}" title=${this.live.detail ?? ''}>
          ${LIVE_LABELS[this.live.status]}
        </span>
      </header>
      <aside>
        ${
          answer
            ? html`<lb-run-sidebar
                .runs=${answer.runs}
                .jobs=${answer.jobs}
                .selection=${this.viewState.runs}
                .knownSteps=${this.knownSteps}
              ></lb-run-sidebar>`
            : this.renderRunsStatus()
        }
      </aside>
      <main>${answer ? this.renderMain(answer) : nothing}</main>
    `;
  }

  private renderTab(view: ViewName) {
    const href = stateToQuery({ ...this.viewState, view, tag: null }) || '?';
    const current = view === this.viewState.view;
    return html`<a
      href=${href}
      aria-current=${current ? 'page' : 'false'}
      @click=${(event: Event) => {
        event.preventDefault();
        this.apply({ view, tag: null });
      }}
      >${VIEW_LABELS[view]}</a
    >`;
  }

  private renderRunsStatus() {
    if (this.runsTask.error !== undefined) return errorMessage('the run list', this.runsTask.error);
    return loadingMessage('runs');
  }

  private renderMain(answer: RunsAnswer) {
    const selected = selectedRunNames(this.viewState, answer.runs);
    const step = effectiveStep(this.viewState.step, this.newest(selected, answer));
    const missing = this.viewState.runs.filter(
      (name) => !answer.runs.some((run) => run.name === name),
    );
    return html`
      <lb-step-control
        .steps=${this.steps.steps}
        .total=${this.steps.total}
        .kept=${this.steps.kept ?? null}
        .pinned=${this.viewState.step}
        .step=${step}
      ></lb-step-control>
      ${[...this.urlProblems, ...this.viewProblems].map(
        (problem) =>
          html`<p class="warning" data-testid="link-problem">Link ignored ${problem}</p>`,
      )}
      ${[...answer.warnings].map((warning) => html`<p class="warning">${warning}</p>`)}
      ${
        missing.length
          ? html`<p class="warning">Not in this logdir (yet): ${missing.join(', ')}</p>`
          : nothing
      }
      ${
        this.runsTask.error !== undefined
          ? errorMessage('the run list', this.runsTask.error)
          : nothing
      }
      ${
        answer.loading
          ? html`<p class="status loading" role="status">
              The server is still reading the logdir; more data will appear.
            </p>`
          : nothing
      }
      ${
        answer.runs.length === 0
          ? html`<p class="status empty" role="status">
              This logdir holds no runs yet. Runs appear here as soon as a writer creates an event
              file.
            </p>`
          : renderView(this.viewState.view, {
              state: this.viewState,
              runs: answer.runs,
              jobs: answer.jobs,
              step,
              refreshToken: this.refreshToken,
            })
      }
    `;
  }

  /**
   * The step to follow: the newest over the selected runs, or the view's last
   * loaded step when that is later. A run's `lastStep` is the step of the event
   * read last, which an out-of-order tag (text logged at step 0 at the end) can
   * put behind the view's own data.
   */
  private newest(selected: string[], answer: RunsAnswer): number | null {
    const fromRuns = newestStep(selected, answer.runs);
    const loaded = this.steps.steps.at(-1);
    if (loaded === undefined) return fromRuns;
    return fromRuns === null ? loaded : Math.max(fromRuns, loaded);
  }

  /** Applies a requested change and mirrors it into the URL without a new history entry. */
  private apply(change: Partial<ViewState>): void {
    const next = mergeViewState(this.viewState, change);
    if (next.view !== this.viewState.view || next.tag !== this.viewState.tag) {
      this.steps = { steps: [], total: 0 };
    }

    if (next.step !== this.viewState.step) this.timeStepChange();
    this.viewState = next;
    this.urlProblems = [];
    this.viewProblems = [];
    this.fromLink = false;
    const query = stateToQuery(next);
    history.replaceState(null, '', query || location.pathname);
  }

  private timeStepChange(): void {
    mark('lb:step change start');
    void settled(this).then(() => measure(MEASURE_STEP_CHANGE, 'lb:step change start'));
  }

  private readonly onPopState = (): void => {
    const parsed = stateFromQuery(location.search);
    this.viewState = parsed.state;
    this.urlProblems = parsed.problems;
    this.viewProblems = [];
    this.fromLink = true;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-app': LbApp;
  }
}
