/**
 * Forward passes over the probe batch that yield every layer's output: a
 * multi-output model over the layers' symbolic outputs, built once per model
 * and set of outputs and cached, run in inference mode (dropout off), its
 * outputs downloaded as float32 and every intermediate tensor disposed.
 *
 * The value cap bounds memory, not only what is written: which outputs, and
 * how many probes of each, to keep is decided from the layers' static shapes
 * before anything runs. A layer over the cap for one probe is no output of
 * the capture model at all, and when outputs are large per probe the probes
 * run through in chunks, so that neither a chunk's outputs nor any layer's
 * output for a chunk holds more than the cap (unless one probe's does: a
 * chunk has at least one probe). Probes are independent in inference mode,
 * so chunking changes no value.
 *
 * The model may come from another tfjs copy than lensboard's (lensboard
 * installed by path keeps its own). tfjs's layers check classes with
 * `instanceof`, so the capture model is built with the class of the model's
 * own copy, and tensors are handled through their own methods only.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { layerOutputs, type LayerOutput, type LayersModel } from './layers.js';

interface Capture {
  /** The model whose outputs are the tensors of `outputs`, in that order. */
  model: LayersModel;
  /** Which outputs it has: the source model's layer count and the outputs' indices. */
  key: string;
}

/** The newest capture per model: a model that grew, or a new cap, builds another. */
const captures = new WeakMap<LayersModel, Capture>();

function captureModel(model: LayersModel, outputs: LayerOutput[], key: string): LayersModel {
  const cached = captures.get(model);
  if (cached && cached.key === key) return cached.model;
  const FunctionalModel = functionalModelClass(model);
  const built = new FunctionalModel({
    inputs: model.inputs,
    outputs: outputs.map((output) => output.tensor),
  });
  captures.set(model, { model: built, key });
  return built;
}

type FunctionalModelClass = new (args: {
  inputs: tfjs.SymbolicTensor[];
  outputs: tfjs.SymbolicTensor[];
}) => LayersModel;

/**
 * The class `tf.model` instantiates, in the tfjs copy that made `model`: the
 * first of its prototypes' classes registered for serialisation as `Model`
 * (a Sequential's parent, a functional model's own class).
 */
function functionalModelClass(model: LayersModel): FunctionalModelClass {
  for (let proto = Object.getPrototypeOf(model); proto; proto = Object.getPrototypeOf(proto)) {
    const candidate = proto.constructor as { className?: unknown };
    if (candidate.className === 'Model') return candidate as unknown as FunctionalModelClass;
  }
  throw new TypeError(
    `model "${model.name}" is not a tfjs LayersModel: no class named Model among its prototypes`,
  );
}

/** One layer output for the probes kept (all, unless the output was over the cap). */
export interface CapturedActivation {
  output: LayerOutput;
  /** Channels-last values, `shape` row-major. */
  values: Float32Array;
  /** `[probes kept, ...output shape]`. */
  shape: number[];
}

/** A layer output over the cap: `kept` leading probes logged, 0 when none. */
export interface OversizeOutput {
  output: LayerOutput;
  kept: number;
  /** `[probes, ...output shape]`: what the whole batch would have been. */
  shape: number[];
}

export interface Captured {
  activations: CapturedActivation[];
  oversize: OversizeOutput[];
}

/** One output of the capture model and the probes it keeps. */
interface Planned {
  output: LayerOutput;
  /** A size of the output is known only at run time: it is planned at the first chunk. */
  dynamic: boolean;
  /** Leading probes kept; unknown (undefined) until a dynamic shape is seen. */
  keep?: number;
  /** The kept probes' values, filled chunk by chunk, and their shape. */
  values?: Float32Array;
  shape?: number[];
}

/**
 * Runs the probe batch through `model`, returning each layer output's values
 * for the probes that fit in `maxValues`, and the outputs that did not fit.
 */
export async function captureActivations(
  model: LayersModel,
  x: tfjs.Tensor | tfjs.Tensor[],
  maxValues: number,
): Promise<Captured> {
  if (!model.inputs || model.inputs.length === 0) {
    throw new Error(
      `model "${model.name}" is not built: give its first layer an inputShape or call it once`,
    );
  }
  const probes = (Array.isArray(x) ? x[0] : x).shape[0];
  const outputs = layerOutputs(model);
  const { planned, oversize, chunk } = plan(outputs, probes, maxValues);
  if (planned.length === 0) return { activations: [], oversize };

  const computed = planned.map((entry) => entry.output);
  const indices = computed.map((output) => outputs.indexOf(output));
  const capture = captureModel(model, computed, `${model.layers.length}:${indices.join(',')}`);
  for (let start = 0; start < probes; start += chunk) {
    await runChunk(capture, x, start, Math.min(chunk, probes - start), { planned, maxValues });
  }
  for (const entry of planned) {
    // Outputs sized at run time are judged against the cap only now.
    if (entry.dynamic && entry.keep !== undefined && entry.keep < probes && entry.shape) {
      const shape = [probes, ...entry.shape.slice(1)];
      oversize.push({ output: entry.output, kept: entry.keep, shape });
    }
  }
  const activations = planned.flatMap(({ output, values, shape, keep }) =>
    values && shape && keep ? [{ output, values, shape }] : [],
  );
  return { activations, oversize };
}

/** A symbolic shape's values per probe; undefined when a size is only known at run time. */
function staticPerProbe(tensor: tfjs.SymbolicTensor): number | undefined {
  const sizes = tensor.shape.slice(1);
  if (sizes.some((size) => size == null)) return undefined;
  return (sizes as number[]).reduce((a, b) => a * b, 1);
}

function keptProbes(perProbe: number, probes: number, maxValues: number): number {
  return perProbe === 0 ? probes : Math.min(probes, Math.floor(maxValues / perProbe));
}

/**
 * Which outputs to compute, how many probes each keeps, and the chunk size:
 * the most probes for which both the outputs computed together and the
 * largest layer output (computed on the way even when it is no output of
 * the capture) stay within `maxValues`. At least one probe per chunk: a
 * layer over the cap for one probe still runs when a later layer needs it.
 * Outputs sized only at run time are left out of the sum.
 */
function plan(outputs: LayerOutput[], probes: number, maxValues: number) {
  const planned: Planned[] = [];
  const oversize: OversizeOutput[] = [];
  let largest = 0;
  let computed = 0;
  for (const output of outputs) {
    const perProbe = staticPerProbe(output.tensor);
    if (perProbe === undefined) {
      planned.push({ output, dynamic: true });
      continue;
    }
    largest = Math.max(largest, perProbe);
    const keep = keptProbes(perProbe, probes, maxValues);
    const shape = [probes, ...(output.tensor.shape.slice(1) as number[])];
    if (keep < probes) oversize.push({ output, kept: keep, shape });
    if (keep === 0) continue;
    computed += perProbe;
    planned.push({ output, dynamic: false, keep });
  }
  const perChunk = Math.max(largest, computed);
  const chunk = perChunk === 0 ? probes : Math.floor(maxValues / perChunk);
  return { planned, oversize, chunk: Math.max(1, Math.min(probes, chunk)) };
}

/** Runs probes `start` to `start + size` through the capture model, keeping what is planned. */
async function runChunk(
  model: LayersModel,
  x: tfjs.Tensor | tfjs.Tensor[],
  start: number,
  size: number,
  { planned, maxValues }: { planned: Planned[]; maxValues: number },
): Promise<void> {
  const inputs = Array.isArray(x) ? x : [x];
  const probes = inputs[0].shape[0];
  // The whole batch in one chunk is fed as it is: slicing would copy it for nothing.
  const part = size === probes ? inputs : inputs.map((input) => input.slice(start, size));
  let outputs: tfjs.Tensor[] = [];
  try {
    const predicted = model.predict(Array.isArray(x) ? part : part[0], { batchSize: size });
    outputs = Array.isArray(predicted) ? predicted : [predicted];
    const data = await Promise.all(
      outputs.map((tensor, index) =>
        wanted(planned[index], start) ? (tensor.data() as Promise<NumericData>) : undefined,
      ),
    );
    outputs.forEach((tensor, index) => {
      const values = data[index];
      if (values) keep(planned[index], tensor, values, { start, size, probes, maxValues });
    });
  } finally {
    // Tensor methods, not lensboard's `tf.dispose`: the tensors may be another copy's.
    for (const tensor of outputs) tensor.dispose();
    if (part !== inputs) for (const tensor of part) tensor.dispose();
  }
}

type NumericData = Float32Array | Int32Array | Uint8Array;

function wanted(entry: Planned, start: number): boolean {
  return entry.keep === undefined || start < entry.keep;
}

/** Copies the chunk's probes that `entry` keeps into its values. */
function keep(
  entry: Planned,
  tensor: tfjs.Tensor,
  data: NumericData,
  chunk: { start: number; size: number; probes: number; maxValues: number },
): void {
  const { start, size, probes, maxValues } = chunk;
  // A shape known only at run time is sized, and capped, at its first chunk.
  const perProbe = tensor.size / Math.max(1, size);
  entry.keep ??= keptProbes(perProbe, probes, maxValues);
  entry.shape ??= [entry.keep, ...tensor.shape.slice(1)];
  const count = Math.min(size, entry.keep - start);
  if (count <= 0) return;
  if (count === probes && data instanceof Float32Array) {
    entry.values = data;
    return;
  }
  entry.values ??= new Float32Array(entry.keep * perProbe);
  entry.values.set(data.subarray(0, count * perProbe), start * perProbe);
}
