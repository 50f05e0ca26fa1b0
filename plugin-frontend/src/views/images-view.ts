/**
 * TensorBoard's images: for each image tag and selected run, the images of the
 * logged step at or before the global step, at true pixel size or scaled up
 * with crisp pixels. Every image of a batch event, and every event logged at
 * that step, is shown, each event with its own description when it has one.
 */
import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { api } from '../api.js';
import type { ImageEntry, Series, TagInfo } from '../api-types.js';
import { runColors } from '../lib/run-colors.js';
import {
  errorMessage,
  quoted,
  renderTask,
  panelsOrEmpty,
  statusStyles,
  tagHeadingStyles,
} from '../components/status.js';
import { entriesAt, loadTagPanels, type LoadedPanels, type TagPanel } from './load-series.js';
import { ViewElement } from './view-base.js';

/** Zoom factors offered; 0 is "fit": small images enlarged by a whole factor to about FIT_SIZE. */
const SCALES = [0, 1, 2, 4, 8] as const;
const FIT_SIZE = 192;

/**
 * The whole factor an image is drawn at: `scale`, or for "fit" the one that brings
 * it near FIT_SIZE.
 */
function zoomOf(scale: number, width: number, height: number): number {
  if (scale > 0) return scale;
  return Math.max(1, Math.floor(FIT_SIZE / Math.max(1, width, height)));
}

@customElement('lb-images-view')
export class LbImagesView extends ViewElement {
  @state() private scale: number = 0;
  /** Image URLs the browser could not load; shown as a sentence instead of a broken icon. */
  @state() private failed = new Set<string>();

  private readonly panelsTask = new Task(this, {
    task: ([runs], { signal }) =>
      loadTagPanels<ImageEntry>(runs, 'images', (run, tag, s) => api.images(run, tag, s), signal),
    args: () => [this.selectedRuns(), this.refreshToken] as const,
    argsEqual: ([runsA, tokenA], [runsB, tokenB]) =>
      tokenA === tokenB && runsA.join('\n') === runsB.join('\n'),
  });

  static override styles = [
    statusStyles,
    tagHeadingStyles,
    css`
      .controls {
        margin: 8px 0 12px;
        font-size: 13px;
      }
      section {
        background: #fff;
        border: 1px solid #e0e0e3;
        border-radius: 8px;
        padding: 8px 12px;
        margin-bottom: 12px;
      }
      h3 {
        margin: 0 0 6px;
        font-size: 13px;
      }
      .run {
        margin: 6px 0;
      }
      .caption {
        font-size: 12px;
        color: #5f6368;
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .swatch {
        width: 10px;
        height: 10px;
        border-radius: 2px;
      }
      .images {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-top: 4px;
        /* An image enlarged past the card scrolls inside it instead of running over. */
        overflow-x: auto;
      }
      figure {
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        max-width: 100%;
      }
      figure > .caption {
        flex-basis: 100%;
      }
      img {
        image-rendering: pixelated;
        border: 1px solid #e0e0e3;
        background: repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0 / 12px 12px;
      }
    `,
  ];

  override render() {
    return html`
      <div class="controls">
        Size
        <select
          @change=${(e: Event) => (this.scale = Number((e.target as HTMLSelectElement).value))}
        >
          ${SCALES.map(
            (scale) =>
              html`<option value=${scale} ?selected=${scale === this.scale}>
                ${scaleLabel(scale)}
              </option>`,
          )}
        </select>
      </div>
      ${renderTask(this.panelsTask, 'images', (loaded) => this.renderPanels(loaded))}
    `;
  }

  private renderPanels({ panels, runFailures }: LoadedPanels<ImageEntry>) {
    return panelsOrEmpty(runFailures, panels.length, 'image', () =>
      panels.map((panel) => this.renderPanel(panel)),
    );
  }

  protected override updated(): void {
    const panels = this.panelsTask.value?.panels;
    if (panels && panels.length) this.reportPanelSteps(panels);
  }

  private renderPanel(panel: TagPanel<ImageEntry>) {
    // The tag's description is its first value's; once a shown image says
    // another (a colour scale that moved), each image carries its own instead,
    // so no caption on screen describes a step that is not shown.
    const shown = panel.series.flatMap((series) => entriesAt(series.entries, this.step));
    const uniform = shown.every(
      (entry) => describedBy(entry, panel.info) === panel.info.description,
    );
    return html`<section data-tag=${panel.tag}>
      <h3 class="tag" title=${panel.tag}>${panel.info.displayName || panel.tag}</h3>
      ${
        panel.info.description && uniform
          ? html`<div class="caption">${panel.info.description}</div>`
          : nothing
      }
      ${panel.series.map((series) => this.renderRun(series, panel.info, uniform))}
      ${panel.failures.map(({ run, error }) =>
        errorMessage(`the images of run ${quoted(run)}`, error),
      )}
    </section>`;
  }

  private renderRun(series: Series<ImageEntry>, info: TagInfo, uniform: boolean) {
    const entries = entriesAt(series.entries, this.step);
    if (entries.length === 0) return nothing;
    const { step, width, height } = entries[0];
    const images = entries.reduce((sum, entry) => sum + entry.count, 0);
    return html`<div class="run" data-run=${series.run}>
      <div class="caption">
        <span class="swatch" style="background:${runColors(this.runs)(series.run)}"></span>
        ${series.run} · step ${step} ${images > 1 ? html` · ${images} images` : nothing} ·
        ${width}×${height}
      </div>
      <div class="images">
        ${entries.map((entry) => this.renderEntry(series, entry, info, images, uniform))}
      </div>
    </div>`;
  }

  /** One event's images, captioned with their description unless the panel's caption says it. */
  private renderEntry(
    series: Series<ImageEntry>,
    entry: ImageEntry,
    info: TagInfo,
    of: number,
    uniform: boolean,
  ) {
    const caption = uniform ? undefined : describedBy(entry, info);
    const indices = Array.from({ length: entry.count }, (_, i) => i);
    return html`<figure data-entry=${entry.id ?? ''}>
      ${indices.map((index) => this.renderImage(series, entry, index, of))}
      ${caption ? html`<figcaption class="caption">${caption}</figcaption>` : nothing}
    </figure>`;
  }

  private renderImage(series: Series<ImageEntry>, entry: ImageEntry, index: number, of: number) {
    // The id names this very event; the step would name only the newest event at it.
    const at = entry.id === null ? { step: entry.step } : { id: entry.id };
    const url = api.imageUrl(series.run, series.tag, at, index);
    if (this.failed.has(url)) {
      return html`<p class="status error">
        Image ${index + 1} of step ${entry.step} could not be loaded.
      </p>`;
    }
    // Sizes of 0 mean the server could not read them; the browser then uses the image's own.
    const zoom = zoomOf(this.scale, entry.width, entry.height);
    const size = (pixels: number) => (pixels > 0 ? pixels * zoom : nothing);
    const fail = () => (this.failed = new Set([...this.failed, url]));
    return html`<img
      src=${url}
      width=${size(entry.width)}
      height=${size(entry.height)}
      alt="${series.tag}, ${series.run}, step ${entry.step}, one of ${of}"
      @error=${fail}
    />`;
  }
}

function scaleLabel(scale: number): string {
  if (scale === 0) return 'fit (pixelated)';
  return scale === 1 ? 'true pixels' : `${scale}× (pixelated)`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-images-view': LbImagesView;
  }
}

/** What describes an entry: its own description, else the tag's, which it then shares. */
function describedBy(entry: ImageEntry, info: TagInfo): string | undefined {
  return entry.description ?? (info.description || undefined);
}
