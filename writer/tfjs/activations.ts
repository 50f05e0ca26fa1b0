/**
 * Logs what the probe batch does inside a model at one step: per layer output,
 * the raw activations, per-channel statistics, the top probes per channel and
 * a PNG grid of probe 0's feature maps; plus the probe inputs, once.
 */
import { TensorRole, type TensorMetadata } from '../../proto/index.js';
import { checkStep } from '../arguments.js';
import { captureActivations, type CapturedActivation, type OversizeOutput } from './capture.js';
import { STAT_NAMES, activationLayout, channelStats, topProbes } from './channel-stats.js';
import { activationScale, formatLimit, type ColourScale } from './colormap.js';
import { renderGrid, vectorTiles, type TileSet } from './grids.js';
import { activationName, type LayersModel } from './layers.js';
import { encodeRgbPng } from './png.js';
import { unitLabelsByLayer, type OutputLabelOptions } from './output-labels.js';
import {
  checkBooleanOption,
  checkIntegerOption,
  checkOptionsObject,
  checkReportOptions,
} from './options.js';
import { checkProbes, logProbeInputsOnce, type ProbeBatch } from './probes.js';
import { Reporter, type ReportOptions } from './report.js';
import { checkSink, type SummarySink } from './sink.js';

export interface ActivationOptions extends ReportOptions, OutputLabelOptions {
  /** Probes listed per channel in `activation_top/<layer>`, an integer >= 1; default 5. */
  topK?: number;
  /**
   * Layer outputs with more values than this over the whole probe batch keep
   * only as many leading probes as fit, or are skipped when one probe does not
   * fit; a warning names the layers. The cap bounds memory too: a skipped
   * layer is not captured, and probes run through in chunks whose captured
   * outputs hold at most this many values. An integer >= 1; default 4M (16 MB
   * of float32).
   */
  maxActivationValues?: number;
  /** Write `activation_grid/<layer>` PNGs; default true. */
  grids?: boolean;
}

export const DEFAULT_TOP_K = 5;
export const DEFAULT_MAX_ACTIVATION_VALUES = 4_000_000;
/** Feature-map grids show at most this many channels. */
const MAX_GRID_TILES = 1024;

/**
 * Logs every layer's activations for `probes` at `step`. Invalid arguments
 * and options throw before anything is logged; a failure in one layer is
 * reported through `onError` (or one console warning) and the other layers
 * are still logged.
 */
export async function logActivations(
  writer: SummarySink,
  model: LayersModel,
  probes: ProbeBatch,
  step: number,
  options: ActivationOptions = {},
): Promise<void> {
  checkSink(writer);
  checkStep(step);
  checkProbes(probes);
  checkActivationOptions(options);
  const reporter = new Reporter(writer, options);
  await reporter.guard('activation', 'probe inputs', () =>
    logProbeInputsOnce(writer, model, probes, step),
  );

  const maxValues = options.maxActivationValues ?? DEFAULT_MAX_ACTIVATION_VALUES;
  let captured: CapturedActivation[] = [];
  await reporter.guard('activation', `activations of model "${model.name}"`, async () => {
    const { activations, oversize } = await captureActivations(model, probes.x, maxValues);
    if (oversize.length > 0) warnOversize(reporter, oversize, maxValues);
    captured = activations;
  });
  const unitLabels = unitLabelsByLayer(model, options, reporter);
  for (const activation of captured) {
    const labels = unitLabels.get(activation.output.layer);
    await reporter.guard('activation', `activations of layer "${activation.output.name}"`, () =>
      logLayer(writer, activation, probes, step, { ...options, labels }),
    );
  }
}

/** Throws naming the option for an activation option of the wrong kind or range. */
export function checkActivationOptions(options: ActivationOptions): void {
  checkOptionsObject(options);
  checkReportOptions(options);
  checkIntegerOption('topK', options.topK, 1);
  checkIntegerOption('maxActivationValues', options.maxActivationValues, 1);
  checkBooleanOption('grids', options.grids);
}

/** Layers named in the warning about outputs over the cap; the rest are counted. */
const OVERSIZE_NAMED = 4;

/**
 * One warning for all outputs over the cap, given once per writer and set of
 * layers: the cap is one cause, however many layers it cuts.
 */
function warnOversize(reporter: Reporter, oversize: OversizeOutput[], cap: number): void {
  const probes = oversize[0].shape[0];
  const named = oversize.slice(0, OVERSIZE_NAMED).map(({ output, kept, shape }) => {
    const what = `layer "${output.name}" [${shape.join(', ')}]`;
    return kept > 0 ? `${what}: logging its first ${kept} probes` : `${what}: not logging it`;
  });
  const more = oversize.length - named.length;
  if (more > 0) named.push(`${more} more layers are cut the same way`);
  reporter.warnOnce(
    `oversize:${oversize.map(({ output }) => output.name).join(',')}`,
    `activations over the maxActivationValues cap of ${cap} values for ${probes} probes: ` +
      `${named.join('; ')}. Raise the cap or use fewer probes to log more`,
  );
}

async function logLayer(
  writer: SummarySink,
  { output, values, shape }: CapturedActivation,
  probes: ProbeBatch,
  step: number,
  options: ActivationOptions & { labels?: string[] },
): Promise<void> {
  const activation = activationName(output.layer);
  const kept = shape[0];
  const { channels } = activationLayout(shape);
  const base: TensorMetadata = {
    layerName: output.layer.name,
    layerKind: output.layer.getClassName(),
    activation,
  };
  const probeFields = {
    probeIds: probes.ids.slice(0, kept),
    probeLabels: probes.labels.slice(0, kept),
  };

  await writer.tensor(`activations/${output.name}`, values, shape, step, {
    ...base,
    ...probeFields,
    role: TensorRole.ACTIVATION,
    shape,
    ...(options.labels && { unitLabels: options.labels }),
  });
  const statsShape = [channels, STAT_NAMES.length];
  await writer.tensor(
    `activation_stats/${output.name}`,
    channelStats(values, shape, activation),
    statsShape,
    step,
    {
      ...base,
      role: TensorRole.CHANNEL_STATS,
      shape: statsShape,
      statNames: STAT_NAMES,
    },
  );
  const k = Math.min(options.topK ?? DEFAULT_TOP_K, kept);
  await writer.tensor(
    `activation_top/${output.name}`,
    topProbes(values, shape, k),
    [channels, k],
    step,
    {
      ...base,
      ...probeFields,
      role: TensorRole.TOP_PROBES,
      shape: [channels, k],
    },
  );
  if (options.grids !== false) await logGrid(writer, output.name, values, shape, probes, step);
}

/** Probe 0's feature maps as one PNG; skipped for outputs of rank 5 and above. */
async function logGrid(
  writer: SummarySink,
  name: string,
  values: Float32Array,
  shape: readonly number[],
  probes: ProbeBatch,
  step: number,
): Promise<void> {
  const tiles = probeZeroTiles(values, shape);
  if (!tiles || tiles.count === 0 || tiles.width === 0 || tiles.height === 0) return;
  const perProbe = values.length / Math.max(1, shape[0]);
  const scale = activationScale(values.subarray(0, perProbe));
  const image = await encodeRgbPng(renderGrid(tiles, scale));
  const description = gridDescription(probes, shape, tiles.count, scale);
  await writer.image(`activation_grid/${name}`, image, step, { description });
}

/**
 * Probe 0 as tiles: `[P, H, W, C]` gives one H x W tile per channel; `[P, T, C]`
 * one T x C tile; `[P, N]` one near-square tile of the N units.
 */
export function probeZeroTiles(
  values: Float32Array,
  shape: readonly number[],
): TileSet | undefined {
  if (shape.length === 2) return vectorTiles(values, 0, shape[1]);
  if (shape.length === 3) {
    const [, height, width] = shape;
    return { count: 1, height, width, at: (_tile, y, x) => values[y * width + x] };
  }
  if (shape.length !== 4) return undefined;
  // TODO(rank-5 grids): Conv3D outputs get raw tensors and statistics but no grid.
  const [, height, width, channels] = shape;
  return {
    count: Math.min(channels, MAX_GRID_TILES),
    height,
    width,
    at: (channel, y, x) => values[(y * width + x) * channels + channel],
  };
}

function gridDescription(
  probes: ProbeBatch,
  shape: readonly number[],
  tiles: number,
  scale: ColourScale,
): string {
  const probe = `probe ${probes.ids[0]} (label ${probes.labels[0]})`;
  const layout =
    shape.length === 4 ? `one tile per channel, ${tiles} of ${shape[3]}` : 'one tile of all units';
  const colours =
    scale.kind === 'diverging'
      ? `signed: red = -${formatLimit(scale.limit)}, white = 0, blue = +${formatLimit(scale.limit)}`
      : `non-negative: black = 0, white = ${formatLimit(scale.limit)}`;
  return `Feature maps of ${probe}, ${layout}; ${colours}; magenta = NaN or infinite.`;
}
