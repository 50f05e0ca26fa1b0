/**
 * The text summary: TensorBoard's `text` plugin form, a STRING tensor of
 * UTF-8 strings. One string is a rank-0 tensor, a list a rank-1 tensor, as
 * TensorBoard's own writer does it.
 */
import { DataClass, DataType } from '../../proto/index.js';
import { describe } from '../arguments.js';
import { pluginMetadata, tensorShape, type DescribedOptions, type SummaryPart } from './common.js';

const encoder = new TextEncoder();

export function textSummary(text: unknown, options: DescribedOptions = {}): SummaryPart {
  const strings = typeof text === 'string' ? [text] : text;
  if (!Array.isArray(strings)) {
    throw new TypeError(`invalid text: ${describe(text)} (want a string or an array of strings)`);
  }
  const stringVal = strings.map((entry, index) => {
    if (typeof entry !== 'string') {
      throw new TypeError(`invalid text[${index}]: ${describe(entry)} (want a string)`);
    }
    return encoder.encode(entry);
  });
  // TODO(text tables): no way yet to log a rank-2 string tensor (TensorBoard shows one as a table).
  const dims = typeof text === 'string' ? [] : [strings.length];
  return {
    tensor: { dtype: DataType.STRING, tensorShape: tensorShape(dims), stringVal },
    metadata: pluginMetadata('text', DataClass.TENSOR, options),
  };
}
