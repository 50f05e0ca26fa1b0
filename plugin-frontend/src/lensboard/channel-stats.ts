/**
 * What a channel's values say about it: summary statistics of its maps, and
 * whether it is dead (exactly zero for every probe) or saturated (stuck at the
 * flat ends of its activation function for nearly every probe). Also the
 * model's predicted class per probe, read from the output layer.
 */
import { channelAcrossItems, mapValue, type ItemLayout, type MapRef } from './tensor-maps.js';

export interface MapStats {
  /** Finite extremes and mean; NaN when no value is finite. */
  min: number;
  max: number;
  mean: number;
  /** Fractions of all values (finite or not). */
  fractionZero: number;
  fractionSaturated: number;
  nonFinite: number;
  count: number;
}

export interface ChannelHealth {
  /** Zero for every probe behind a rectifying activation: it passes nothing and learns nothing. */
  dead: boolean;
  /** Zero for every probe where "dead" means nothing (an input border, a pooled zero). */
  alwaysZero: boolean;
  saturated: boolean;
}

/**
 * Activations (tfjs's names, and layers that are one) with a flat region at
 * zero: a unit stuck there gets no gradient, so all-zero output means dead.
 * Elsewhere (a Flatten of the input, linear, softmax) zeros are just values.
 */
const RECTIFYING = new Set(['relu', 'relu6', 'elu', 'selu', 'thresholdedrelu']);

/** True when an all-zero channel of this layer is dead: its activation rectifies. */
export function rectifies(activation: string, layerKind = ''): boolean {
  return RECTIFYING.has(activation.toLowerCase()) || RECTIFYING.has(layerKind.toLowerCase());
}

/**
 * A channel counts as saturated when at least this fraction of its values over
 * all probes lies in its activation's flat region: the gradient through it is
 * then near zero for almost every input.
 */
export const SATURATED_FRACTION = 0.95;

/**
 * A value counts as saturated within this of a bound of its activation: the
 * rule the tfjs adapter uses for `activation_stats`, so both agree.
 */
export const SATURATION_MARGIN = 1e-3;

/**
 * The output range of bounded activations, by tfjs's names. Unbounded ones
 * (relu, linear, elu) have none: a relu fails by dying, reported on its own.
 */
const BOUNDS: Record<string, readonly [number, number]> = {
  sigmoid: [0, 1],
  hardSigmoid: [0, 1],
  tanh: [-1, 1],
  softsign: [-1, 1],
};

export function saturationTest(
  activation: string | undefined,
): ((value: number) => boolean) | null {
  const bounds = BOUNDS[activation ?? ''];
  if (!bounds) return null;
  const [low, high] = bounds;
  return (v) => v - low <= SATURATION_MARGIN || high - v <= SATURATION_MARGIN;
}

/** Statistics over every cell of every map given (one probe, or all probes). */
export function mapStats(maps: readonly MapRef[], activation?: string): MapStats {
  const saturated = saturationTest(activation);
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    finite = 0,
    zeros = 0,
    flat = 0,
    count = 0;
  for (const map of maps) {
    for (let y = 0; y < map.height; y++) {
      for (let x = 0; x < map.width; x++) {
        const v = mapValue(map, y, x);
        count++;
        if (v === 0) zeros++;
        if (saturated?.(v)) flat++;
        if (!Number.isFinite(v)) continue;
        finite++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return {
    min: finite ? min : NaN,
    max: finite ? max : NaN,
    mean: finite ? sum / finite : NaN,
    fractionZero: count ? zeros / count : 0,
    fractionSaturated: count ? flat / count : 0,
    nonFinite: count - finite,
    count,
  };
}

/**
 * Dead and saturated flags from statistics taken over all probes; an all-zero
 * channel is dead only when `rectifying` (see `rectifies`).
 */
export function channelHealth(acrossProbes: MapStats, rectifying: boolean): ChannelHealth {
  const zero = acrossProbes.count > 0 && acrossProbes.fractionZero === 1;
  return {
    dead: zero && rectifying,
    alwaysZero: zero && !rectifying,
    saturated: acrossProbes.count > 0 && acrossProbes.fractionSaturated >= SATURATED_FRACTION,
  };
}

/**
 * Index of the largest value among `length` values from `offset`; NaN never wins;
 * -1 if none is comparable.
 */
export function argmax(values: Float32Array, offset: number, length: number): number {
  let best = -1;
  for (let i = 0; i < length; i++) {
    const v = values[offset + i];
    if (Number.isNaN(v)) continue;
    if (best < 0 || v > values[offset + best]) best = i;
  }
  return best;
}

/** The predicted class of every probe from an output activation `[probes, classes]`. */
export function predictions(output: { shape: number[]; values: Float32Array }): number[] {
  if (output.shape.length !== 2) {
    throw new Error(`output activation shape: got [${output.shape}], want [probes, classes]`);
  }
  const [probes, classes] = output.shape;
  return Array.from({ length: probes }, (_, p) => argmax(output.values, p * classes, classes));
}

/**
 * The class output unit `unit` stands for: its label from the layer's
 * `unitLabels` (an expert's units may be classes 5..9), else the unit's index;
 * "?" for no unit (-1, nothing comparable).
 */
export function classOf(unit: number, unitLabels: readonly string[]): string {
  if (unit < 0) return '?';
  return unitLabels[unit] || String(unit);
}

/** The class of each of `units` output units: its label, else its index. */
export function outputClasses(unitLabels: readonly string[], units: number): string[] {
  return Array.from({ length: units }, (_, unit) => classOf(unit, unitLabels));
}

/**
 * How a probe's prediction compares with its true class. `outside`: the true
 * class is not among the output units' classes (an expert trained on classes
 * 0..4 shown a 7), so the model could not have been right and is not wrong
 * in any sense worth a red mark. `unknown`: the true class or the prediction
 * is not known.
 */
export type ProbeVerdict = 'right' | 'wrong' | 'outside' | 'unknown';

export function probeVerdict(
  truth: string,
  predicted: string,
  classes: readonly string[] | null,
): ProbeVerdict {
  if (truth === '?' || predicted === '?') return 'unknown';
  if (classes && classes.length > 0 && !classes.includes(truth)) return 'outside';
  return truth === predicted ? 'right' : 'wrong';
}

/** Channels whose every value over every probe is exactly zero: they pass nothing on. */
export function deadChannels(values: Float32Array, layout: ItemLayout): number[] {
  const dead: number[] = [];
  for (let c = 0; c < layout.channels; c++) {
    if (mapStats(channelAcrossItems(values, layout, c)).fractionZero === 1) dead.push(c);
  }
  return dead;
}
