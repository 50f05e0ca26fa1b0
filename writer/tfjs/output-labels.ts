/**
 * Class labels of a model's output units: which layers' units stand for the
 * classes (each output layer, and back from it through layers that keep the
 * units, such as Activation, Dropout or BatchNormalization, down to the Dense
 * layer that makes them), and the check that the labels given fit those units.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { SHAPE_KEEPING, type Layer, type LayersModel } from './layers.js';
import type { Reporter } from './report.js';

export interface OutputLabelOptions {
  /**
   * The class each output unit of the model stands for, in unit order: a
   * model trained on digits 5..9 only passes `[5, 6, 7, 8, 9]`. Written as
   * `unitLabels` on the activations of the output layers, and on the class
   * templates, kernel and bias of the Dense layer that produces them, so that
   * a viewer names unit 0 "5", not "0". Its length must equal the output's
   * units; a mismatch is reported (to `onError`) and the units are logged
   * unlabelled. Default: unit i is class i, and nothing is written.
   */
  outputLabels?: readonly (string | number)[];
}

/** A bound on the walk back from an output; real classifiers need one or two hops. */
const MAX_HOPS = 16;

/**
 * The labels of every layer whose units are the model's classes, by layer;
 * empty when `outputLabels` is not given. A label list that does not fit an
 * output is reported through `reporter` and that output left unlabelled.
 */
export function unitLabelsByLayer(
  model: LayersModel,
  options: OutputLabelOptions,
  reporter: Reporter,
): Map<Layer, string[]> {
  const labelled = new Map<Layer, string[]>();
  if (options.outputLabels === undefined) return labelled;
  // TODO(per-output labels): a model whose outputs stand for different class
  // sets gets one list for all; outputs it does not fit are reported unlabelled.
  for (const output of model.outputs ?? []) {
    try {
      const labels = checkedLabels(options.outputLabels, output);
      for (const layer of classLayers(output)) labelled.set(layer, labels);
    } catch (cause) {
      reporter.error('unit label', `unit labels of layer "${output.sourceLayer.name}"`, cause);
    }
  }
  return labelled;
}

/** `given` as strings; throws naming the option when it does not fit `output`'s units. */
function checkedLabels(given: unknown, output: tfjs.SymbolicTensor): string[] {
  if (!Array.isArray(given)) {
    throw new TypeError(`invalid outputLabels: ${String(given)} (want an array, one label a unit)`);
  }
  const units = output.shape[output.shape.length - 1];
  if (given.length !== units) {
    throw new RangeError(
      `invalid outputLabels: got ${given.length} labels, ` +
        `want ${units} (the units of output layer "${output.sourceLayer.name}")`,
    );
  }
  return given.map((label: unknown, index) => {
    if (typeof label === 'string' || (typeof label === 'number' && Number.isFinite(label))) {
      return String(label);
    }
    throw new TypeError(
      `invalid outputLabels[${index}]: ${String(label)} (want a string or a finite number)`,
    );
  });
}

/** The output's layer, then the layers before it that keep its units, nearest first. */
function classLayers(output: tfjs.SymbolicTensor): Layer[] {
  const units = output.shape[output.shape.length - 1];
  const layers = [output.sourceLayer];
  let tensor = output;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (!SHAPE_KEEPING.has(tensor.sourceLayer.getClassName())) break;
    const input = tensor.inputs?.length === 1 ? tensor.inputs[0] : undefined;
    if (!input || input.shape[input.shape.length - 1] !== units) break;
    if (input.sourceLayer.getClassName() === 'InputLayer') break;
    layers.push(input.sourceLayer);
    tensor = input;
  }
  return layers;
}
