/**
 * Logs a model's weights at one step: every variable raw and as a histogram,
 * convolution kernels as filter grids, dense kernels as class templates.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { TensorRole } from '../../proto/index.js';
import { checkStep } from '../arguments.js';
import { isDrawableKernel, logFilters } from './filters.js';
import { weightedLayers, type Layer, type LayersModel } from './layers.js';
import { unitLabelsByLayer, type OutputLabelOptions } from './output-labels.js';
import { checkBooleanOption, checkOptionsObject, checkReportOptions } from './options.js';
import { Reporter, type ReportOptions } from './report.js';
import { checkSink, type SummarySink } from './sink.js';
import { logTemplates } from './templates.js';

export interface WeightOptions extends ReportOptions, OutputLabelOptions {
  /** Write `weight_histograms/...`; default true. */
  histograms?: boolean;
  /** Write `filters/<layer>` grids of convolution kernels; default true. */
  filters?: boolean;
  /** Write `templates/<layer>` and `template_images/<layer>` for dense layers; default true. */
  templates?: boolean;
}

type LayerVariable = Layer['weights'][number];
/** What naming needs of a variable: tfjs's layer variables have both names. */
type LayerVariableName = { name: string; originalName?: string };

/**
 * Logs every weight of `model` at `step`. An invalid step throws before
 * anything is logged; a failing variable is reported and the rest logged.
 */
export async function logWeights(
  writer: SummarySink,
  model: LayersModel,
  step: number,
  options: WeightOptions = {},
): Promise<void> {
  checkSink(writer);
  checkStep(step);
  checkWeightOptions(options);
  const reporter = new Reporter(writer, options);
  const unitLabels = unitLabelsByLayer(model, options, reporter);
  for (const layer of weightedLayers(model)) {
    const labels = unitLabels.get(layer);
    for (const variable of layer.weights) {
      await reporter.guard('weight', `weight "${weightPath(layer, variable)}"`, () =>
        logVariable(writer, layer, variable, step, reporter, { ...options, labels }),
      );
    }
  }
}

/** Throws naming the option for a weight option of the wrong kind. */
export function checkWeightOptions(options: WeightOptions): void {
  checkOptionsObject(options);
  checkReportOptions(options);
  for (const name of ['histograms', 'filters', 'templates'] as const) {
    checkBooleanOption(name, options[name]);
  }
}

/**
 * The variable's short name: `kernel` of `dense_Dense1/kernel`. tfjs makes
 * variable names unique per process (a second model's is `.../kernel_1`), so
 * the name given at creation is used where tfjs keeps it: tags and the
 * kernel/bias checks must not depend on how many models a process built.
 */
export function weightName(variable: LayerVariableName): string {
  const name = variable.originalName ?? variable.name;
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * `<layer>/<weight>`, the one name of a variable in every tag about it
 * (`weights/`, `weight_histograms/`, `gradients/`, ...): the layer's own name
 * and the weight's short name, neither uniquified by tfjs.
 */
export function weightPath(layer: { name: string }, variable: LayerVariableName): string {
  return `${layer.name}/${weightName(variable)}`;
}

async function logVariable(
  writer: SummarySink,
  layer: Layer,
  variable: LayerVariable,
  step: number,
  reporter: Reporter,
  options: WeightOptions & { labels?: string[] },
): Promise<void> {
  const path = weightPath(layer, variable);
  const values = await readAsFloat(variable.read(), path, reporter);
  if (!values) return;
  const weight = weightName(variable);
  const shape = variable.shape.slice() as number[];
  // A Dense layer's kernel [inputs, units] and bias [units] hold its units last.
  const labels = layer.getClassName() === 'Dense' ? options.labels : undefined;
  await writer.tensor(`weights/${path}`, values, shape, step, {
    role: TensorRole.WEIGHT,
    layerName: layer.name,
    layerKind: layer.getClassName(),
    weightName: weight,
    shape,
    ...(labels && { unitLabels: labels }),
  });
  if (options.histograms !== false) {
    await writer.histogram(`weight_histograms/${path}`, values, step);
  }
  if (options.filters !== false && isDrawableKernel(layer, weight, shape)) {
    await logFilters(writer, layer, weight, values, shape, step, reporter);
  }
  if (options.templates !== false && isDenseKernel(layer, weight, shape)) {
    await logTemplates(writer, layer, values, shape, step, labels);
  }
}

function isDenseKernel(layer: Layer, weight: string, shape: readonly number[]): boolean {
  return layer.getClassName() === 'Dense' && weight === 'kernel' && shape.length === 2;
}

/**
 * A tensor's values as float32. Integer and boolean tensors are converted,
 * string and complex ones skipped, with one warning per dtype naming the
 * first tensor: a custom layer's int state in every layer is one cause.
 * The tensor is read, never disposed: a variable's value belongs to tfjs.
 */
export async function readAsFloat(
  tensor: tfjs.Tensor,
  name: string,
  reporter: Reporter,
): Promise<Float32Array | undefined> {
  if (tensor.dtype === 'string' || tensor.dtype === 'complex64') {
    const dtype = tensor.dtype;
    reporter.warnOnce(
      `dtype:${dtype}`,
      `"${name}" is ${dtype}, not numbers: not logging it, nor any other ${dtype} tensor`,
    );
    return undefined;
  }
  const data = (await tensor.data()) as Float32Array | Int32Array | Uint8Array;
  if (data instanceof Float32Array) return data;
  reporter.warnOnce(
    `dtype:${tensor.dtype}`,
    `"${name}" is ${tensor.dtype}: logging it, and any other ${tensor.dtype} tensor, as float32`,
  );
  return Float32Array.from(data);
}
