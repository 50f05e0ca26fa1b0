/**
 * Views of raw tensors as 2-D maps, without copying: a layer's activation for
 * one probe and channel, a class template, one slice of a convolution kernel.
 * Every map is a strided window into the tensor's float32 values, so drawing a
 * layer of 32 channels reads the logged values in place.
 */

/** A decoded tensor: values in row-major order (last axis fastest). */
export interface Tensor {
  shape: number[];
  values: Float32Array;
}

/**
 * A height x width window into `values`: the value at (y, x) is
 * `values[offset + y * rowStep + x * colStep]`.
 */
export interface MapRef {
  values: Float32Array;
  offset: number;
  height: number;
  width: number;
  rowStep: number;
  colStep: number;
}

/**
 * How a tensor whose first axis counts items (probes for activations, units for
 * templates) splits into maps: each item has `channels` maps of height x width.
 * `units` marks a flat layer (Dense): every channel is a single value.
 */
export interface ItemLayout {
  items: number;
  height: number;
  width: number;
  channels: number;
  units: boolean;
  /** Each map contiguous (`[item, channel, h, w]`) rather than interleaved, channels last. */
  channelsFirst: boolean;
  /**
   * Set when a flat vector with no layout of its own is folded into rows to be
   * drawn near-square: cell (y, x) is input `y * width + x`.
   */
  folded?: true;
}

export function mapValue(map: MapRef, y: number, x: number): number {
  return map.values[map.offset + y * map.rowStep + x * map.colStep];
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Throws unless `tensor.values` holds exactly the elements its shape promises. */
export function checkTensor(tensor: Tensor, name: string): void {
  const want = elementCount(tensor.shape);
  if (tensor.values.length !== want || tensor.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(
      `${name}: got ${tensor.values.length} values for shape [${tensor.shape}], want ${want}`,
    );
  }
}

/**
 * An activation `[probes, ...output]` as channel maps, channels last:
 * `[p, h, w, c]` gives c maps of h x w; `[p, l, c]` (1-D convolution) c maps of
 * 1 x l; `[p, u]` gives u units of 1 x 1. Higher ranks fold the middle axes
 * into the height.
 */
export function activationLayout(shape: readonly number[]): ItemLayout {
  if (shape.length < 2) throw new Error(`activation shape: got [${shape}], want [probes, ...]`);
  const items = shape[0];
  if (shape.length === 2) {
    return { items, height: 1, width: 1, channels: shape[1], units: true, channelsFirst: false };
  }
  const channels = shape[shape.length - 1];
  const width = shape[shape.length - 2];
  const height = elementCount(shape.slice(1, -2));
  return { items, height, width, channels, units: false, channelsFirst: false };
}

/**
 * A class template as the tfjs adapter writes it: `[units, c, h, w]` for an
 * image input of c > 1 channels (channels first, one picture per channel),
 * `[units, h, w]` for one channel, `[units, n]` for a flat input, drawn as a
 * square when n is a perfect square (a flattened image); any other n (32
 * features of a dense layer) is folded into its most nearly square rows, so
 * no template is drawn as a strip one value high unless n is prime.
 */
export function templateLayout(shape: readonly number[]): ItemLayout {
  const items = shape[0];
  const flat = { items, channels: 1, units: false, channelsFirst: true };
  if (shape.length >= 4) {
    const height = elementCount(shape.slice(2, -1));
    return { ...flat, channels: shape[1], height, width: shape[shape.length - 1] };
  }
  if (shape.length === 3) return { ...flat, height: shape[1], width: shape[2] };
  if (shape.length !== 2) throw new Error(`template shape: got [${shape}], want [units, ...input]`);
  const [height, width] = foldedShape(shape[1]);
  const square = height === width;
  return { ...flat, height, width, ...(square ? {} : { folded: true as const }) };
}

/** The most nearly square rows x columns holding exactly n values, rows <= columns. */
export function foldedShape(n: number): [rows: number, columns: number] {
  for (let rows = Math.floor(Math.sqrt(n)); rows > 1; rows--) {
    if (n % rows === 0) return [rows, n / rows];
  }
  return [1, n];
}

/** The map of `channel` for `item` (a probe or a unit) in a tensor of `layout`. */
export function itemMap(
  values: Float32Array,
  layout: ItemLayout,
  item: number,
  channel: number,
): MapRef {
  const { height, width, channels } = layout;
  checkIndex('item', item, layout.items);
  checkIndex('channel', channel, channels);
  if (layout.channelsFirst) {
    const offset = (item * channels + channel) * height * width;
    return { values, offset, height, width, rowStep: width, colStep: 1 };
  }
  return {
    values,
    offset: item * height * width * channels + channel,
    height,
    width,
    rowStep: width * channels,
    colStep: channels,
  };
}

/** Every channel's map for one item, in channel order. */
export function itemMaps(values: Float32Array, layout: ItemLayout, item: number): MapRef[] {
  return Array.from({ length: layout.channels }, (_, c) => itemMap(values, layout, item, c));
}

/** One channel's map for every item: how a channel looks across probes or workers. */
export function channelAcrossItems(
  values: Float32Array,
  layout: ItemLayout,
  channel: number,
): MapRef[] {
  return Array.from({ length: layout.items }, (_, p) => itemMap(values, layout, p, channel));
}

/**
 * A convolution kernel `[h, w, in, out]` (tfjs's layout) as a grid of filters:
 * one h x w map per (input channel, output filter), input-major so that a
 * grid with `out` columns has one row per input channel.
 */
export function kernelMaps(kernel: Tensor): MapRef[] {
  const [h, w, inputs, outputs] = kernel.shape;
  if (kernel.shape.length !== 4)
    throw new Error(`conv kernel shape: got [${kernel.shape}], want [h, w, in, out]`);
  const maps: MapRef[] = [];
  for (let i = 0; i < inputs; i++) {
    for (let o = 0; o < outputs; o++) {
      const offset = i * outputs + o;
      maps.push({
        values: kernel.values,
        offset,
        height: h,
        width: w,
        rowStep: w * inputs * outputs,
        colStep: inputs * outputs,
      });
    }
  }
  return maps;
}

/**
 * The weights into unit `unit` of a dense kernel `[in, out]`, one map per
 * input channel when `inputShape` (the layer's input before flattening,
 * channels last, e.g. `[h, w, c]`) has `in` elements; a square or a strip
 * otherwise.
 */
export function incomingWeights(
  kernel: Tensor,
  unit: number,
  inputShape?: readonly number[],
): MapRef[] {
  if (kernel.shape.length !== 2)
    throw new Error(`dense kernel shape: got [${kernel.shape}], want [in, out]`);
  const [inputs, outputs] = kernel.shape;
  checkIndex('unit', unit, outputs);
  const image = inputShape && inputShape.length >= 2 && elementCount(inputShape) === inputs;
  const layout = image
    ? activationLayout([1, ...inputShape, ...(inputShape.length === 2 ? [1] : [])])
    : templateLayout([1, inputs]);
  return Array.from({ length: layout.channels }, (_, c) => ({
    values: kernel.values,
    offset: c * outputs + unit,
    height: layout.height,
    width: layout.width,
    rowStep: layout.width * layout.channels * outputs,
    colStep: layout.channels * outputs,
  }));
}

/** Copies a map's values out in row-major order: for statistics and differences. */
export function mapToArray(map: MapRef): Float32Array {
  const out = new Float32Array(map.height * map.width);
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) out[y * map.width + x] = mapValue(map, y, x);
  }
  return out;
}

/** A dense map over a standalone array: how computed maps (differences) are drawn. */
export function denseMap(values: Float32Array, height: number, width: number): MapRef {
  return { values, offset: 0, height, width, rowStep: width, colStep: 1 };
}

function checkIndex(name: string, index: number, size: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new Error(`invalid ${name}: ${index}, want an integer in [0, ${size})`);
  }
}
