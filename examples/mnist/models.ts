/**
 * The demo's models, built with seeded initialisers so that every replica of
 * a job starts from the same weights. `cnn` is two convolutions and a small
 * dense feature layer (cheap enough for pure-JS tfjs); `linear` is one dense
 * layer on the pixels, whose weights into each class are that class's
 * template. `combined` joins the experts' feature extractors under one
 * trainable layer.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from './tf.js';
import { CLASSES, IMAGE_SIZE } from './dataset.js';

export type ModelKind = 'cnn' | 'linear';
export const MODELS: readonly ModelKind[] = ['cnn', 'linear'];

export const INPUT_SHAPE = [IMAGE_SIZE, IMAGE_SIZE, 1];
/** The layer whose output an expert contributes to the combined model. */
export const FEATURE_LAYER = 'features';
export const FEATURE_UNITS = 32;
export const CONCAT_LAYER = 'expert_features';
export const COMBINER_LAYER = 'combiner';

export function buildModel(kind: ModelKind, outputs: number, seed: number): tfjs.Sequential {
  return kind === 'cnn' ? buildCnn(outputs, seed) : buildLinear(outputs, seed);
}

function buildCnn(outputs: number, seed: number): tfjs.Sequential {
  const init = (i: number) => tf.initializers.heNormal({ seed: seed + i });
  const model = tf.sequential({ name: 'cnn' });
  model.add(
    tf.layers.conv2d({
      name: 'conv1',
      inputShape: INPUT_SHAPE,
      filters: 8,
      kernelSize: 5,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(
    tf.layers.conv2d({
      name: 'conv2',
      filters: 16,
      kernelSize: 5,
      activation: 'relu',
      kernelInitializer: init(2),
    }),
  );
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(
    tf.layers.dense({
      name: FEATURE_LAYER,
      units: FEATURE_UNITS,
      activation: 'relu',
      kernelInitializer: init(3),
    }),
  );
  model.add(classifier('classes', outputs, seed + 4));
  return model;
}

function buildLinear(outputs: number, seed: number): tfjs.Sequential {
  const model = tf.sequential({ name: 'linear' });
  model.add(tf.layers.flatten({ name: 'flatten', inputShape: INPUT_SHAPE }));
  model.add(classifier('classes', outputs, seed + 1));
  return model;
}

function classifier(name: string, units: number, seed: number): tfjs.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  });
}

/**
 * One model over all classes from experts of the same CNN architecture:
 * each expert's layers up to FEATURE_LAYER (renamed `expert<rank>_<layer>`
 * and frozen), their outputs concatenated in rank order, then one dense
 * softmax layer. Expert weights are set by `setExpertWeights`.
 */
export function buildCombined(experts: number, seed: number): tfjs.LayersModel {
  const input = tf.input({ shape: INPUT_SHAPE, name: 'image' });
  const features = Array.from({ length: experts }, (_, rank) => {
    const trunk = buildCnn(1, seed).layers;
    const upTo = trunk.findIndex((layer) => layer.name === FEATURE_LAYER);
    let x: tfjs.SymbolicTensor = input;
    for (const layer of trunk.slice(0, upTo + 1)) {
      const copy = tf.layers[layerFactory(layer)]({
        ...layer.getConfig(),
        name: `expert${rank}_${layer.name}`,
        trainable: false,
      } as never) as tfjs.layers.Layer;
      x = copy.apply(x) as tfjs.SymbolicTensor;
    }
    return x;
  });
  const joined =
    experts === 1
      ? features[0]
      : (tf.layers.concatenate({ name: CONCAT_LAYER }).apply(features) as tfjs.SymbolicTensor);
  const output = classifier(COMBINER_LAYER, CLASSES, seed + 99).apply(
    joined,
  ) as tfjs.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'combined' });
}

function layerFactory(layer: tfjs.layers.Layer): 'conv2d' | 'maxPooling2d' | 'flatten' | 'dense' {
  const kinds = {
    Conv2D: 'conv2d',
    MaxPooling2D: 'maxPooling2d',
    Flatten: 'flatten',
    Dense: 'dense',
  } as const;
  const kind = kinds[layer.getClassName() as keyof typeof kinds];
  if (!kind) throw new TypeError(`cannot copy layer ${layer.name} of kind ${layer.getClassName()}`);
  return kind;
}

/** A model's weights as plain arrays, in `model.weights` order. */
export function readWeights(model: tfjs.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

export function writeWeights(model: tfjs.LayersModel, values: Float32Array[]): void {
  if (values.length !== model.weights.length) {
    throw new RangeError(`weight count got ${values.length}, want ${model.weights.length}`);
  }
  const tensors = model.weights.map((w, i) => tf.tensor(values[i], w.shape as number[]));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * Copies expert `rank`'s trunk weights into `combined`; `names` and `values`
 * are the expert model's own weight names and arrays, in its order.
 */
export function setExpertWeights(
  combined: tfjs.LayersModel,
  rank: number,
  names: string[],
  values: Float32Array[],
): void {
  const byName = new Map(names.map((name, i) => [name, values[i]]));
  const prefix = `expert${rank}_`;
  for (const weight of combined.weights) {
    if (!weight.originalName.startsWith(prefix)) continue;
    const source = byName.get(weight.originalName.slice(prefix.length));
    if (!source) throw new Error(`expert ${rank} has no weight for ${weight.originalName}`);
    tf.tidy(() => {
      weight.write(tf.tensor(source, weight.shape as number[]));
    });
  }
}
