/**
 * Logs gradients a custom training loop computed (`optimizer.computeGradients`
 * or `tf.variableGrads`): per variable, the L2 norm as a scalar and the values
 * as a histogram, under the variable's name (`<layer>/<weight>` for layers).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { checkStep } from '../arguments.js';
import { checkOptionsObject, checkReportOptions } from './options.js';
import { Reporter, type ReportOptions } from './report.js';
import type { SummarySink } from './sink.js';
import { readAsFloat } from './weights.js';

/**
 * Logs `gradient_norms/<name>` and `gradients/<name>` for every gradient in
 * `grads`. The gradients stay the caller's: none is disposed. A non-finite
 * gradient gives a NaN or infinite norm, logged as such.
 */
export async function logGradients(
  writer: SummarySink,
  grads: tfjs.NamedTensorMap,
  step: number,
  options: ReportOptions = {},
): Promise<void> {
  checkStep(step);
  checkOptionsObject(options);
  checkReportOptions(options);
  const reporter = new Reporter(writer, options);
  for (const [name, gradient] of Object.entries(grads)) {
    await reporter.guard('gradient', `gradient "${name}"`, async () => {
      const values = await readAsFloat(gradient, name, reporter);
      if (!values) return;
      await writer.scalar(`gradient_norms/${name}`, l2Norm(values), step);
      await writer.histogram(`gradients/${name}`, values, step);
    });
  }
}

/** The L2 norm, summed in double precision. */
export function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}
