/**
 * The scalar summary: TensorBoard's `scalars` plugin form, a rank-0 FLOAT
 * tensor. Any number is accepted, NaN and infinities included: a diverging
 * loss is exactly what a user needs to see, never a reason to throw.
 */
import { DataClass, DataType, type SummaryMetadata } from '../../proto/index.js';
import { describe } from '../arguments.js';
import type { SummaryPart } from './common.js';

/** Shared by every scalar value, so the writer can tell "unchanged" by identity. */
export const SCALAR_METADATA: SummaryMetadata = Object.freeze({
  pluginData: { pluginName: 'scalars' },
  dataClass: DataClass.SCALAR,
});

const SCALAR_SHAPE = Object.freeze({});

export function scalarSummary(value: unknown): SummaryPart {
  if (typeof value !== 'number') {
    throw new TypeError(`invalid scalar value: ${describe(value)} (want a number)`);
  }
  return {
    tensor: { dtype: DataType.FLOAT, tensorShape: SCALAR_SHAPE, floatVal: [value] },
    metadata: SCALAR_METADATA,
  };
}
