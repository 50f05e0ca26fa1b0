/**
 * One histogram series on a canvas: an offset (ridge) view of the distribution
 * over steps, oldest at the back, with the step on screen highlighted; below
 * it, that step's distribution as bars. Steps that cannot be drawn (non-finite
 * edges) are marked at their place on the step axis in red.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ridgeLabels, type BinnedHistograms, type HistogramFrame } from '../lib/histogram-bins.js';
import { formatTick, formatValue } from '../lib/format.js';

const RIDGE_HEIGHT = 200;
const BARS_HEIGHT = 90;
const AXIS_HEIGHT = 18;
const LABEL_WIDTH = 70;
const PEAK = 56;
const BAD_COLOR = '#d93025';
/** Step labels closer than this (11px text) would overprint each other. */
const LABEL_GAP = 12;

@customElement('lb-histogram-chart')
export class LbHistogramChart extends LitElement {
  @property({ attribute: false }) data: BinnedHistograms | null = null;
  /** The frame on screen (the step at or before the global step). */
  @property({ attribute: false }) shown: HistogramFrame | null = null;
  @property() color = '#1a73e8';

  private resizer = new ResizeObserver(() => this.paint());

  static override styles = css`
    :host {
      display: block;
    }
    canvas {
      width: 100%;
      display: block;
    }
  `;

  override render() {
    return html`<canvas role="img" aria-label=${this.describe()}></canvas>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer.disconnect();
  }

  protected override updated(): void {
    this.paint();
  }

  private describe(): string {
    if (!this.data || !this.shown) return 'no drawable histogram';
    const { edges } = this.data;
    const low = formatValue(edges[0]);
    const high = formatValue(edges[edges.length - 1]);
    const steps = this.data.frames.length;
    const step = this.shown.step;
    return `histogram over ${steps} steps, values ${low} to ${high}, step ${step} highlighted`;
  }

  private paint(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas || !this.data) return;
    const ratio = devicePixelRatio;
    const width = canvas.clientWidth;
    const ridges = this.ridgeHeight();
    const height = ridges + BARS_HEIGHT + 2 * AXIS_HEIGHT;
    canvas.style.height = `${height}px`;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(ratio, ratio);
    ctx.font = '11px system-ui, sans-serif';
    const plot = { left: 8, right: width - LABEL_WIDTH };
    if (ridges > 0) this.paintRidges(ctx, plot);
    this.paintBars(ctx, plot, ridges + AXIS_HEIGHT);
    this.paintAxis(ctx, plot, ridges + AXIS_HEIGHT + BARS_HEIGHT);
  }

  /**
   * The ridges show change over steps: with one step there is none, and the
   * bars below already draw it, so no ridge area is left blank.
   */
  private ridgeHeight(): number {
    const { frames, bad } = this.data!;
    return frames.length + bad.length > 1 ? RIDGE_HEIGHT : 0;
  }

  private xOf(plot: { left: number; right: number }, value: number): number {
    const edges = this.data!.edges;
    const low = edges[0];
    const high = edges[edges.length - 1];
    return plot.left + ((value - low) / (high - low)) * (plot.right - plot.left);
  }

  /** Frames placed by step between the first and last step logged, bad steps included. */
  private paintRidges(ctx: CanvasRenderingContext2D, plot: { left: number; right: number }): void {
    const { frames, bad, maxCount } = this.data!;
    const steps = [...frames.map((frame) => frame.step), ...bad.map((item) => item.step)];
    const first = Math.min(...steps);
    const last = Math.max(...steps);
    const yOf = (step: number) =>
      PEAK +
      6 +
      (last === first ? 0 : ((step - first) / (last - first)) * (RIDGE_HEIGHT - PEAK - 12));

    for (const frame of frames) {
      const shown = frame === this.shown;
      this.ridge(ctx, plot, frame, yOf(frame.step), maxCount, shown);
    }
    for (const item of bad) {
      const y = yOf(item.step);
      ctx.strokeStyle = BAD_COLOR;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(plot.left, y);
      ctx.lineTo(plot.right, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const colors = { bad: BAD_COLOR, shown: this.color, end: '#5f6368' };
    for (const label of ridgeLabels(this.data!, this.shown?.step ?? null, yOf, LABEL_GAP)) {
      ctx.fillStyle = colors[label.kind];
      ctx.fillText(label.text, plot.right + 4, yOf(label.step) + 4);
    }
  }

  private ridge(
    ctx: CanvasRenderingContext2D,
    plot: { left: number; right: number },
    frame: HistogramFrame,
    baseline: number,
    maxCount: number,
    shown: boolean,
  ): void {
    const { edges } = this.data!;
    ctx.beginPath();
    ctx.moveTo(this.xOf(plot, edges[0]), baseline);
    frame.counts.forEach((count, bin) => {
      const center = (edges[bin] + edges[bin + 1]) / 2;
      ctx.lineTo(this.xOf(plot, center), baseline - (maxCount ? (count / maxCount) * PEAK : 0));
    });
    ctx.lineTo(this.xOf(plot, edges[edges.length - 1]), baseline);
    ctx.fillStyle = shown ? withAlpha(this.color, 0.35) : 'rgba(255,255,255,0.85)';
    ctx.fill();
    ctx.strokeStyle = shown ? this.color : 'rgba(95, 99, 104, 0.45)';
    ctx.lineWidth = shown ? 2 : 1;
    ctx.stroke();
  }

  private paintBars(
    ctx: CanvasRenderingContext2D,
    plot: { left: number; right: number },
    top: number,
  ): void {
    const { edges } = this.data!;
    const frame = this.shown;
    if (!frame) return;
    const most = Math.max(...frame.counts);
    frame.counts.forEach((count, bin) => {
      const x0 = this.xOf(plot, edges[bin]);
      const x1 = this.xOf(plot, edges[bin + 1]);
      const h = most ? (count / most) * (BARS_HEIGHT - 14) : 0;
      ctx.fillStyle = this.color;
      ctx.fillRect(x0 + 0.5, top + BARS_HEIGHT - h, Math.max(1, x1 - x0 - 1), h);
    });
    ctx.fillStyle = '#5f6368';
    ctx.fillText(`step ${frame.step} · peak ${formatValue(most)}`, plot.left, top + 10);
  }

  private paintAxis(
    ctx: CanvasRenderingContext2D,
    plot: { left: number; right: number },
    top: number,
  ): void {
    const { edges } = this.data!;
    const low = edges[0];
    const high = edges[edges.length - 1];
    ctx.strokeStyle = '#9aa0a6';
    ctx.beginPath();
    ctx.moveTo(plot.left, top + 2);
    ctx.lineTo(plot.right, top + 2);
    ctx.stroke();
    ctx.fillStyle = '#5f6368';
    for (let i = 0; i <= 4; i++) {
      const value = low + ((high - low) * i) / 4;
      const x = this.xOf(plot, value);
      const text = formatTick(value, (high - low) / 4);
      const offset =
        i === 0 ? 0 : i === 4 ? ctx.measureText(text).width : ctx.measureText(text).width / 2;
      ctx.fillText(text, x - offset, top + 14);
    }
  }
}

function withAlpha(color: string, alpha: number): string {
  const hex = color.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-histogram-chart': LbHistogramChart;
  }
}
