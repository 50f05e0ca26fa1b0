/**
 * Class templates: a dense layer's weights into each output unit, laid out
 * like the layer's input was before it was flattened, so that the weights
 * a digit classifier learned for "3" look like a 3. The raw templates keep
 * every value; the PNGs draw them red (negative), white (0), blue (positive)
 * on one symmetric scale per layer, whose value the description states.
 */
import { TensorRole } from '../../proto/index.js';
import { divergingScale, finiteAbsMax, formatLimit } from './colormap.js';
import { renderGrid, vectorTiles, type TileSet } from './grids.js';
import { flattenedInputShape, type Layer } from './layers.js';
import { encodeRgbPng } from './png.js';
import type { EncodedImage, SummarySink } from './sink.js';

/** Template PNGs are written for at most this many units of a layer. */
export const MAX_TEMPLATE_IMAGES = 64;

/** How one unit's weights are laid out: `shape`, with `channels` moved first when > 1. */
export interface TemplateLayout {
  shape: number[];
  channels: number;
}

/**
 * The per-unit layout of a template: a flattened `[h, w, c]` input becomes
 * `[c, h, w]` (channels first, one picture per channel), or `[h, w]` when it
 * had one channel; any other flattened shape moves its last axis first the
 * same way; an input that was not flattened stays a plain vector.
 */
export function templateLayout(layer: Layer, inputSize: number): TemplateLayout {
  const flattened = flattenedInputShape(layer);
  if (!flattened || product(flattened) !== inputSize) return { shape: [inputSize], channels: 1 };
  if (flattened.length === 2) return { shape: flattened, channels: 1 };
  const channels = flattened[flattened.length - 1];
  const spatial = flattened.slice(0, -1);
  return channels === 1
    ? { shape: spatial, channels }
    : { shape: [channels, ...spatial], channels };
}

function product(sizes: readonly number[]): number {
  return sizes.reduce((a, b) => a * b, 1);
}

/**
 * Reorders a `[inputs, units]` kernel into `[units, ...layout]`. The input
 * axis is the row-major flattening of `[...spatial, channels]`, so channel
 * `c` at spatial position `p` is input `p * channels + c`.
 */
export function kernelToTemplates(
  kernel: Float32Array,
  inputs: number,
  units: number,
  channels: number,
): Float32Array {
  const templates = new Float32Array(inputs * units);
  const spatial = inputs / channels;
  for (let unit = 0; unit < units; unit++) {
    for (let channel = 0; channel < channels; channel++) {
      const to = unit * inputs + channel * spatial;
      for (let position = 0; position < spatial; position++) {
        templates[to + position] = kernel[(position * channels + channel) * units + unit];
      }
    }
  }
  return templates;
}

/**
 * Logs `templates/<layer>` and `template_images/<layer>` for a dense kernel
 * `[inputs, units]`; `unitLabels` name the class of each unit, when known.
 */
export async function logTemplates(
  writer: SummarySink,
  layer: Layer,
  kernel: Float32Array,
  kernelShape: readonly number[],
  step: number,
  unitLabels?: string[],
): Promise<void> {
  const [inputs, units] = kernelShape;
  const layout = templateLayout(layer, inputs);
  const templates = kernelToTemplates(kernel, inputs, units, layout.channels);
  const shape = [units, ...layout.shape];
  await writer.tensor(`templates/${layer.name}`, templates, shape, step, {
    role: TensorRole.CLASS_TEMPLATE,
    layerName: layer.name,
    layerKind: layer.getClassName(),
    weightName: 'kernel',
    shape,
    ...(unitLabels && { unitLabels }),
  });
  await logTemplateImages(writer, layer, templates, shape, step, unitLabels);
}

async function logTemplateImages(
  writer: SummarySink,
  layer: Layer,
  templates: Float32Array,
  shape: readonly number[],
  step: number,
  unitLabels: string[] | undefined,
): Promise<void> {
  const [units, ...perUnit] = shape;
  const size = templates.length / Math.max(1, units);
  const limit = finiteAbsMax(templates);
  const scale = divergingScale(limit);
  const drawn = Math.min(units, MAX_TEMPLATE_IMAGES);
  const images: EncodedImage[] = [];
  for (let unit = 0; unit < drawn; unit++) {
    const tiles = unitTiles(templates, unit * size, perUnit);
    images.push(await encodeRgbPng(renderGrid(tiles, scale, { minTilePixels: 56 })));
  }
  const description =
    `Weights into each unit of ${layer.name}, as [${perUnit.join(', ')}]` +
    `${drawn < units ? `, units 0-${drawn - 1} of ${units}` : ''}; ` +
    `${unitLabels ? `the units are classes ${unitLabels.slice(0, drawn).join(', ')}; ` : ''}` +
    `red = -${formatLimit(limit)}, white = 0, blue = +${formatLimit(limit)} ` +
    '(the largest |weight| of the layer); ' +
    'magenta = NaN or infinite.';
  await writer.image(`template_images/${layer.name}`, images, step, { description });
}

/**
 * One unit's template as tiles: `[h, w]` is one tile; `[c, ..., h, w]` one
 * h x w tile per leading index; a vector one near-square tile.
 */
function unitTiles(templates: Float32Array, offset: number, perUnit: readonly number[]): TileSet {
  if (perUnit.length < 2) return vectorTiles(templates, offset, product(perUnit));
  const [height, width] = perUnit.slice(-2);
  const plane = height * width;
  const count = product(perUnit.slice(0, -2));
  return { count, height, width, at: (t, y, x) => templates[offset + t * plane + y * width + x] };
}
