/**
 * What every summary kind produces: one tensor and the metadata that tells a
 * reader which plugin owns it. Whether the metadata is written with a given
 * value is the summary writer's decision, not the kind's.
 */
import type { DataClass, SummaryMetadata, TensorProto, TensorShape } from '../../proto/index.js';

export interface SummaryPart {
  tensor: TensorProto;
  metadata: SummaryMetadata;
}

/** Options every kind except scalars accepts. */
export interface DescribedOptions {
  description?: string;
  displayName?: string;
  wallTime?: number;
}

export function tensorShape(dims: readonly number[]): TensorShape {
  return { dim: dims.map((size) => ({ size })) };
}

export function pluginMetadata(
  pluginName: string,
  dataClass: DataClass,
  options: DescribedOptions = {},
  content?: Uint8Array,
): SummaryMetadata {
  const metadata: SummaryMetadata = { pluginData: { pluginName }, dataClass };
  if (content !== undefined && content.length > 0) metadata.pluginData!.content = content;
  if (options.displayName) metadata.displayName = options.displayName;
  if (options.description) metadata.summaryDescription = options.description;
  return metadata;
}

/** Views a typed array's bytes without copying them. */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
