/**
 * The probe batch: a fixed set of inputs whose activations are logged at every
 * snapshot, so that a viewer can follow the same examples through training.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { TensorRole } from '../../proto/index.js';
import { describe } from '../arguments.js';
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

/**
 * Whether `value` is a tfjs tensor. Duck-typed, not `instanceof`: the probes
 * may be tensors of another tfjs copy than lensboard's.
 */
function isTensor(value: unknown): value is tfjs.Tensor {
  const tensor = value as Partial<tfjs.Tensor> | null;
  return (
    typeof tensor === 'object' &&
    tensor !== null &&
    Array.isArray(tensor.shape) &&
    typeof tensor.data === 'function' &&
    typeof tensor.slice === 'function'
  );
}

const WANT_X =
  'want a tf.Tensor [probes, ...input shape], or one per input of a multi-input model; ' +
  'convert a nested array with tf.tensor(...)';

/**
 * Throws a clear error, naming the field, for a probe batch whose parts are
 * of the wrong kind or do not agree: `x` must be tensors (a nested JS array
 * is not converted, since the adapter would then own a tensor no one
 * disposes), `ids` and `labels` one integer per probe.
 */
export function checkProbes(probes: ProbeBatch): void {
  if (typeof probes !== 'object' || probes === null) {
    throw new TypeError(`invalid probes: ${describe(probes)} (want { x, ids, labels })`);
  }
  const inputs = checkedInputs(probes.x);
  const count = inputs[0].shape[0];
  for (const [index, input] of inputs.entries()) {
    const name = probeInputName(probes, index);
    if (input.isDisposed) {
      throw new TypeError(`invalid ${name}: the tensor is disposed (keep it until training ends)`);
    }
    if (input.rank < 1 || input.shape[0] !== count) {
      throw new RangeError(
        `invalid ${name}: shape [${input.shape.join(', ')}], want ${count} probes on axis 0`,
      );
    }
  }
  for (const field of ['ids', 'labels'] as const) checkPerProbe(field, probes[field], count);
}

/** `probes.x` for a single tensor, `probes.x[i]` for one of a list. */
function probeInputName(probes: ProbeBatch, index: number): string {
  return Array.isArray(probes.x) ? `probes.x[${index}]` : 'probes.x';
}

/**
 * Throws when probes already checked by `checkProbes` cannot be fed to
 * `model`: another number of inputs, or a shape that differs from an input's
 * on a size the model fixes (its `null` sizes take any size; axis 0 is the
 * probes' count, never checked). Left unchecked, each snapshot's predict would fail and
 * fit would only warn. A model not built yet has no input shape to check.
 */
export function checkProbesFitModel(probes: ProbeBatch, model: LayersModel): void {
  const wanted = (model.inputs as tfjs.SymbolicTensor[] | undefined)?.map((input) => input.shape);
  if (!wanted || wanted.length === 0) return;
  const inputs = probeInputs(probes);
  const shown = wanted.map(showShape).join(', ');
  if (inputs.length !== wanted.length) {
    throw new RangeError(
      `invalid probes.x: ${inputs.length} tensor(s) for a model of ${wanted.length} input(s) ` +
        `of shape ${shown} (want one tensor per input, in the model's input order)`,
    );
  }
  inputs.forEach((input, index) => {
    const want = wanted[index];
    const fits =
      input.shape.length === want.length &&
      want.every((size, axis) => axis === 0 || size == null || size === input.shape[axis]);
    if (fits) return;
    throw new RangeError(
      `invalid ${probeInputName(probes, index)}: shape ${showShape(input.shape)} does not fit ` +
        `the model's input shape ${showShape(want)} ` +
        `(want [probes, ${want
          .slice(1)
          .map((size) => size ?? 'any')
          .join(', ')}])`,
    );
  });
}

/** A shape as tfjs prints it, `null` for a size left open. */
function showShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((size) => size ?? 'null').join(', ')}]`;
}

function checkedInputs(x: unknown): tfjs.Tensor[] {
  if (isTensor(x)) return [x];
  if (!Array.isArray(x) || x.length === 0 || !x.every(isTensor)) {
    const what =
      Array.isArray(x) && x.length > 0 && !x.some(isTensor) ? 'a nested array' : describe(x);
    throw new TypeError(`invalid probes.x: ${what} (${WANT_X})`);
  }
  return x;
}

/** Ids and labels are int32 in `TensorMetadata`. */
const INT32_MAX = 2 ** 31 - 1;

function checkPerProbe(field: 'ids' | 'labels', values: unknown, count: number): void {
  const unknown = field === 'labels' ? ', -1 if unknown' : '';
  const want = `want ${count} integers, one per probe${unknown}`;
  if (!Array.isArray(values)) {
    throw new TypeError(`invalid probes.${field}: ${describe(values)} (${want})`);
  }
  if (values.length !== count) {
    throw new RangeError(`invalid probes.${field}: ${values.length} entries (${want})`);
  }
  const bad = values.findIndex((value) => !Number.isInteger(value) || Math.abs(value) > INT32_MAX);
  if (bad >= 0) {
    throw new RangeError(`invalid probes.${field}[${bad}]: ${describe(values[bad])} (${want})`);
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
