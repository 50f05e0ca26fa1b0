/**
 * One forward pass over the probe batch that yields every layer's output: a
 * multi-output model over the layers' symbolic outputs, built once per model
 * and cached, run in inference mode (dropout off), its outputs downloaded as
 * float32 and every intermediate tensor disposed.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from './backend.js';
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
  const capture: Capture = {
    model: tf.model({ inputs: model.inputs, outputs: outputs.map((output) => output.tensor) }),
    outputs,
    layerCount: model.layers.length,
  };
  captures.set(model, capture);
  return capture;
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
  const kept: LayerOutput[] = [];
  const tensors = tf.tidy(() => {
    const predicted = capture.model.predict(x, { batchSize });
    const all = Array.isArray(predicted) ? predicted : [predicted];
    return all.flatMap((tensor, index) => {
      const limited = limitProbes(tensor, capture.outputs[index], limits);
      if (limited) kept.push(capture.outputs[index]);
      return limited ? [limited] : [];
    });
  });
  return download(tensors, kept);
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

async function download(
  tensors: tfjs.Tensor[],
  outputs: LayerOutput[],
): Promise<CapturedActivation[]> {
  try {
    const data = await Promise.all(tensors.map((tensor) => tensor.data()));
    return tensors.map((tensor, index) => ({
      output: outputs[index],
      values: data[index] instanceof Float32Array ? data[index] : Float32Array.from(data[index]),
      shape: tensor.shape.slice(),
    }));
  } finally {
    tf.dispose(tensors);
  }
}
