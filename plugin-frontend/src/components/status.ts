/**
 * How every view says what it is doing: loading, empty and error states are
 * sentences, never a blank area. While a task reruns after a live change, the
 * last answer stays on screen so the user keeps their place.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { TaskStatus, type Task } from '@lit/task';
import { ApiError } from '../api.js';

/**
 * What to do about a status, where the status alone does not say: a request
 * too large to send names a run or tag too long for a URL, which only a
 * shorter name mends.
 */
const NEXT_STEPS: Record<number, string> = {
  414: 'the run or tag name is too long for a request URL; log it under a shorter name',
  431: 'the run or tag name is too long for a request; log it under a shorter name',
};

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message;
    // A status line without a body is already "431 Request Header Fields Too Large".
    const status = error.message.startsWith(`${error.status} `) ? '' : ` (HTTP ${error.status})`;
    const next = NEXT_STEPS[error.status];
    return `${error.message}${status}${next ? `: ${next}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A run or tag name as a sentence quotes it, cut to `max` characters: a tag of
 * 100,000 characters must not fill the page with its own error.
 */
export function quoted(name: string, max = 60): string {
  const cut = name.length > max ? `${name.slice(0, max)}…` : name;
  return JSON.stringify(cut);
}

export function loadingMessage(what: string): TemplateResult {
  return html`<p class="status loading" role="status">Loading ${what}…</p>`;
}

export function emptyMessage(text: string): TemplateResult {
  return html`<p class="status empty" role="status">${text}</p>`;
}

export function errorMessage(what: string, error: unknown): TemplateResult {
  return html`<p class="status error" role="alert">Could not load ${what}: ${errorText(error)}</p>`;
}

/** One error per tag whose series could not be loaded, by tag. */
export function tagFailuresMessage(failures: ReadonlyMap<string, unknown>): TemplateResult {
  return html`${[...failures].map(([tag, error]) => errorMessage(quoted(tag), error))}`;
}

/** One error per run whose tag list could not be loaded: its tags are missing, not absent. */
export function runFailuresMessage(
  failures: readonly { run: string; error: unknown }[],
): TemplateResult {
  return html`${failures.map(({ run, error }) =>
    errorMessage(`the tags of run ${quoted(run)}`, error),
  )}`;
}

/**
 * A view's tag panels after the runs whose tag lists failed, or, with no panel,
 * that the selected runs (the others, when some failed) have no `noun` tags yet.
 */
export function panelsOrEmpty(
  runFailures: readonly { run: string; error: unknown }[],
  count: number,
  noun: string,
  panels: () => unknown,
): TemplateResult {
  const other = runFailures.length ? 'other ' : '';
  return html`${runFailuresMessage(runFailures)}
  ${count ? panels() : emptyMessage(`No ${noun} tags in the ${other}selected runs yet.`)}`;
}

/**
 * Renders a task's every status. `what` names the data in messages ("scalars of
 * 3 runs"); `complete` may return `nothing` only if it has said why elsewhere.
 */
export function renderTask<T>(
  task: Task<readonly unknown[], T>,
  what: string,
  complete: (value: T) => TemplateResult | typeof nothing,
): TemplateResult | typeof nothing {
  switch (task.status) {
    case TaskStatus.INITIAL:
      return loadingMessage(what);
    case TaskStatus.PENDING:
      return task.value === undefined ? loadingMessage(what) : complete(task.value);
    case TaskStatus.ERROR:
      return errorMessage(what, task.error);
    default:
      return complete(task.value as T);
  }
}

export const statusStyles = css`
  .status {
    /* A message may quote a name of any length; it wraps rather than runs off the page. */
    overflow-wrap: anywhere;
    margin: 12px 0;
    padding: 10px 12px;
    border-radius: 6px;
    background: #fff;
    border: 1px solid #e0e0e3;
    color: #5f6368;
  }
  .status.error {
    border-color: #f1b0ad;
    background: #fdf0ef;
    color: #a50e0e;
  }
  .warning {
    color: #8a5300;
    background: #fff7e6;
    border: 1px solid #f3d19c;
    border-radius: 6px;
    padding: 6px 10px;
    margin: 6px 0;
    font-size: 13px;
  }
`;

/**
 * A panel's tag as its heading (`class="tag"`, on the element holding the
 * text itself, not on a button around it): a tag may be any length, so past
 * three lines it is cut and its tooltip (the `title`) holds the whole.
 */
export const tagHeadingStyles = css`
  .tag {
    word-break: break-all;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
  }
`;

/**
 * A panel's tag as a heading that focuses it: pressed, the step control follows
 * that tag's steps; pressed again, all tags' steps. Styled by tagHeadingStyles.
 */
export function focusTagHeading(tag: string, focused: boolean, toggle: () => void) {
  const hint = `${tag}\nFocus this tag: the step control follows its steps`;
  return html`<h3>
    <button title=${hint} aria-pressed=${focused} @click=${toggle}>
      <span class="tag">${tag}</span>
    </button>
  </h3>`;
}
