/**
 * The run a lensboard view draws, as a controller: it loads which selected
 * runs have the view's data (refetched on every live change) and chooses
 * among them (`chooseRun`), so the Activations and Weights views pick and
 * explain their run the same way.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { Task } from '@lit/task';
import type { JobInfo, RunInfo } from '../api-types.js';
import type { ViewState } from '../view-state.js';
import { chooseRun, runLabel, type RunChoice } from './job-runs.js';
import { runsWithData, type TagTest } from './run-data.js';

/** What the choice depends on, read from the view on every update. */
export interface ChoiceInputs {
  state: ViewState;
  runs: readonly RunInfo[];
  jobs: readonly JobInfo[];
  selected: readonly string[];
  refreshToken: number;
}

export class RunChoiceController {
  readonly task: Task<readonly [readonly string[], number], Set<string>>;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly inputs: () => ChoiceInputs,
    test: TagTest,
  ) {
    this.task = new Task(host, {
      task: ([selected], { signal }) => runsWithData(selected, test, signal),
      args: () => [this.inputs().selected, this.inputs().refreshToken] as const,
      argsEqual: ([a, tokenA], [b, tokenB]) => tokenA === tokenB && a.join('\n') === b.join('\n'),
    });
  }

  /** Runs with the data, once known. */
  get hasData(): Set<string> | null {
    return this.task.value ?? null;
  }

  /** The chosen run, or null until it is known which runs have data. */
  get choice(): RunChoice | null {
    const hasData = this.hasData;
    if (!hasData) return null;
    const { state, runs, jobs, selected } = this.inputs();
    return chooseRun(state, runs, jobs, selected, hasData);
  }
}

/** A sentence naming the selected runs without the data, or nothing when none lack it. */
export function lackingNote(choice: RunChoice, what: string) {
  if (choice.lacking.length === 0) return nothing;
  const names = choice.lacking.map((run) => (choice.job ? runLabel(run, choice.job) : run));
  const shown = names.length > 6 ? [...names.slice(0, 6), `${names.length - 6} more`] : names;
  return html`<p class="note" data-testid="lacking">
    No ${what} logged yet by ${shown.join(', ')}.
  </p>`;
}
