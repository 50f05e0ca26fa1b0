/**
 * Per-channel summaries of a layer's activations over the probe batch:
 * statistics over probes and positions, and which probes drive each channel
 * hardest. Activations are channels last, `[probes, ...positions, channels]`;
 * a rank-2 output `[probes, units]` has one position per unit.
 */

export const STAT_NAMES = ['mean', 'max', 'fraction_zero', 'fraction_saturated'];

/** |y| within this of a bound counts as saturated. */
export const SATURATION_MARGIN = 1e-3;

/** The output range of bounded activation functions, by tfjs's names. */
const BOUNDS: Record<string, readonly [number, number]> = {
  sigmoid: [0, 1],
  hardSigmoid: [0, 1],
  tanh: [-1, 1],
  softsign: [-1, 1],
};

export function saturationBounds(activation: string): readonly [number, number] | undefined {
  return BOUNDS[activation];
}

/** How a channels-last activation divides into probes, positions and channels. */
export interface ActivationLayout {
  probes: number;
  positions: number;
  channels: number;
}

export function activationLayout(shape: readonly number[]): ActivationLayout {
  const probes = shape[0] ?? 1;
  const channels = shape.length >= 2 ? shape[shape.length - 1] : 1;
  const perProbe = shape.slice(1).reduce((product, size) => product * size, 1);
  return { probes, positions: channels === 0 ? 0 : perProbe / channels, channels };
}

/**
 * `[channels, 4]`: mean, max, fraction exactly zero, fraction saturated (0
 * for unbounded activations). A NaN anywhere in a channel makes its mean and
 * max NaN: a broken channel must look broken, not average out.
 */
export function channelStats(
  values: Float32Array,
  shape: readonly number[],
  activation = '',
): Float32Array {
  const { channels } = activationLayout(shape);
  const sums = new Float64Array(channels);
  const maxima = new Float64Array(channels).fill(-Infinity);
  const zeros = new Float64Array(channels);
  const saturated = new Float64Array(channels);
  const bounds = saturationBounds(activation);

  for (let i = 0; i < values.length; i++) {
    const channel = i % channels;
    const value = values[i];
    sums[channel] += value;
    if (value > maxima[channel] || Number.isNaN(value)) maxima[channel] = value;
    if (value === 0) zeros[channel]++;
    if (bounds && isSaturated(value, bounds)) saturated[channel]++;
  }
  return packStats([sums, maxima, zeros, saturated], values.length / Math.max(1, channels));
}

function isSaturated(value: number, [low, high]: readonly [number, number]): boolean {
  return value - low <= SATURATION_MARGIN || high - value <= SATURATION_MARGIN;
}

function packStats([sums, maxima, zeros, saturated]: Float64Array[], count: number): Float32Array {
  const stats = new Float32Array(sums.length * STAT_NAMES.length);
  for (let channel = 0; channel < sums.length; channel++) {
    const row = channel * STAT_NAMES.length;
    // Once NaN, a maximum stays NaN: NaN compares false against everything.
    stats[row] = count > 0 ? sums[channel] / count : NaN;
    stats[row + 1] = count > 0 ? maxima[channel] : NaN;
    stats[row + 2] = count > 0 ? zeros[channel] / count : 0;
    stats[row + 3] = count > 0 ? saturated[channel] / count : 0;
  }
  return stats;
}

/** `[probes, channels]`: each probe's mean activation of each channel over positions. */
export function probeChannelMeans(values: Float32Array, shape: readonly number[]): Float64Array {
  const { probes, positions, channels } = activationLayout(shape);
  const means = new Float64Array(probes * channels);
  const perProbe = positions * channels;
  for (let i = 0; i < values.length; i++) {
    means[Math.floor(i / perProbe) * channels + (i % channels)] += values[i];
  }
  for (let i = 0; i < means.length; i++) means[i] /= Math.max(1, positions);
  return means;
}

/**
 * `[channels, k]`: for each channel, the indices into the probe batch of the
 * `k` probes with the highest mean activation, highest first. Ties keep probe
 * order; NaN ranks below every number.
 */
export function topProbes(values: Float32Array, shape: readonly number[], k: number): Float32Array {
  const { probes, channels } = activationLayout(shape);
  const kept = Math.min(k, probes);
  const means = probeChannelMeans(values, shape);
  const top = new Float32Array(channels * kept);
  const order = Array.from({ length: probes }, (_, probe) => probe);
  for (let channel = 0; channel < channels; channel++) {
    const score = (probe: number) => {
      const mean = means[probe * channels + channel];
      return Number.isNaN(mean) ? -Infinity : mean;
    };
    // Array.prototype.sort is stable, so equal scores keep probe order.
    const ranked = [...order].sort((a, b) => score(b) - score(a) || a - b);
    top.set(ranked.slice(0, kept), channel * kept);
  }
  return top;
}
