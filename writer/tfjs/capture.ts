/**
 * One forward pass over the probe batch that yields every layer's output: a
 * multi-output model over the layers' symbolic outputs, built once per model
 * and cached, run in inference mode (dropout off), its outputs downloaded as
 * float32 and every intermediate tensor disposed.
 *
 * The model may come from another tfjs copy than lensboard's (lensboard
 * installed by path keeps its own). tfjs's layers check classes with
 * `instanceof`, so the capture model is built with the class of the model's
 * own copy, and tensors are handled through their own methods only.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { layerOutputs, type LayerOutput, type LayersModel } from './layers.js';

interface Capture {
  /** The model whose outputs are `outputs`' tensors, in that order. */
  model: LayersModel;
  outputs: LayerOutput[];
  /** The source model's layer count when built: a model that grew needs a new capture. */
  layerCount: number;
}

const captures = new WeakMap<LayersModel, Capture>();

function captureFor(model: LayersModel): Capture {
  const cached = captures.get(model);
  if (cached && cached.layerCount === model.layers.length) return cached;
  if (!model.inputs || model.inputs.length === 0) {
    throw new Error(
      `model "${model.name}" is not built: give its first layer an inputShape or call it once`,
    );
  }
  const outputs = layerOutputs(model);
  const FunctionalModel = functionalModelClass(model);
  const capture: Capture = {
    model: new FunctionalModel({
      inputs: model.inputs,
      outputs: outputs.map((output) => output.tensor),
    }),
    outputs,
    layerCount: model.layers.length,
  };
  captures.set(model, capture);
  return capture;
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

export interface CaptureLimits {
  /** Outputs above this many values over the batch keep only their first probes. */
  maxValues: number;
  /** Told of every output cut down (`kept` > 0) or dropped (`kept` = 0). */
  onOversize(output: LayerOutput, kept: number, shape: readonly number[]): void;
}

/** Runs the probe batch once through `model`, returning each layer output's values. */
export async function captureActivations(
  model: LayersModel,
  x: tfjs.Tensor | tfjs.Tensor[],
  limits: CaptureLimits,
): Promise<CapturedActivation[]> {
  const capture = captureFor(model);
  if (capture.outputs.length === 0) return [];
  const batchSize = (Array.isArray(x) ? x[0] : x).shape[0];
  const predicted = capture.model.predict(x, { batchSize });
  const outputs = Array.isArray(predicted) ? predicted : [predicted];
  const limited: (tfjs.Tensor | undefined)[] = [];
  try {
    for (const [index, tensor] of outputs.entries()) {
      limited.push(limitProbes(tensor, capture.outputs[index], limits));
    }
    return await download(limited, capture.outputs);
  } finally {
    // Tensor methods, not lensboard's `tf.dispose`: the tensors may be another copy's.
    for (const tensor of [...outputs, ...limited]) tensor?.dispose();
  }
}

function limitProbes(
  tensor: tfjs.Tensor,
  output: LayerOutput,
  limits: CaptureLimits,
): tfjs.Tensor | undefined {
  const probes = tensor.shape[0];
  const perProbe = tensor.size / Math.max(1, probes);
  if (tensor.size <= limits.maxValues) return tensor;
  const kept = Math.floor(limits.maxValues / Math.max(1, perProbe));
  limits.onOversize(output, kept, tensor.shape);
  return kept > 0 ? tensor.slice(0, kept) : undefined;
}

/** The values of every output kept (`undefined` marks one dropped), in order. */
async function download(
  tensors: (tfjs.Tensor | undefined)[],
  outputs: LayerOutput[],
): Promise<CapturedActivation[]> {
  const data = await Promise.all(tensors.map((tensor) => tensor?.data()));
  return tensors.flatMap((tensor, index) => {
    const values = data[index];
    if (!tensor || !values) return [];
    return [
      {
        output: outputs[index],
        values: values instanceof Float32Array ? values : Float32Array.from(values),
        shape: tensor.shape.slice(),
      },
    ];
  });
}
