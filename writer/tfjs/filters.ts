/**
 * A convolution kernel as one PNG grid for TensorBoard: one tile per (input
 * channel, filter) pair, rows the input channels and columns the filters,
 * on one diverging scale symmetric around zero.
 */
import { divergingScale, finiteAbsMax, formatLimit } from './colormap.js';
import { renderGrid, type TileSet } from './grids.js';
import type { Layer } from './layers.js';
import { encodeRgbPng } from './png.js';
import type { Reporter } from './report.js';
import type { SummarySink } from './sink.js';

/** Kernels with more (input, filter) pairs than this show their first input channels only. */
export const MAX_FILTER_TILES = 4096;

const KERNEL_NAMES = new Set(['kernel', 'depthwise_kernel', 'pointwise_kernel']);

/** Whether a weight is a 1-D or 2-D convolution kernel that can be drawn as filters. */
export function isDrawableKernel(layer: Layer, weight: string, shape: readonly number[]): boolean {
  return (
    layer.getClassName().includes('Conv') &&
    KERNEL_NAMES.has(weight) &&
    (shape.length === 3 || shape.length === 4)
  );
}

/**
 * Kernel `[h, w, in, out]` (or `[k, in, out]`, drawn as 1 x k) as tiles, row
 * by input channel, one tile per filter in each row.
 */
export function filterTiles(kernel: Float32Array, shape: readonly number[]): TileSet {
  const [height, width, inputs, filters] = shape.length === 4 ? shape : [1, ...shape];
  const rows = Math.max(1, Math.min(inputs, Math.floor(MAX_FILTER_TILES / Math.max(1, filters))));
  return {
    count: rows * filters,
    height,
    width,
    at: (tile, y, x) => {
      const input = Math.floor(tile / filters);
      return kernel[((y * width + x) * inputs + input) * filters + (tile % filters)];
    },
  };
}

export async function logFilters(
  writer: SummarySink,
  layer: Layer,
  weight: string,
  kernel: Float32Array,
  shape: readonly number[],
  step: number,
  reporter: Reporter,
): Promise<void> {
  const tiles = filterTiles(kernel, shape);
  const filters = shape[shape.length - 1];
  const inputs = shape[shape.length - 2];
  const shownInputs = tiles.count / Math.max(1, filters);
  if (shownInputs < inputs) {
    // One warning for every kernel cut: each grid's description says how far.
    reporter.warnOnce(
      'filters:cut',
      `kernel "${layer.name}/${weight}" has ${inputs} x ${filters} filters, over the ` +
        `${MAX_FILTER_TILES} a grid draws: drawing its first ${shownInputs} input channels, ` +
        'as for any other kernel this large',
    );
  }
  const limit = finiteAbsMax(kernel);
  const image = await encodeRgbPng(renderGrid(tiles, divergingScale(limit), { columns: filters }));
  const tag = weight === 'kernel' ? `filters/${layer.name}` : `filters/${layer.name}/${weight}`;
  const description =
    `Kernel ${layer.name}/${weight} [${shape.join(', ')}]: a row per input channel ` +
    `(${shownInputs} of ${inputs}), a column per filter; red = -${formatLimit(limit)}, ` +
    `white = 0, blue = +${formatLimit(limit)}; magenta = NaN or infinite.`;
  await writer.image(tag, image, step, { description });
}
