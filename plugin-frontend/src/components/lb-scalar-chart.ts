/**
 * One scalar tag as a uPlot chart: every selected run overlaid in its colour,
 * a faint raw line under the smoothed one, separate launches never joined,
 * isolated points as markers, NaN and ±Infinity as marks at the plot's edge,
 * the global step as a vertical rule, and a readout of the values under the cursor.
 */
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import {
  buildScalarPlot,
  nearestPresent,
  type EdgeMark,
  type PlotOptions,
  type RunScalars,
  type ScalarPlot,
} from '../lib/scalar-plot.js';
import { MARK_CHART_DRAWN, mark } from '../lib/perf.js';
import { fittedAxis, flatRange, numericAxis, VALUE_PADDING } from '../lib/axis.js';
import { formatValue } from '../lib/format.js';

interface ReadoutRow {
  run: string;
  segment: number;
  color: string;
  value: number;
  raw: number | null;
  step: number;
  wallTime: number;
}

const CHART_HEIGHT = 220;

@customElement('lb-scalar-chart')
export class LbScalarChart extends LitElement {
  @property() tag = '';
  /** The runs' points; the plot is built from them only when the chart is on screen. */
  @property({ attribute: false }) runs: RunScalars[] = [];
  @property({ attribute: false }) options: PlotOptions = {
    smoothing: 0,
    logY: false,
    xAxis: 'step',
  };
  /** The global step, drawn as a rule on a step axis. */
  @property({ attribute: false }) step: number | null = null;

  @state() private readout: ReadoutRow[] = [];
  @state() private plot: ScalarPlot | null = null;
  /** True while the x axis shows less than the data (the user dragged to zoom). */
  private zoomed = false;
  /** The options the current plot was built with, as a comparable string. */
  private optionsKey = '';

  private chart: uPlot | null = null;
  /** The series layout the chart was built for; uPlot must be rebuilt when it changes. */
  private layoutKey = '';
  private resizer = new ResizeObserver(() => this.fit());
  /**
   * Charts off screen are not drawn: a logdir with hundreds of tags would
   * otherwise pay for every chart on first render and on every step change.
   * `pending` records what a hidden chart owes once it scrolls into view.
   */
  private visible = false;
  private pending: 'none' | 'redraw' | 'draw' = 'draw';
  private watcher = new IntersectionObserver(
    (entries) => this.onVisibility(entries[entries.length - 1].isIntersecting),
    { rootMargin: '200px' },
  );

  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        background: #fff;
        border: 1px solid #e0e0e3;
        border-radius: 8px;
        padding: 8px 10px;
        min-width: 0;
      }
      .plot {
        height: ${CHART_HEIGHT}px;
      }
      .readout {
        font-size: 12px;
        min-height: 1.4em;
        color: #3c4043;
        font-variant-numeric: tabular-nums;
        display: flex;
        flex-wrap: wrap;
        gap: 2px 12px;
      }
      .swatch {
        display: inline-block;
        width: 8px;
        height: 8px;
        border-radius: 2px;
        margin-right: 4px;
      }
      .note {
        font-size: 12px;
        color: #8a5300;
      }
    `,
  ];

  override render() {
    const marks = this.plot?.marks ?? [];
    return html`
      <div class="plot"></div>
      <div class="readout" aria-live="off">
        ${
          this.readout.length
            ? this.readout.map((row) => this.renderRow(row))
            : html`<span>&nbsp;</span>`
        }
      </div>
      ${marks.length ? html`<div class="note">${describeMarks(marks)}</div>` : nothing}
      ${
        this.plot?.hiddenOnLog
          ? html`<div class="note">
              ${this.plot.hiddenOnLog} values ≤ 0 not drawn on the log axis
            </div>`
          : nothing
      }
    `;
  }

  private renderRow(row: ReadoutRow) {
    const launch = row.segment > 0 ? ` (launch ${row.segment + 1})` : '';
    const raw = row.raw !== null && row.raw !== row.value ? ` raw ${formatValue(row.raw)}` : '';
    return html`<span
      ><span class="swatch" style="background:${row.color}"></span>${row.run}${launch}:
      ${formatValue(row.value)}${raw} @ step ${row.step}</span
    >`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizer.observe(this);
    this.watcher.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer.disconnect();
    this.watcher.disconnect();
    this.chart?.destroy();
    this.chart = null;
    this.layoutKey = '';
    this.pending = 'draw';
  }

  protected override updated(changed: Map<string, unknown>): void {
    const optionsKey = JSON.stringify(this.options);
    if (changed.has('runs') || optionsKey !== this.optionsKey) this.pending = 'draw';
    else if (changed.has('step') && this.pending === 'none') this.pending = 'redraw';
    this.optionsKey = optionsKey;
    if (this.visible) this.settle();
  }

  private onVisibility(visible: boolean): void {
    this.visible = visible;
    if (visible) this.settle();
  }

  private settle(): void {
    if (this.pending === 'draw') this.draw();
    else if (this.pending === 'redraw') this.chart?.redraw(false, false);
    this.pending = 'none';
  }

  private draw(): void {
    const plot = buildScalarPlot(this.runs, this.options);
    this.plot = plot;
    const data = [plot.xs, ...plot.series.map((series) => series.values)] as uPlot.AlignedData;
    const layout = plot.series.map((s) => `${s.run}:${s.segment}:${s.role}`).join();
    const key = `${this.optionsKey}|${layout}`;
    if (this.chart && key === this.layoutKey) {
      // A zoomed-in user keeps their window; otherwise the axes take in new data.
      this.chart.setData(data, !this.zoomed);
    } else {
      this.zoomed = false;
      this.chart?.destroy();
      this.layoutKey = key;
      const target = this.renderRoot.querySelector('.plot') as HTMLElement;
      this.chart = new uPlot(this.chartOptions(plot), data, target);
    }
    mark(MARK_CHART_DRAWN);
  }

  private chartOptions(plot: ScalarPlot): uPlot.Options {
    return {
      width: Math.max(200, this.clientWidth - 22),
      height: CHART_HEIGHT,
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: true, y: false } },
      scales: {
        x: { time: this.options.xAxis === 'wall' },
        y: this.options.logY
          ? { distr: 3 }
          : {
              auto: true,
              range: (_chart, min, max) =>
                flatRange(min, max) ?? uPlot.rangeNum(min, max, VALUE_PADDING),
            },
      },
      axes: [
        this.xAxis(),
        // uPlot labels a log axis itself; a linear one gets compact labels for any magnitude.
        this.options.logY ? fittedAxis('y') : numericAxis('y'),
      ],
      series: [
        {},
        ...plot.series.map((series) => ({
          label: `${series.run}${series.segment ? ` #${series.segment + 1}` : ''}`,
          stroke: series.color,
          width: series.role === 'raw' ? 1 : 1.5,
          alpha: series.role === 'raw' ? 0.25 : 1,
          points: {
            show: false,
            size: 6,
            fill: series.color,
            filter: (_chart: uPlot, index: number) => this.isolatedOf(index),
          },
        })),
      ],
      // Hooks read `this.plot`, never the plot the chart was built with: a chart
      // element is reused for another tag or newer data with the same series layout
      // (setData keeps these options), and stale markers or marks would be drawn.
      hooks: {
        draw: [(chart) => this.plot && this.drawOverlays(chart, this.plot)],
        setCursor: [(chart) => this.plot && this.updateReadout(chart, this.plot)],
        setScale: [(chart, key) => key === 'x' && this.noteZoom(chart)],
      },
    };
  }

  /** Steps and seconds as compact numbers; the clock in uPlot's own date labels. */
  private xAxis(): uPlot.Axis {
    const label = { step: 'step', relative: 'seconds since start', wall: '' }[this.options.xAxis];
    return this.options.xAxis === 'wall' ? fittedAxis('x', { label }) : numericAxis('x', { label });
  }

  /** Columns of uPlot series `index` to draw as markers: its isolated points, or none. */
  private isolatedOf(index: number): number[] | null {
    const isolated = this.plot?.series[index - 1]?.isolated ?? [];
    return isolated.length ? isolated : null;
  }

  /** The step rule and the edge marks for values the axis cannot show. */
  private drawOverlays(chart: uPlot, plot: ScalarPlot): void {
    const ctx = chart.ctx;
    const { left, top, width, height } = chart.bbox;
    ctx.save();
    if (this.step !== null && this.options.xAxis === 'step') {
      const x = chart.valToPos(this.step, 'x', true);
      if (x >= left && x <= left + width) {
        ctx.strokeStyle = 'rgba(26, 115, 232, 0.6)';
        ctx.lineWidth = devicePixelRatio;
        ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    for (const mark of plot.marks) drawMark(chart, mark, { left, top, width, height });
    ctx.restore();
  }

  private updateReadout(chart: uPlot, plot: ScalarPlot): void {
    const index = chart.cursor.idx;
    if (index === null || index === undefined) {
      this.readout = [];
      return;
    }
    const rows: ReadoutRow[] = [];
    plot.series.forEach((series, i) => {
      if (series.role !== 'smoothed') return;
      const at = nearestPresent(series.values, index);
      const point = at < 0 ? undefined : series.points[at];
      if (!point) return;
      const raw = plot.series[i - 1]?.role === 'raw' ? point.value : null;
      const value = series.values[at] ?? point.value;
      rows.push({ ...point, run: series.run, color: series.color, value, raw });
    });
    this.readout = rows;
  }

  private noteZoom(chart: uPlot): void {
    const xs = chart.data[0];
    const { min, max } = chart.scales.x;
    if (xs.length === 0 || min === undefined || max === undefined) return;
    this.zoomed = min > xs[0] || max < xs[xs.length - 1];
  }

  private fit(): void {
    this.chart?.setSize({ width: Math.max(200, this.clientWidth - 22), height: CHART_HEIGHT });
  }
}

/** ▲ at the top for +Infinity, ▼ at the bottom for -Infinity, ◆ at the top for NaN. */
function drawMark(
  chart: uPlot,
  mark: EdgeMark,
  box: { left: number; top: number; width: number; height: number },
) {
  const x = chart.valToPos(mark.x, 'x', true);
  if (x < box.left || x > box.left + box.width) return;
  const size = 5 * devicePixelRatio;
  const ctx = chart.ctx;
  const y = mark.kind === '-inf' ? box.top + box.height - size : box.top + size;
  ctx.fillStyle = mark.color;
  ctx.strokeStyle = '#202124';
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  if (mark.kind === 'nan') {
    ctx.moveTo(x, y - size);
    ctx.lineTo(x + size, y);
    ctx.lineTo(x, y + size);
    ctx.lineTo(x - size, y);
  } else {
    const tip = mark.kind === '+inf' ? -size : size;
    ctx.moveTo(x, y + tip);
    ctx.lineTo(x + size, y - tip);
    ctx.lineTo(x - size, y - tip);
  }
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
}

function describeMarks(marks: EdgeMark[]): string {
  const count = (kind: EdgeMark['kind']) => marks.filter((mark) => mark.kind === kind).length;
  const parts = [
    count('nan') ? `${count('nan')} NaN (◆ top)` : '',
    count('+inf') ? `${count('+inf')} +Infinity (▲ top)` : '',
    count('-inf') ? `${count('-inf')} -Infinity (▼ bottom)` : '',
  ].filter(Boolean);
  const steps = marks.slice(0, 5).map((mark) => mark.step);
  const more = marks.length > 5 ? ', …' : '';
  return `Not finite: ${parts.join(', ')} at step ${steps.join(', ')}${more}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-scalar-chart': LbScalarChart;
  }
}
