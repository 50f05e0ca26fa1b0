/**
 * The one global step control: a slider over the loaded steps of the current
 * tag, a typed step, and a pin/follow toggle. It shows the real step on screen
 * (the loaded step at or before the requested one) and how many steps of the
 * tag are loaded. Changes go out as `lb-select` with `step`; null means follow.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { loadedLabel, parseStep, shownIndex, shownStep, stepBy } from '../lib/steps.js';
import { selectEvent } from '../view-state.js';

@customElement('lb-step-control')
export class LbStepControl extends LitElement {
  /** Loaded steps of the current tag, ascending. */
  @property({ attribute: false }) steps: number[] = [];
  /** Values logged for the current tag, loaded or not (a step logged twice counts twice). */
  @property({ type: Number }) total = 0;
  /** Values loaded behind `steps`; null: one per step. */
  @property({ attribute: false }) kept: number | null = null;
  /** The pinned step, or null while following the newest. */
  @property({ attribute: false }) pinned: number | null = null;
  /** The effective step the views are asked for. */
  @property({ attribute: false }) step: number | null = null;

  @state() private inputError = '';

  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 10px;
      flex-wrap: wrap;
      font-size: 13px;
    }
    input[type='range'] {
      flex: 1 1 240px;
      min-width: 160px;
    }
    input[type='text'] {
      width: 7em;
      font: inherit;
      padding: 2px 4px;
    }
    button {
      font: inherit;
      padding: 3px 10px;
      border-radius: 14px;
      border: 1px solid #c4c7c5;
      background: #fff;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: #e8f0fe;
      border-color: #1a73e8;
      color: #174ea6;
    }
    .shown {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .muted {
      color: #5f6368;
    }
    .error {
      color: #a50e0e;
    }
  `;

  override render() {
    const index = shownIndex(this.steps, this.step);
    const shown = shownStep(this.steps, this.step);
    const following = this.pinned === null;
    return html`
      <label for="slider">Step</label>
      <input
        id="slider"
        type="range"
        min="0"
        max=${Math.max(0, this.steps.length - 1)}
        .value=${String(Math.max(0, index))}
        ?disabled=${this.steps.length === 0}
        aria-valuetext=${shown === null ? 'no steps loaded' : `step ${shown}`}
        @input=${this.onSlider}
        @keydown=${this.onKey}
      />
      <input
        type="text"
        inputmode="numeric"
        aria-label="Go to step"
        placeholder="step"
        .value=${this.pinned === null ? '' : String(this.pinned)}
        @change=${this.onTyped}
        @keydown=${this.onTypedKey}
      />
      <span class="shown" data-shown-step=${shown ?? ''}>
        ${shown === null ? 'no step' : `showing step ${shown}`}
      </span>
      <span class="muted"
        >${this.steps.length ? loadedLabel(this.steps.length, this.kept ?? this.steps.length, this.total) : ''}</span
      >
      <button
        aria-pressed=${following ? 'true' : 'false'}
        title=${
          following
            ? 'Following the newest step; click to pin this one'
            : 'Pinned; click to follow the newest step'
        }
        @click=${this.onToggle}
      >
        ${following ? 'Following newest' : 'Pinned · follow newest'}
      </button>
      ${
        this.inputError ? html`<span class="error" role="alert">${this.inputError}</span>` : nothing
      }
    `;
  }

  private pin(step: number | null): void {
    this.inputError = '';
    this.dispatchEvent(selectEvent({ step }));
  }

  private onSlider(event: Event): void {
    const index = Number((event.target as HTMLInputElement).value);
    if (this.steps[index] !== undefined) this.pin(this.steps[index]);
  }

  /** Arrow keys move one loaded sample, whatever the slider's own step size. */
  private onKey(event: KeyboardEvent): void {
    const delta = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 }[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    const next = stepBy(this.steps, this.step, delta);
    if (next !== null) this.pin(next);
  }

  private onTyped(event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    if (text.trim() === '') return this.pin(null);
    const parsed = parseStep(text);
    if ('error' in parsed) this.inputError = parsed.error;
    else this.pin(parsed.step);
  }

  private onTypedKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.onTyped(event);
  }

  private onToggle(): void {
    this.pin(this.pinned === null ? (shownStep(this.steps, this.step) ?? this.step) : null);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-step-control': LbStepControl;
  }
}
