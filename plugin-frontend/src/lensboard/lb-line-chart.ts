/**
 * `<lb-line-chart>`: a small uPlot line chart of a few scalar series over
 * steps (a channel's history, a layer's divergence per worker), with a
 * vertical mark at the step the other views show. Series come from the
 * shared scalar-plot builder, so restarts are never joined by a line and
 * non-finite values are marked at the plot's edge instead of drawn as 0.
 */
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { flatRange, numericAxis, VALUE_PADDING } from '../lib/axis.js';
import { buildScalarPlot, type RunScalars, type ScalarPlot } from '../lib/scalar-plot.js';

@customElement('lb-line-chart')
export class LbLineChart extends LitElement {
  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        font-size: 12px;
      }
      .title {
        font-weight: 600;
        margin-bottom: 2px;
      }
    `,
  ];

  /** One entry per line: `run` is the label in the legend. */
  @property({ attribute: false }) lines: RunScalars[] = [];
  @property({ attribute: false }) markStep: number | null = null;
  @property() heading = '';
  @property({ type: Number }) width = 380;
  @property({ type: Number }) height = 160;

  @query('.plot') private target!: HTMLDivElement;
  private chart: uPlot | null = null;
  private plot: ScalarPlot | null = null;

  override render() {
    return html`<div class="title">${this.heading}</div>
      <div class="plot"></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('lines') || changed.has('width') || changed.has('height')) this.rebuild();
    else if (changed.has('markStep')) this.chart?.redraw(false, false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }

  private rebuild(): void {
    this.chart?.destroy();
    this.plot = buildScalarPlot(this.lines, { smoothing: 0, logY: false, xAxis: 'step' });
    const data = [this.plot.xs, ...this.plot.series.map((s) => s.values)] as uPlot.AlignedData;
    this.chart = new uPlot(this.options(this.plot), data, this.target);
  }

  private options(plot: ScalarPlot): uPlot.Options {
    return {
      width: this.width,
      height: this.height,
      scales: {
        x: { time: false },
        y: {
          range: (_chart, min, max) =>
            flatRange(min, max) ?? uPlot.rangeNum(min, max, VALUE_PADDING),
        },
      },
      axes: [numericAxis('x'), numericAxis('y')],
      // A legend of names only: live values read "--" until the pointer is over the chart.
      legend: { live: false },
      series: [
        { label: 'step' },
        ...plot.series.map((s) => ({
          label: s.segment > 0 ? `${s.run} (launch ${s.segment + 1})` : s.run,
          stroke: s.color,
          width: 1.5,
          // Only points with no drawable neighbour get a marker, or they would vanish.
          points: {
            show: false,
            size: 6,
            fill: s.color,
            filter: () => (s.isolated.length ? s.isolated : null),
          },
        })),
      ],
      hooks: { draw: [(u) => this.drawMarks(u)] },
    };
  }

  /**
   * The shown step as a vertical line, and non-finite values as ticks at the top
   * or bottom edge.
   */
  private drawMarks(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    if (this.markStep !== null) {
      const x = u.valToPos(this.markStep, 'x', true);
      ctx.strokeStyle = '#ff9800';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    for (const mark of this.plot?.marks ?? []) {
      const x = u.valToPos(mark.x, 'x', true);
      const y = mark.kind === '-inf' ? top + height - 6 : top;
      ctx.fillStyle = mark.color;
      ctx.fillRect(x - 1, y, 3, 6);
    }
    ctx.restore();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-line-chart': LbLineChart;
  }
}
