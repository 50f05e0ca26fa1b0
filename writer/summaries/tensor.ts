/**
 * The raw tensor summary: lensboard's own plugin. A FLOAT tensor whose values
 * are `tensor_content` (little-endian float32), and a `TensorMetadata` as the
 * plugin content saying what the tensor is (layer, role, probes, worker), so
 * the viewer can lay it out and colour the raw values itself.
 */
import {
  DataClass,
  DataType,
  encodeTensorMetadata,
  LENSBOARD_PLUGIN_NAME,
  TensorRole,
  type TensorMetadata,
} from '../../proto/index.js';
import { checkOptionsObject, checkShape, describe } from '../arguments.js';
import {
  bytesOf,
  pluginMetadata,
  tensorShape,
  type DescribedOptions,
  type SummaryPart,
} from './common.js';
import { toLittleEndian } from './little-endian.js';

/**
 * The largest raw tensor one value may carry: 256 MiB of float32 (64M values).
 * Far above any layer's activations for a probe batch; well below the record
 * cap, so a reader never has to hold more than this for one value.
 */
export const MAX_TENSOR_BYTES = 256 * 1024 * 1024;

/** The options every described kind takes; `displayName` is written as for the others. */
export type TensorOptions = DescribedOptions;

/**
 * Checks a tensor's shape against its value count and the size cap, before
 * any value is converted or copied.
 */
export function checkTensorShape(tag: string, valueCount: number, shape: number[]): void {
  const count = checkShape(shape);
  if (valueCount !== count) {
    throw new RangeError(
      `invalid tensor "${tag}": got ${valueCount} values, ` +
        `want ${count} for shape [${shape.join(', ')}]`,
    );
  }
  if (count * Float32Array.BYTES_PER_ELEMENT > MAX_TENSOR_BYTES) {
    throw new RangeError(
      `tensor "${tag}" of shape [${shape.join(', ')}] is ${count * 4} bytes as float32, ` +
        `above the ${MAX_TENSOR_BYTES}-byte cap of one raw tensor; ` +
        'log a slice or a downsampled copy',
    );
  }
}

/** `values` are float32 and checked by `checkTensorShape`; `metadata` is complete. */
export function tensorSummary(
  values: Float32Array,
  shape: number[],
  metadata: TensorMetadata,
  options: DescribedOptions = {},
): SummaryPart {
  return {
    tensor: {
      dtype: DataType.FLOAT,
      tensorShape: tensorShape(shape),
      tensorContent: bytesOf(toLittleEndian(values)),
    },
    metadata: pluginMetadata(
      LENSBOARD_PLUGIN_NAME,
      DataClass.TENSOR,
      options,
      encodeTensorMetadata(metadata),
    ),
  };
}

/** The metadata written for a tensor: the caller's, completed with shape, role and worker. */
export function completeMetadata(
  given: TensorMetadata | undefined,
  shape: number[],
  worker: { workerRank?: number; worldSize?: number },
): TensorMetadata {
  checkOptionsObject(given, 'metadata');
  return {
    ...given,
    role: checkRole(given?.role) ?? TensorRole.OTHER,
    shape: given?.shape ?? shape,
    workerRank: given?.workerRank ?? worker.workerRank,
    worldSize: given?.worldSize ?? worker.worldSize,
  };
}

const MAX_ROLE = Math.max(...Object.values(TensorRole).filter((v) => typeof v === 'number'));

/** A role outside the enum would be written as 0 (unspecified) without a word. */
function checkRole(role: unknown): TensorRole | undefined {
  if (role === undefined || (typeof role === 'number' && role in TensorRole)) {
    return role as TensorRole | undefined;
  }
  const Kind = typeof role === 'number' ? RangeError : TypeError;
  throw new Kind(
    `invalid metadata.role: ${describe(role)} ` +
      `(want a TensorRole: an integer from 0 to ${MAX_ROLE}, e.g. TensorRole.ACTIVATION)`,
  );
}
