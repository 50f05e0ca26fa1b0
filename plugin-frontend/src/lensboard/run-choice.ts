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
import { runsWithData, type RunsWithData, type TagTest } from './run-data.js';
import { runFailuresMessage } from '../components/status.js';

/** What the choice depends on, read from the view on every update. */
export interface ChoiceInputs {
  state: ViewState;
  runs: readonly RunInfo[];
  jobs: readonly JobInfo[];
  selected: readonly string[];
  refreshToken: number;
}

export class RunChoiceController {
  readonly task: Task<readonly [readonly string[], number], RunsWithData>;

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
    return this.task.value?.withData ?? null;
  }

  /** Selected runs whose tag list could not be loaded: whether they have the data is unknown. */
  get failures(): RunsWithData['failures'] {
    return this.task.value?.failures ?? [];
  }

  /** The chosen run, or null until it is known which runs have data. */
  get choice(): RunChoice | null {
    const hasData = this.hasData;
    if (!hasData) return null;
    const { state, runs, jobs, selected } = this.inputs();
    return chooseRun(state, runs, jobs, selected, hasData);
  }
}

/**
 * A sentence naming the selected runs without the data, or nothing when none
 * lack it; and an error for each run that could not be asked.
 */
export function lackingNote(choice: RunChoice, what: string, failures: RunsWithData['failures']) {
  const failed = new Set(failures.map((f) => f.run));
  const lacking = choice.lacking.filter((run) => !failed.has(run));
  return html`${runFailuresMessage(failures)} ${lackingSentence({ ...choice, lacking }, what)}`;
}

function lackingSentence(choice: RunChoice, what: string) {
  if (choice.lacking.length === 0) return nothing;
  const names = choice.lacking.map((run) => (choice.job ? runLabel(run, choice.job) : run));
  const shown = names.length > 6 ? [...names.slice(0, 6), `${names.length - 6} more`] : names;
  return html`<p class="note" data-testid="lacking">
    No ${what} logged yet by ${shown.join(', ')}.
  </p>`;
}
