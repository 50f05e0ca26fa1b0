/**
 * What the adapter needs to know about a tfjs model's graph: each layer's
 * symbolic outputs within this model, its activation function, the layers
 * that own weights (nested models opened up), and the structured shape that
 * a dense layer's flat input had before a Flatten or Reshape.
 */
import type * as tfjs from '@tensorflow/tfjs';

export type Layer = tfjs.layers.Layer;
export type LayersModel = tfjs.LayersModel;
type GraphNode = Layer['inboundNodes'][number];

/** One symbolic output of one layer, with the tag suffix it is logged under. */
export interface LayerOutput {
  layer: Layer;
  tensor: tfjs.SymbolicTensor;
  /** `<layer>`, or `<layer>:<i>` when the layer has several outputs in this model. */
  name: string;
}

/** The node keys of a model's own graph; tfjs keeps them but does not type them. */
function modelNodeKeys(model: LayersModel): Set<string> | undefined {
  return (model as unknown as { containerNodes?: Set<string> }).containerNodes;
}

/** The nodes of `layer` that belong to `model`: a shared layer has nodes in other graphs too. */
function nodesInModel(model: LayersModel, layer: Layer): GraphNode[] {
  const keys = modelNodeKeys(model);
  // A Sequential fills its node keys only when first run; until then every
  // node of its layers is its own. Keys use tfjs's Container.nodeKey format.
  if (!keys || keys.size === 0) return layer.inboundNodes;
  return layer.inboundNodes.filter((_, index) => keys.has(`${layer.name}_ib-${index}`));
}

/** Every output of every non-input layer, in the model's layer order. */
export function layerOutputs(model: LayersModel): LayerOutput[] {
  const outputs: LayerOutput[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const tensors = nodesInModel(model, layer).flatMap((node) => node.outputTensors);
    tensors.forEach((tensor, index) => {
      const name = tensors.length === 1 ? layer.name : `${layer.name}:${index}`;
      outputs.push({ layer, tensor, name });
    });
  }
  return outputs;
}

/** The activation function's tfjs name (`relu`, `sigmoid`, ...), '' for layers without one. */
export function activationName(layer: Layer): string {
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof activation === 'string' ? activation : '';
}

/** The layers that own weights, with nested models opened up into their own layers. */
export function weightedLayers(model: LayersModel): Layer[] {
  const found: Layer[] = [];
  for (const layer of model.layers) {
    const nested = layer as Partial<LayersModel>;
    if (Array.isArray(nested.layers)) found.push(...weightedLayers(layer as LayersModel));
    else if (layer.weights.length > 0) found.push(layer);
  }
  return found;
}

/** The input shape of `layer`'s first node, without the batch axis. */
function inputShapeOf(node: GraphNode): number[] | undefined {
  const shape = node.inputTensors[0]?.shape;
  if (!shape || shape.slice(1).some((size) => size == null)) return undefined;
  return shape.slice(1) as number[];
}

const FLATTENING = new Set(['Flatten', 'Reshape']);

/**
 * Layers whose output has their input's shape and element order, each value
 * staying at its position: noise and dropout, activations, normalisation. A
 * walk back from a dense layer or an output may pass through them.
 */
export const SHAPE_KEEPING = new Set([
  'Activation',
  'Softmax',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'PReLU',
  'ThresholdedReLU',
  'Dropout',
  'SpatialDropout1D',
  'AlphaDropout',
  'GaussianDropout',
  'GaussianNoise',
  'BatchNormalization',
  'LayerNormalization',
]);

/** A bound on walks back through the graph; real models need a few hops. */
const MAX_HOPS = 16;

/**
 * The shape a dense layer's flat input had before the Flatten or Reshape
 * layers that produced it: the nearest such input of rank >= 2, walking back
 * through the graph past shape-keeping layers (a Dropout between Flatten and
 * Dense keeps the layout). Flatten (channels last) and Reshape both keep
 * row-major order, so the kernel's input axis is that shape's row-major
 * flattening. Undefined when the input was not flattened or its shape is not
 * fully known.
 */
export function flattenedInputShape(dense: Layer): number[] | undefined {
  let node = dense.inboundNodes[0];
  if (!node || node.inputTensors.length !== 1 || node.inputTensors[0].shape.length !== 2) {
    return undefined;
  }
  for (let hops = 0; node && hops < MAX_HOPS; hops++) {
    const source = node.inboundLayers[0];
    if (!source || node.inboundLayers.length !== 1) return undefined;
    const kind = source.getClassName();
    const sourceNode = source.inboundNodes[node.nodeIndices[0]];
    if (!sourceNode) return undefined;
    if (!SHAPE_KEEPING.has(kind)) {
      if (!FLATTENING.has(kind) || !isChannelsLast(source)) return undefined;
      const shape = inputShapeOf(sourceNode);
      if (shape && shape.length >= 2) return shape;
    }
    node = sourceNode;
  }
  return undefined;
}

function isChannelsLast(layer: Layer): boolean {
  const format = (layer.getConfig() as { dataFormat?: unknown }).dataFormat;
  // TODO(channels-first flatten): tfjs transposes channels-first input before
  // flattening; those templates are logged as plain vectors until handled.
  return format === undefined || format === 'channelsLast';
}
