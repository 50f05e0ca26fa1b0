/**
 * The probe batch: a fixed set of inputs whose activations are logged at every
 * snapshot, so that a viewer can follow the same examples through training.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { TensorRole } from '../../proto/index.js';
import type { LayersModel } from './layers.js';
import type { SummarySink } from './sink.js';

export interface ProbeBatch {
  /** The inputs, `[probes, ...input shape]`; one tensor per model input. */
  x: tfjs.Tensor | tfjs.Tensor[];
  /** A stable id per probe (its index in the data set, say). */
  ids: number[];
  /** The true label per probe, -1 where unknown. */
  labels: number[];
}

export function probeInputs(probes: ProbeBatch): tfjs.Tensor[] {
  return Array.isArray(probes.x) ? probes.x : [probes.x];
}

/** Throws a clear error for a probe batch whose parts do not agree. */
export function checkProbes(probes: ProbeBatch): void {
  const inputs = probeInputs(probes);
  if (inputs.length === 0) throw new TypeError('invalid probes: x holds no tensor');
  const count = inputs[0].shape[0];
  for (const [index, input] of inputs.entries()) {
    if (input.isDisposed) throw new TypeError(`invalid probes: x[${index}] is disposed`);
    if (input.rank < 1 || input.shape[0] !== count) {
      throw new RangeError(
        `invalid probes: x[${index}] has shape [${input.shape}], want ${count} probes on axis 0`,
      );
    }
  }
  for (const field of ['ids', 'labels'] as const) {
    if (!Array.isArray(probes[field]) || probes[field].length !== count) {
      throw new RangeError(
        `invalid probes: ${field} has ${probes[field]?.length} entries, ` +
          `want ${count} (one per probe)`,
      );
    }
  }
}

/** Probe batches already logged, per writer: inputs are logged once, not per step. */
const loggedInputs = new WeakMap<object, WeakSet<tfjs.Tensor>>();

/** Logs `probes/input` (or `probes/input:<i>` per input of a multi-input model) once per writer. */
export async function logProbeInputsOnce(
  writer: SummarySink,
  model: LayersModel,
  probes: ProbeBatch,
  step: number,
): Promise<void> {
  const inputs = probeInputs(probes);
  let logged = loggedInputs.get(writer);
  if (!logged) loggedInputs.set(writer, (logged = new WeakSet()));
  if (logged.has(inputs[0])) return;
  for (const [index, input] of inputs.entries()) {
    const tag = inputs.length === 1 ? 'probes/input' : `probes/input:${index}`;
    const data = await input.data();
    const values =
      data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    await writer.tensor(tag, values, input.shape.slice(), step, {
      role: TensorRole.PROBE_INPUT,
      layerName: model.inputLayers?.[index]?.name ?? '',
      layerKind: 'InputLayer',
      shape: input.shape.slice(),
      probeIds: probes.ids,
      probeLabels: probes.labels,
    });
  }
  logged.add(inputs[0]);
}
