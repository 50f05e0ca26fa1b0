/**
 * Logs gradients a custom training loop computed (`optimizer.computeGradients`
 * or `tf.variableGrads`): per variable, the L2 norm as a scalar and the values
 * as a histogram, under the same `<layer>/<weight>` as its `weights/` tags.
 * The fit callback logs no gradients: fit does not hand them to callbacks.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { checkStep } from '../arguments.js';
import { weightedLayers, type LayersModel } from './layers.js';
import { checkOptionsObject, checkReportOptions } from './options.js';
import { Reporter, type ReportOptions } from './report.js';
import { checkSink, type SummarySink } from './sink.js';
import { readAsFloat, weightPath } from './weights.js';

/**
 * Logs `gradient_norms/<layer>/<weight>` and `gradients/<layer>/<weight>` for
 * every gradient in `grads`, keyed as tfjs keys them: by variable name, which
 * tfjs makes unique per process (`dense/kernel_3` in the fourth model with a
 * layer `dense`). `model` maps those names back to the layer's own. A name
 * that is no variable of `model` is logged as it is, with one warning. The
 * gradients stay the caller's: none is disposed. A non-finite gradient gives
 * a NaN or infinite norm, logged as such.
 */
export async function logGradients(
  writer: SummarySink,
  model: LayersModel,
  grads: tfjs.NamedTensorMap,
  step: number,
  options?: ReportOptions,
): Promise<void>;
/**
 * @deprecated Tags follow tfjs's uniquified variable names, which depend on
 * how many models the process built; pass the model,
 * `logGradients(writer, model, grads, step)`, to log under `<layer>/<weight>`.
 */
export async function logGradients(
  writer: SummarySink,
  grads: tfjs.NamedTensorMap,
  step: number,
  options?: ReportOptions,
): Promise<void>;
export async function logGradients(
  writer: SummarySink,
  ...args:
    | [LayersModel, tfjs.NamedTensorMap, number, ReportOptions?]
    | [tfjs.NamedTensorMap, number, ReportOptions?]
): Promise<void> {
  const [model, grads, step, options = {}] =
    typeof args[1] === 'number'
      ? [undefined, ...(args as [tfjs.NamedTensorMap, number, ReportOptions?])]
      : (args as [LayersModel, tfjs.NamedTensorMap, number, ReportOptions?]);
  checkSink(writer);
  checkStep(step);
  checkOptionsObject(options);
  checkReportOptions(options);
  const reporter = new Reporter(writer, options);
  if (!model) {
    reporter.warnOnce(
      'gradient-deprecated',
      "logGradients(writer, grads, step) is deprecated: its tags follow tfjs's uniquified " +
        'variable names; call logGradients(writer, model, grads, step) for <layer>/<weight>',
    );
  }
  const paths = model ? variablePaths(model) : undefined;
  for (const [name, gradient] of Object.entries(grads)) {
    const path = paths?.get(name) ?? name;
    if (paths && !paths.has(name)) {
      reporter.warnOnce(
        `gradient-name:${model?.name}`,
        `gradient "${name}" is of no variable of model "${model?.name}": ` +
          'logging it, and any other such gradient, under its own name',
      );
    }
    await reporter.guard('gradient', `gradient "${path}"`, async () => {
      const values = await readAsFloat(gradient, path, reporter);
      if (!values) return;
      await writer.scalar(`gradient_norms/${path}`, l2Norm(values), step);
      await writer.histogram(`gradients/${path}`, values, step);
    });
  }
}

/** Each variable's tfjs name (the key of its gradient) to its `<layer>/<weight>`. */
function variablePaths(model: LayersModel): Map<string, string> {
  const paths = new Map<string, string>();
  for (const layer of weightedLayers(model)) {
    for (const variable of layer.weights) paths.set(variable.name, weightPath(layer, variable));
  }
  return paths;
}

/** The L2 norm, summed in double precision. */
export function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}
