/**
 * TensorBoard's text: for each text tag and selected run, the text logged at
 * the step on screen. Text is data, never markup: it is shown as plain text
 * with its whitespace kept, and a 2-D string tensor as a table of cells.
 * The ViewState's `tag` is the focused tag, as in the scalars: its panel is
 * outlined and brought into view, and the step control follows its steps.
 */
import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { api } from '../api.js';
import type { Series, TextEntry } from '../api-types.js';
import { runColors } from '../lib/run-colors.js';
import {
  errorMessage,
  focusTagHeading,
  quoted,
  renderTask,
  panelsOrEmpty,
  statusStyles,
  tagHeadingStyles,
} from '../components/status.js';
import { entryAt, loadTagPanels, type LoadedPanels, type TagPanel } from './load-series.js';
import { ViewElement } from './view-base.js';

@customElement('lb-text-view')
export class LbTextView extends ViewElement {
  private readonly panelsTask = new Task(this, {
    task: ([runs], { signal }) =>
      loadTagPanels<TextEntry>(runs, 'text', (run, tag, s) => api.text(run, tag, s), signal),
    args: () => [this.selectedRuns(), this.refreshToken] as const,
    argsEqual: ([runsA, tokenA], [runsB, tokenB]) =>
      tokenA === tokenB && runsA.join('\n') === runsB.join('\n'),
  });

  static override styles = [
    statusStyles,
    tagHeadingStyles,
    css`
      section {
        background: #fff;
        border: 1px solid #e0e0e3;
        border-radius: 8px;
        padding: 8px 12px;
        margin: 8px 0 12px;
      }
      h3 {
        margin: 0 0 6px;
        font-size: 13px;
      }
      h3 button {
        all: unset;
        cursor: pointer;
      }
      .focused {
        outline: 2px solid #1a73e8;
      }
      .caption {
        font-size: 12px;
        color: #5f6368;
        display: flex;
        gap: 6px;
        align-items: center;
      }
      .swatch {
        width: 10px;
        height: 10px;
        border-radius: 2px;
      }
      pre {
        white-space: pre-wrap;
        word-break: break-word;
        font:
          13px/1.45 ui-monospace,
          'SFMono-Regular',
          Menlo,
          monospace;
        margin: 4px 0 10px;
        padding: 8px;
        background: #f8f9fa;
        border-radius: 4px;
      }
      table {
        border-collapse: collapse;
        margin: 4px 0 10px;
      }
      td {
        border: 1px solid #e0e0e3;
        padding: 4px 8px;
        white-space: pre-wrap;
        vertical-align: top;
      }
    `,
  ];

  override render() {
    return renderTask(this.panelsTask, 'text', (loaded) => this.renderPanels(loaded));
  }

  private renderPanels({ panels, runFailures }: LoadedPanels<TextEntry>) {
    return panelsOrEmpty(runFailures, panels.length, 'text', () =>
      panels.map((panel) => this.renderPanel(panel)),
    );
  }

  protected override updated(): void {
    const panels = this.panelsTask.value?.panels;
    if (panels && panels.length) this.reportPanelSteps(panels);
    if (panels) this.focusTag(panels);
  }

  private renderPanel(panel: TagPanel<TextEntry>) {
    const focused = panel.tag === this.state.tag;
    const focus = () => this.select({ tag: focused ? null : panel.tag });
    return html`<section class=${focused ? 'focused' : ''} data-tag=${panel.tag}>
      ${focusTagHeading(panel.tag, focused, focus)}
      ${panel.series.map((series) => this.renderRun(series))}
      ${panel.failures.map(({ run, error }) =>
        errorMessage(`the text of run ${quoted(run)}`, error),
      )}
    </section>`;
  }

  private renderRun(series: Series<TextEntry>) {
    const entry = entryAt(series.entries, this.step);
    if (!entry) return nothing;
    return html`<div class="caption">
        <span class="swatch" style="background:${runColors(this.runs)(series.run)}"></span>
        ${series.run} · step ${entry.step}
      </div>
      ${
        entry.shape.length === 2
          ? renderTable(entry)
          : entry.values.map((text) => html`<pre>${text}</pre>`)
      }`;
  }
}

function renderTable(entry: TextEntry) {
  const [rows, columns] = entry.shape;
  return html`<table>
    ${Array.from(
      { length: rows },
      (_, row) =>
        html`<tr>
          ${entry.values
            .slice(row * columns, (row + 1) * columns)
            .map((text) => html`<td>${text}</td>`)}
        </tr>`,
    )}
  </table>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-text-view': LbTextView;
  }
}
