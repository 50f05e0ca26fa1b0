/**
 * The scalar summary: TensorBoard's `scalars` plugin form, a rank-0 FLOAT
 * tensor. Any number is accepted, NaN and infinities included: a diverging
 * loss is exactly what a user needs to see, never a reason to throw.
 *
 * Scalars are the most frequent event, so their `Summary.Value` is laid out
 * directly as bytes: tag (1), tensor (8), metadata (9) when it is written.
 */
import { DataClass, SummaryMetadataType, type SummaryMetadata } from '../../proto/index.js';
import { describe } from '../arguments.js';
import { tagFieldOf, varintSize, writeVarint } from '../event-encoding.js';

/** Shared by every scalar value, so the writer can tell "unchanged" by identity. */
export const SCALAR_METADATA: SummaryMetadata = Object.freeze({
  pluginData: Object.freeze({ pluginName: 'scalars' }),
  dataClass: DataClass.SCALAR,
});

/**
 * The tensor field up to its value: tensor (8) of 10 bytes holding dtype (1)
 * = DT_FLOAT, an empty tensor_shape (2), and a packed float_val (5) of 4
 * bytes. The little-endian float32 follows.
 */
const TENSOR_PREFIX = Uint8Array.of(0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x2a, 0x04);
const METADATA_KEY = 0x4a; // field 9, length-delimited

export function checkScalarValue(value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`invalid scalar value: ${describe(value)} (want a number)`);
  }
  return value;
}

/** A scalar's `Summary.Value`, sized before it is written into a record in place. */
export interface ScalarValueLayout {
  tagField: Uint8Array;
  /** The encoded metadata, present only when it is written with this value. */
  metadataBytes: Uint8Array | undefined;
  size: number;
}

export function scalarValueLayout(
  tag: string,
  metadata: SummaryMetadata | undefined,
): ScalarValueLayout {
  const tagField = tagFieldOf(tag);
  const metadataBytes = metadata && SummaryMetadataType.encode(metadata).finish();
  const metadataSize = metadataBytes
    ? 1 + varintSize(metadataBytes.length) + metadataBytes.length
    : 0;
  return {
    tagField,
    metadataBytes,
    size: tagField.length + TENSOR_PREFIX.length + 4 + metadataSize,
  };
}

/** Writes the value laid out by `layout` at `out[at..]`: tag (1), tensor (8), metadata (9). */
export function writeScalarValue(
  out: Buffer,
  at: number,
  layout: ScalarValueLayout,
  value: number,
): void {
  out.set(layout.tagField, at);
  at += layout.tagField.length;
  out.set(TENSOR_PREFIX, at);
  at = out.writeFloatLE(value, at + TENSOR_PREFIX.length);
  if (layout.metadataBytes) {
    out[at++] = METADATA_KEY;
    out.set(layout.metadataBytes, writeVarint(out, at, layout.metadataBytes.length));
  }
}
