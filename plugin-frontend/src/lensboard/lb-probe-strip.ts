/**
 * `<lb-probe-strip>`: thumbnails of probe inputs with their true and predicted
 * labels; clicking one emits `lb-probe-pick` with its index. Used to pick the
 * probe the activations view shows and to list a channel's top probes.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LoadedTensor } from '../api-types.js';
import { classOf, outputClasses, probeVerdict } from './channel-stats.js';
import type { ColorScale } from './color-scale.js';
import { zoomFor } from './map-grid-layout.js';
import { mergeRanges } from './color-scale.js';
import { mapRange, rgbRange } from './paint-map.js';
import { activationLayout, itemMap, templateLayout, type MapRef } from './tensor-maps.js';
import './lb-map-grid.js';
import './lb-rgb-map.js';

/** A probe input as drawn: its maps, one (grey) or three (red, green, blue). */
type ProbeImage = MapRef[];

/** Thumbnails are about this many CSS pixels across. */
const THUMBNAIL_SIZE = 40;

@customElement('lb-probe-strip')
export class LbProbeStrip extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }
    button {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 2px;
      padding: 3px;
      border: 2px solid transparent;
      border-radius: 4px;
      background: #fff;
      font:
        11px system-ui,
        sans-serif;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      border-color: #ff9800;
    }
    .id {
      color: #5f6368;
    }
    .wrong {
      color: #c62828;
      font-weight: 600;
    }
    /* Not wrong: the model has no output for this class. Muted, so it reads as "n/a". */
    .outside {
      color: #80868b;
      font-style: italic;
    }
    .caption {
      flex-basis: 100%;
      font:
        12px system-ui,
        sans-serif;
      color: #5f6368;
      margin: 0;
    }
  `;

  /** The probe inputs `[probes, ...input]`. */
  @property({ attribute: false }) probes: LoadedTensor | null = null;
  /** Which probes to show, in order; every probe when null. */
  @property({ attribute: false }) order: readonly number[] | null = null;
  /** Probe ids (their place in the data set) by batch index; the index stands in when absent. */
  @property({ attribute: false }) ids: readonly number[] = [];
  @property({ attribute: false }) labels: readonly number[] = [];
  /** Predicted output unit per probe; `unitLabels` names the class of each unit. */
  @property({ attribute: false }) predictions: readonly number[] = [];
  @property({ attribute: false }) unitLabels: readonly string[] = [];
  /** Units of the output layer, so a true class outside them is told apart; null if unknown. */
  @property({ attribute: false }) outputUnits: number | null = null;
  @property({ type: Number }) selected: number | null = null;

  override render() {
    const images = this.probes ? probeImages(this.probes) : [];
    if (images.length === 0) return html`<span>no probe inputs logged</span>`;
    const draw = images[0].length === 3 ? rgbDrawer(images) : greyDrawer(images);
    const order = (this.order ?? images.map((_, i) => i)).filter((p) => p < images.length);
    const classes = this.classes();
    const outside = [...new Set(order.flatMap((p) => this.outsideClass(p, classes)))];
    return html`${order.map((p) => this.thumbnail(p, draw(p), classes))}
    ${
      outside.length && classes
        ? html`<p class="caption" data-testid="outside-note">
            ${outside.length === 1 ? 'Class' : 'Classes'} ${outside.join(', ')}
            ${outside.length === 1 ? 'is' : 'are'} not among this model's outputs
            (${classes.join(', ')}): those probes are greyed, not counted wrong.
          </p>`
        : nothing
    }`;
  }

  /** The classes of the output units, or null when the output layer is not known. */
  private classes(): string[] | null {
    return this.outputUnits === null ? null : outputClasses(this.unitLabels, this.outputUnits);
  }

  private truthOf(probe: number): string {
    const label = this.labels[probe] ?? -1;
    return label >= 0 ? String(label) : '?';
  }

  /** The probe's true class when no output unit stands for it, else nothing. */
  private outsideClass(probe: number, classes: string[] | null): string[] {
    const truth = this.truthOf(probe);
    return truth !== '?' && classes?.length && !classes.includes(truth) ? [truth] : [];
  }

  private thumbnail(probe: number, picture: TemplateResult, classes: string[] | null) {
    const truth = this.truthOf(probe);
    const predicted = classOf(this.predictions[probe] ?? -1, this.unitLabels);
    const verdict = probeVerdict(truth, predicted, classes);
    const id = probeName(probe, this.ids);
    const why = verdict === 'outside' ? `class ${truth} is not among this model's outputs` : '';
    return html`<button
      aria-pressed=${this.selected === probe}
      data-probe=${probe}
      data-probe-id=${this.ids[probe] ?? ''}
      data-verdict=${verdict}
      title=${why ? `${id}: ${why}` : id}
      @click=${() => this.dispatchEvent(new CustomEvent('lb-probe-pick', { detail: probe }))}
    >
      ${picture}
      <span class="id">${id}</span>
      <span
        class=${verdict === 'wrong' || verdict === 'outside' ? verdict : ''}
        title=${why || nothing}
        data-testid="probe-labels"
      >
        true ${truth} · pred ${predicted}
      </span>
    </button>`;
  }
}

/**
 * How a probe is named wherever it is shown: by its id (as image captions name
 * it, "probe 3"), else by its place in the batch ("probe #3", as `probe=3` in a link).
 */
export function probeName(probe: number, ids: readonly number[]): string {
  const id = ids[probe];
  return id === undefined ? `probe #${probe}` : `probe ${id}`;
}

/**
 * The maps of each probe input: red, green and blue of a 3-channel image, else
 * the first channel; a flat input is drawn square when it is one.
 */
export function probeImages(probes: LoadedTensor): ProbeImage[] {
  const layout =
    probes.shape.length <= 3 ? templateLayout(probes.shape) : activationLayout(probes.shape);
  const channels = layout.channels === 3 ? [0, 1, 2] : [0];
  return Array.from({ length: layout.items }, (_, p) =>
    channels.map((c) => itemMap(probes.values, layout, p, c)),
  );
}

/** Grey inputs as ink on one scale for every probe. */
function greyDrawer(images: ProbeImage[]) {
  const scale = probeScale(images.map((maps) => maps[0]));
  return (probe: number) => {
    const map = images[probe][0];
    return html`<lb-map-grid
      .maps=${[map]}
      .scales=${scale}
      .zoom=${zoomFor(map.height, map.width, THUMBNAIL_SIZE)}
      label="probe ${probe}"
    ></lb-map-grid>`;
  };
}

/** Colour inputs in their own colours, on one range for every probe. */
function rgbDrawer(images: ProbeImage[]) {
  const range = rgbRange(mergeRanges(images.flat().map(mapRange)));
  return (probe: number) => {
    const [red, green, blue] = images[probe];
    return html`<lb-rgb-map
      .channels=${[red, green, blue] as const}
      .range=${range}
      .zoom=${zoomFor(red.height, red.width, THUMBNAIL_SIZE)}
      label="probe ${probe}"
    ></lb-rgb-map>`;
  };
}

/** Inputs are drawn as ink: darkest at their largest value, one range for all probes. */
function probeScale(maps: MapRef[]): ColorScale {
  const ranges = maps.map(mapRange);
  const min = Math.min(...ranges.map((r) => r.min));
  const max = Math.max(...ranges.map((r) => r.max));
  return {
    kind: 'greys',
    min: Number.isFinite(min) ? min : 0,
    max: Number.isFinite(max) ? max : 0,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lb-probe-strip': LbProbeStrip;
  }
}
