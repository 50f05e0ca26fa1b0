/**
 * How every view says what it is doing: loading, empty and error states are
 * sentences, never a blank area. While a task reruns after a live change, the
 * last answer stays on screen so the user keeps their place.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { TaskStatus, type Task } from '@lit/task';
import { ApiError } from '../api.js';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status === 0 ? error.message : `${error.message} (HTTP ${error.status})`;
  }
  return error instanceof Error ? error.message : String(error);
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
